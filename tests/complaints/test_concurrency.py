"""Two people acting on one complaint at once: exactly one wins, on real PostgreSQL
connections (the row lock and the version check are what is being tested)."""

import pytest
from django.db import connection

from complaints import workflow
from complaints.errors import WorkflowError
from complaints.models import Complaint, TimelineEntry
from tests.concurrency import run_in_parallel

from .helpers import complaint_in_state, valid_data

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (run by .ci/run)"
)


@pytest.mark.django_db(transaction=True)
def test_two_conflicting_transitions_exactly_one_wins(county, intake):
    c = complaint_in_state(county, intake(), "registered")
    rows_before = TimelineEntry.objects.filter(complaint=c).count()

    def act(i):
        if i == 0:
            return workflow.complaint_act(
                actor=county.a_manager,
                complaint_id=c.pk,
                action="assign",
                expected_version=1,
                **valid_data("assign", c, county),
            )
        return workflow.complaint_act(
            actor=county.regulator,
            complaint_id=c.pk,
            action="refuse",
            expected_version=1,
            **valid_data("refuse", c, county),
        )

    results = run_in_parallel(2, act)
    wins = [r for r in results if isinstance(r, Complaint)]
    losses = [r for r in results if isinstance(r, WorkflowError)]
    assert (len(wins), len(losses)) == (1, 1), results
    assert losses[0].code == "conflict"
    assert str(losses[0].message) == "此投诉已被他人更新，请刷新后重试。"
    assert TimelineEntry.objects.filter(complaint=c).count() == rows_before + 1
    assert Complaint.objects.get(pk=c.pk).version == 2


@pytest.mark.django_db(transaction=True)
def test_same_transition_twice_without_version_runs_once(county, intake):
    c = complaint_in_state(county, intake(), "assigned")

    def act(i):
        return workflow.complaint_act(actor=county.a1_handler, complaint_id=c.pk, action="start")

    results = run_in_parallel(2, act)
    assert sum(isinstance(r, Complaint) for r in results) == 1, results
    assert sum(isinstance(r, WorkflowError) for r in results) == 1
    assert TimelineEntry.objects.filter(complaint=c, action="start").count() == 1
