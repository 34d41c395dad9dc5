"""The query shapes that keep the lists fast at a million rows, held to the same
answers as before: the access scope without joins, the bounded paginator, the
workbench counts in one query. (Speed itself is measured by `make bench`, never
here.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import selectors
from complaints.models import Complaint, ExtensionRequest
from complaints.rules import can_see_complaint, complaints_visible_to
from complaints.selectors import BoundedPaginator, work_queues
from complaints.tally import tally_recount
from institutions.models import User
from tests.complaints.factories import ComplaintFactory


@pytest.fixture
def spread(county, categories):
    """Complaints whose three institutions differ in every way that matters to the
    scope: accepted by the office, escalated upwards, complained about across banks
    and counties, the office's own undispatched intake."""
    cat = categories["服务态度"]
    c = county
    rows = [
        # (complained, accepting, handling)
        (c.a_out1, c.a_out1, c.a_out1),
        (c.a_out2, c.a_out2, c.bank_a),  # escalated to the bank
        (c.a_out1, c.pbc, c.a_out1),  # the office took it, dispatched it
        (c.b_out1, c.pbc, c.pbc),  # the office's own, not dispatched yet
        (c.b_out1, c.a_out1, c.b_out1),  # taken at bank A's counter about bank B
        (c.bank_x, c.bank_x, c.bank_x),  # the other county
        (c.bank_x, c.pbc, c.bank_x),  # our office passed it to the other county
        (c.bank_b, c.bank_b, c.bank_b),
    ]
    return [
        ComplaintFactory(
            complained_institution=complained,
            accepting_institution=accepting,
            handling_institution=handling,
            category=cat,
            first_responder=c.a_teller,
        )
        for complained, accepting, handling in rows
    ]


@pytest.mark.parametrize(
    "who",
    [
        "regulator",
        "other_regulator",
        "a_manager",
        "a_handler",
        "a1_handler",
        "a_teller",
        "a2_teller",
        "b_manager",
        "b_handler",
        "b_teller",
        "sysadmin",
    ],
)
def test_visible_complaints_are_exactly_those_the_predicate_allows(county, spread, who):
    user = User.objects.select_related("institution").get(pk=getattr(county, who).pk)
    expected = {
        c.pk
        for c in Complaint.objects.select_related(
            "handling_institution", "accepting_institution", "complained_institution"
        )
        if can_see_complaint(user, c)
    }
    assert set(complaints_visible_to(user).values_list("pk", flat=True)) == expected


@pytest.mark.parametrize("who", ["regulator", "a_manager"])
def test_scope_of_managers_and_supervisors_joins_no_institution_table(county, who):
    sql = str(complaints_visible_to(getattr(county, who)).query)
    assert " JOIN " not in sql
    assert sql.count('FROM "institutions_institution" U0 WHERE') == 3


# --- BoundedPaginator ----------------------------------------------------------------


@pytest.fixture
def ten(county, categories):
    start = timezone.now() - dt.timedelta(days=30)
    for i in range(10):
        ComplaintFactory(
            received_at=start + dt.timedelta(days=i),
            complained_institution=county.a_out1,
            category=categories["服务态度"],
            first_responder=county.a_teller,
        )
    return selectors.complaint_list_for_user(county.a_manager)


def _pks(page):
    return [c.pk for c in page]


def test_paginator_is_exact_under_the_limit(ten):
    p = BoundedPaginator(ten, 3, count_limit=10)
    assert (p.count, p.num_pages, p.bounded) == (10, 4, False)
    page = p.get_page(4)
    assert (len(page), page.has_next(), page.end_index()) == (1, False, 10)


def test_paginator_past_the_limit_counts_no_further_and_still_pages(ten, monkeypatch):
    all_pks = list(ten.values_list("pk", flat=True))
    p = BoundedPaginator(ten, 3, count_limit=4)
    with CaptureQueriesContext(connection) as ctx:
        assert (p.count, p.bounded) == (5, True)
        page = p.get_page(3)
    assert len(ctx) == 2  # the bounded count, then the page (one row more than shown)
    assert "LIMIT 5" in ctx.captured_queries[0]["sql"]
    assert _pks(page) == all_pks[6:9]
    assert (page.has_next(), page.start_index(), page.end_index()) == (True, 7, 9)
    last = p.get_page(4)
    assert (_pks(last), last.has_next()) == (all_pks[9:], False)
    # Past the last row: the last page the count vouches for.
    assert _pks(p.get_page(99)) == all_pks[3:6]
    # Deep pages select their ids first (one statement), same rows.
    monkeypatch.setattr(selectors, "DEEP_OFFSET", 3)
    with CaptureQueriesContext(connection) as ctx:
        deep = BoundedPaginator(ten, 3, count_limit=4).get_page(3)
    assert _pks(deep) == all_pks[6:9]
    assert len(ctx) == 2


def test_list_page_says_more_than_when_bounded(client, county, ten, monkeypatch):
    from complaints import views

    monkeypatch.setattr(selectors, "COUNT_LIMIT", 4)
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    client.force_login(county.a_manager)
    body = client.get("/complaints/?page=2").content.decode()
    assert "超过 4 件" in body
    assert "第 2 页" in body
    assert "/ " not in body.split("第 2 页")[0][-10:]


# --- Workbench ---------------------------------------------------------------------------


def test_work_queues_read_the_tally_and_count_the_queues_live(
    county, categories, django_assert_num_queries
):
    cat = categories["服务态度"]
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    later_today = now + (midnight + dt.timedelta(days=1) - now) / 2

    def make(status, **kw):
        return ComplaintFactory(
            complained_institution=county.a_out1,
            category=cat,
            first_responder=county.a_teller,
            status=status,
            **kw,
        )

    make("registered", due_at=later_today)  # due today, awaiting assignment
    make("registered", due_at=now - dt.timedelta(days=2))  # overdue, awaiting assignment
    mine = make("in_progress", due_at=now + dt.timedelta(days=5), handler=county.a_manager)
    make("assigned", due_at=now - dt.timedelta(days=3), handler=county.a1_handler)
    make("answered", due_at=now - dt.timedelta(days=9))  # closed: in no queue
    asked = make("in_progress", due_at=now + dt.timedelta(days=3), handler=county.a1_handler)
    ExtensionRequest.objects.create(
        complaint=asked,
        requested_by=county.a1_handler,
        reason="需调取录像",
        requested_due_at=now + dt.timedelta(days=9),
        customer_told=True,
    )
    ExtensionRequest.objects.create(
        complaint=mine,
        requested_by=county.a_manager,  # one's own request is not "awaiting my approval"
        reason="需调取录像",
        requested_due_at=now + dt.timedelta(days=9),
        customer_told=True,
    )
    user = User.objects.select_related("institution").get(pk=county.a_manager.pk)
    tally_recount()
    # The run and one sum of the tally; 分办给我, 待分办 and 待我审批 live.
    with django_assert_num_queries(5):
        q = work_queues(user)
    assert q.as_of is not None
    assert (
        q.due_today,
        q.overdue,
        q.mine,
        q.awaiting_assignment,
        q.awaiting_approval,
        q.open_total,
    ) == (1, 2, 1, 2, 1, 5)
    teller = User.objects.select_related("institution").get(pk=county.a_teller.pk)
    t = work_queues(teller)
    # A teller never assigns or approves: no such queue (no tile), not a zero.
    assert (t.awaiting_assignment, t.awaiting_approval, t.open_total) == (None, None, 5)


def test_workbench_counts_are_the_tally_but_mine_and_those_about_oneself(county, categories):
    """未办结 and 待分办 are the tally's until it is recounted; 分办给我 is live, and so
    is leaving out of 待分办 the complaint about the manager himself."""
    cat = categories["服务态度"]
    now = timezone.now()

    def make(**kw):
        return ComplaintFactory(
            complained_institution=county.a_out1,
            category=cat,
            first_responder=county.a_teller,
            status="registered",
            due_at=now + dt.timedelta(days=5),
            **kw,
        )

    c = make()
    make(complained_staff=county.a_manager)
    user = User.objects.select_related("institution").get(pk=county.a_manager.pk)
    before = work_queues(user)
    assert (before.awaiting_assignment, before.mine, before.open_total) == (1, 0, 2)
    Complaint.objects.filter(pk=c.pk).update(status="assigned", handler=county.a_manager)
    after = work_queues(user)
    assert (after.awaiting_assignment, after.mine, after.open_total) == (1, 1, 2)
    Complaint.objects.filter(pk=c.pk).update(status="archived")
    tally_recount()
    recounted = work_queues(user)
    assert (recounted.awaiting_assignment, recounted.mine, recounted.open_total) == (0, 0, 1)
