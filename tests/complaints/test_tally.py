"""The tally of open complaints (complaints.tally): what a run holds, when a page
recounts, which runs are kept, and the beat task that installs and refreshes it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from django_celery_beat.models import PeriodicTask

from complaints import tally
from complaints.models import OpenTally, OpenTallyRun
from complaints.rules import complaints_visible_to
from complaints.selectors import work_queues
from complaints.tasks import open_tally_refresh
from tests.supervision.conftest import local, make  # noqa: F401

NOW = local(2026, 5, 20, 10, 0)
USERS = ("regulator", "other_regulator", "a_manager", "a_handler", "a1_handler", "a_teller")


@pytest.fixture
def spread(county, make):  # noqa: F811
    """Open complaints whose three institutions differ: escalated to the bank from
    the outlet that took it, taken at one outlet about another, and closed ones."""
    make(county.a_out1, status="in_progress", due_at=local(2026, 5, 19, 17))
    make(
        county.a_out1,
        handling_institution=county.bank_a,
        status="assigned",
        due_at=local(2026, 5, 20, 15),
        is_major=True,
    )
    make(county.a_out2, accepting_institution=county.a_out1, status="registered")
    make(county.b_out1, status="resolved", due_at=local(2026, 5, 25, 17))
    make(county.a_out1, status="answered", satisfaction="unsatisfied")
    make(county.a_out1, status="archived", due_at=local(2026, 5, 1, 17))
    make(county.bank_x, status="registered", due_at=local(2026, 5, 1, 17))


@pytest.mark.parametrize("user", USERS)
def test_tally_summed_in_a_scope_equals_counting_the_complaints(county, spread, user):
    """The rows are grouped by the three institutions ``complaint_q`` tests, so the
    access policy's filter on them gives every user the count of what he can see,
    including complaints visible only through the accepting or complained-about
    institution."""
    viewer = getattr(county, user)
    run = tally.tally_recount(now=NOW)
    rows = complaints_visible_to(viewer, tally.tally_rows(run))
    for c in tally.COUNTED:
        summed = sum(getattr(r, c.key) for r in rows)
        assert summed == complaints_visible_to(viewer).filter(c.q(NOW)).count(), c.key


def test_teller_sees_the_case_escalated_from_the_outlet(county, spread):
    tally.tally_recount()
    assert work_queues(county.a_teller).open_total == 3  # own two, and the escalated one


def test_an_empty_tally_is_a_count_of_nothing(db):
    run = tally.tally_current(now=NOW)
    assert not OpenTally.objects.filter(run=run).exists()
    assert tally.tally_current(now=NOW + timedelta(seconds=1)) == run


def test_page_recounts_when_the_run_is_missing_too_old_or_from_a_later_clock(db, settings):
    settings.OPEN_TALLY_MAX_AGE_SECONDS = 600
    first = tally.tally_current(now=NOW)
    assert first.counted_at == NOW
    assert tally.tally_current(now=NOW + timedelta(seconds=600)) == first
    later = tally.tally_current(now=NOW + timedelta(seconds=601))
    assert later.counted_at == NOW + timedelta(seconds=601)
    # The clock went back (or a caller asks about an earlier instant).
    assert tally.tally_current(now=NOW).counted_at == NOW


def test_runs_older_than_the_maximum_age_are_dropped(county, spread, settings):
    settings.OPEN_TALLY_MAX_AGE_SECONDS = 600
    old = tally.tally_recount(now=NOW)
    kept = tally.tally_recount(now=NOW + timedelta(seconds=300))
    assert set(OpenTallyRun.objects.all()) == {old, kept}
    newest = tally.tally_recount(now=NOW + timedelta(seconds=900))
    assert set(OpenTallyRun.objects.all()) == {kept, newest}
    assert not OpenTally.objects.filter(run_id=old.pk).exists()
    assert tally.tally_run_at(old.counted_at) is None
    assert tally.tally_run_at(kept.counted_at) == kept


def test_refresh_task_counts_a_new_run(county, spread):
    result = open_tally_refresh()
    run = OpenTallyRun.objects.get()
    assert result["rows"] == OpenTally.objects.filter(run=run).count() > 0
    assert result["counted_at"] == run.counted_at.isoformat()
    # One row per combination of the three institutions among the open and the
    # unsatisfied complaints (A-OUT1's open one and its unsatisfied answer share one).
    assert OpenTally.objects.filter(run=run).filter(~Q(open=0) | ~Q(unsatisfied=0)).count() == 5


def test_setup_schedule_installs_the_refresh_every_refresh_interval(db, settings):
    call_command("setup_schedule", stdout=StringIO())
    task = PeriodicTask.objects.get(task="complaints.tasks.open_tally_refresh")
    assert task.interval.every == settings.OPEN_TALLY_REFRESH_SECONDS == 60
