"""``answered_late_q``: answered after the due time, the rule the statistics and the
report pack count late answers by, and the same answer ``overdue_from_facts`` gives
a row that has been answered."""

from datetime import timedelta

from django.utils import timezone

from complaints.models import Complaint, overdue_from_facts
from complaints.selectors import answered_late_q

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

    now = timezone.now()
    for c in Complaint.objects.filter(answered_at__isnull=False):
        facts = overdue_from_facts(c.status, c.due_at, c.answered_at, now)
        assert facts == (c.pk in late), c.pk
