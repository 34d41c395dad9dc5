"""The demo data tells a consistent story: notices dated when they would have been
sent, amounts where the text names one, a mailbox for every user."""

import os
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from complaints.models import Complaint
from institutions.models import User
from notifications.models import Notification
from notifications.services import deliver_emails


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_no_notice_is_dated_before_its_complaint_or_long_after(demo):
    notes = Notification.objects.exclude(complaint=None).select_related("complaint")
    assert notes.count() >= 10
    for note in notes:
        c = note.complaint
        assert note.created_at >= c.received_at, note.title
        # Sent when it happened: at the latest by the answer (the unsatisfied notice).
        latest = (c.answered_at or timezone.now()) + timedelta(minutes=10)
        assert note.created_at <= latest, note.title


def test_notices_of_old_answered_complaints_are_read_and_not_mailed_again(demo):
    old = Notification.objects.filter(
        complaint__status="answered", created_at__lt=timezone.now() - timedelta(days=2)
    )
    assert old.exists()
    assert not old.filter(read_at=None).exists()
    assert not old.filter(emailed_at=None).exists()


def test_due_date_in_a_notice_is_not_before_the_notice(demo):
    # The reported case: a notice dated today saying a July complaint was due in July.
    for note in Notification.objects.filter(kind="assigned"):
        due = re.search(r"(\d{4}-\d{2}-\d{2}) \d{2}:\d{2}", note.body)
        assert due, note.body
        assert due.group(1) >= timezone.localtime(note.created_at).date().isoformat()


def test_resolved_before_answered(demo):
    for c in Complaint.objects.exclude(answered_at=None):
        assert c.resolved_at <= c.answered_at


def test_atm_complaint_names_its_amount(demo):
    c = Complaint.objects.get(description__contains="ATM")
    assert "2000 元" in c.description
    assert c.amount == Decimal("2000")


def test_demo_users_have_mailboxes_and_fresh_notices_are_mailed(demo):
    assert not User.objects.filter(email="").exists()
    assert set(User.objects.values_list("email", flat=True)) == {
        f"{u}@demo.invalid" for u in User.objects.values_list("username", flat=True)
    }
    mail.outbox.clear()
    sent = deliver_emails()
    fresh = Notification.objects.filter(created_at__gte=timezone.now() - timedelta(days=2))
    assert sent == fresh.count() > 0
    assert {m.to[0] for m in mail.outbox} == set(fresh.values_list("recipient__email", flat=True))
