"""``answered_late_q``: answered after the due time, the rule the statistics and the
report pack count late answers by, and the same answer ``overdue_from_facts`` gives
a row that has been answered."""

from datetime import timedelta

from django.utils import timezone

from complaints.models import Complaint, answered_late_from_facts, overdue_from_facts
from complaints.selectors import answered_late_q, overdue_q

from .factories import ComplaintFactory


def test_only_an_answer_after_the_due_time_is_late(db):
    due = timezone.now() - timedelta(days=2)
    made = {
        name: ComplaintFactory(status=status, due_at=due_at, answered_at=answered_at)
        for name, status, due_at, answered_at in (
            ("before", "answered", due, due - timedelta(hours=2)),
            ("on the dot", "answered", due, due),
            ("a minute after", "answered", due, due + timedelta(minutes=1)),
            ("no due time", "answered", None, due),
            ("open past due", "in_progress", due, None),
        )
    }
    late = set(Complaint.objects.filter(answered_late_q()).values_list("pk", flat=True))
    assert late == {made["a minute after"].pk}

    for c in Complaint.objects.all():
        assert answered_late_from_facts(c.due_at, c.answered_at) == (c.pk in late), c.pk


def test_overdue_means_open_past_due_everywhere(db):
    """The row badge, the model and the list filter / board count agree: an answer
    given late is "answered late", not "overdue" (issue 23)."""
    due = timezone.now() - timedelta(days=2)
    open_past = ComplaintFactory(status="in_progress", due_at=due)
    late = ComplaintFactory(status="answered", due_at=due, answered_at=due + timedelta(hours=1))
    now = timezone.now()
    filtered = set(Complaint.objects.filter(overdue_q(now)).values_list("pk", flat=True))
    assert filtered == {open_past.pk}
    for c in (open_past, late):
        c.refresh_from_db()
        assert overdue_from_facts(c.status, c.due_at, now) == (c.pk in filtered)
        assert c.is_overdue == (c.pk in filtered)
    assert late.answered_late
    assert not open_past.answered_late
