"""The supervision board: hand-counted numbers per institution, the drill-down lists
behind every number, the query count, and the manager's subtree board."""

import re
from datetime import UTC, timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints import tally
from complaints.models import Complaint, Urge
from supervision import selectors
from supervision.selectors import METRICS, BoardCounts
from tests.institutions.factories import InstitutionFactory

from .conftest import local

NOW = local(2026, 5, 20, 10, 0)


@pytest.fixture
def cases(county, make):
    """The board's fixture, counted by hand below (NOW = 2026-05-20 10:00)."""
    c = {}
    c["k1"] = make(county.a_out1, status="assigned", due_at=local(2026, 5, 20, 17), is_major=True)
    c["k2"] = make(
        county.a_out1,
        status="in_progress",
        due_at=local(2026, 5, 19, 17),
        is_repeat=True,
        auto_escalated_at=local(2026, 5, 19, 18),
    )
    Urge.objects.create(
        complaint=c["k2"],
        urged_by=county.regulator,
        note="请尽快办结",
        expected_by=local(2026, 5, 19).date(),
    )
    c["k3"] = make(county.a_out1, status="answered", satisfaction="unsatisfied")
    c["k4"] = make(county.a_out2, status="registered", due_at=local(2026, 5, 22, 17))
    c["k5"] = make(county.bank_a, status="registered", due_at=local(2026, 5, 18, 17))
    Urge.objects.create(
        complaint=c["k5"],
        urged_by=county.regulator,
        note="督办",
        expected_by=local(2026, 5, 25).date(),
    )
    # Due at 09:00 today: already overdue *and* due today.
    c["k6"] = make(county.b_out1, status="resolved", due_at=local(2026, 5, 20, 9))
    c["k7"] = make(county.pbc, status="registered", due_at=local(2026, 5, 21, 17))
    c["k8"] = make(county.bank_x, status="registered", due_at=local(2026, 5, 1, 17))
    c["k9"] = make(county.a_out1, status="archived", due_at=local(2026, 5, 1, 17))
    # An urge of a closed case is never overdue.
    Urge.objects.create(
        complaint=c["k9"],
        urged_by=county.regulator,
        note="旧督办",
        expected_by=local(2026, 4, 1).date(),
    )
    return c


def _counts(board):
    return {("own" if r.own_level else r.institution.code): r.counts for r in board.rows}


def test_regulator_board_counts_each_bank_with_its_subtree(county, cases):
    board = selectors.supervision_board(county.regulator, now=NOW)
    assert board.root == county.pbc
    assert [r.institution.code for r in board.rows] == ["PBC", "BANK-A", "BANK-B"]
    counts = _counts(board)
    assert counts["own"] == BoardCounts(open=1)
    assert counts["BANK-A"] == BoardCounts(
        open=4,
        due_today=1,
        overdue=2,
        major=1,
        repeat=1,
        unsatisfied=1,
        supervised=1,
        urges_overdue=1,
    )
    assert counts["BANK-B"] == BoardCounts(open=1, due_today=1, overdue=1)
    assert board.total == BoardCounts(
        open=6,
        due_today=2,
        overdue=3,
        major=1,
        repeat=1,
        unsatisfied=1,
        supervised=1,
        urges_overdue=1,
    )


def test_manager_board_rows_are_the_children_of_their_institution(county, cases):
    board = selectors.supervision_board(county.a_manager, now=NOW)
    assert [r.institution.code for r in board.rows] == ["BANK-A", "A-OUT1", "A-OUT2"]
    counts = _counts(board)
    assert counts["own"] == BoardCounts(open=1, overdue=1)
    assert counts["A-OUT1"] == BoardCounts(
        open=2,
        due_today=1,
        overdue=1,
        major=1,
        repeat=1,
        unsatisfied=1,
        supervised=1,
        urges_overdue=1,
    )
    assert counts["A-OUT2"] == BoardCounts(open=1)
    assert board.total.open == 4  # nothing of bank B, the office or the other county


def test_regulator_can_look_into_one_bank(county, cases):
    board = selectors.supervision_board(county.regulator, root=county.bank_a, now=NOW)
    assert [r.institution.code for r in board.rows] == ["BANK-A", "A-OUT1", "A-OUT2"]
    assert board.total == selectors.supervision_board(county.a_manager, now=NOW).total


def test_other_county_supervisor_sees_nothing_of_this_county(county, cases):
    board = selectors.supervision_board(county.other_regulator, now=NOW)
    assert [r.institution.code for r in board.rows] == ["PBC-OTHER", "BANK-X"]
    assert board.total == BoardCounts(open=1, overdue=1)
    assert _counts(board)["BANK-X"] == BoardCounts(open=1, overdue=1)


@pytest.mark.parametrize("user", ["regulator", "a_manager"])
def test_every_board_number_equals_its_drill_down_list(county, cases, user):
    """Each number, read from the tally, equals the list behind it on the tally's
    clock, and ``board_cell`` (the number the drill-down names) is that number."""
    viewer = getattr(county, user)
    board = selectors.supervision_board(viewer, now=NOW)
    assert board.as_of == NOW  # no tally yet: counted on the spot, on this clock
    for row in board.rows:
        for m, n in row.counts.cells:
            cell = {"metric_key": m.key, "institution": row.institution, "own_level": row.own_level}
            listed = selectors.board_complaints(viewer, now=board.as_of, **cell)
            assert listed.count() == n, (row.institution.code, m.key)
            assert selectors.board_cell(viewer, as_of=board.as_of, **cell) == n
    for m, n in board.total.cells:
        assert selectors.board_complaints(viewer, metric_key=m.key, now=board.as_of).count() == n
        assert selectors.board_cell(viewer, as_of=board.as_of, metric_key=m.key) == n


def test_board_is_the_tally_until_it_is_recounted(county, cases, make):
    """A snapshot: a complaint registered after the count is not on the board until
    the next run (beat's, or the page's own once the run is too old)."""
    before = selectors.supervision_board(county.regulator, now=NOW)
    make(county.a_out2, status="registered", due_at=local(2026, 5, 19, 17))
    later = NOW + timedelta(seconds=30)
    same = selectors.supervision_board(county.regulator, now=later)
    assert (same.as_of, same.total) == (NOW, before.total)
    tally.tally_recount(now=later)
    after = selectors.supervision_board(county.regulator, now=later)
    assert after.as_of == later
    assert after.total == before.total + BoardCounts(open=1, overdue=1)


def test_board_recounts_a_tally_older_than_its_maximum_age(county, cases, make, settings):
    settings.OPEN_TALLY_MAX_AGE_SECONDS = 600
    selectors.supervision_board(county.regulator, now=NOW)
    make(county.a_out2, status="registered", due_at=local(2026, 5, 19, 17))
    fresh = selectors.supervision_board(county.regulator, now=NOW + timedelta(seconds=600))
    assert fresh.as_of == NOW
    stale = NOW + timedelta(seconds=601)
    recounted = selectors.supervision_board(county.regulator, now=stale)
    assert recounted.as_of == stale
    assert recounted.total.open == 6 + 1


def test_drill_down_on_the_tallys_clock_equals_the_number_as_time_passes(county, cases):
    """k1 is due at 17:00 today. Counted at 10:00 it is not overdue; opened at 18:00,
    the list on the link's clock still agrees with the number, where a list on the
    wall clock would not."""
    board = selectors.supervision_board(county.regulator, now=NOW)
    n = board.total.overdue
    at_six = NOW + timedelta(hours=8)
    assert (
        selectors.board_complaints(county.regulator, metric_key="overdue", now=at_six).count()
        == n + 1
    )
    assert (
        selectors.board_complaints(county.regulator, metric_key="overdue", now=board.as_of).count()
        == n
    )


def test_drill_down_lists_the_right_complaints(county, cases):
    overdue = selectors.board_complaints(
        county.regulator, metric_key="overdue", institution=county.bank_a, now=NOW
    )
    assert set(overdue) == {cases["k2"], cases["k5"]}
    own = selectors.board_complaints(
        county.a_manager, metric_key="open", institution=county.bank_a, own_level=True, now=NOW
    )
    assert list(own) == [cases["k5"]]
    late_urges = selectors.board_complaints(county.regulator, metric_key="urges_overdue", now=NOW)
    assert list(late_urges) == [cases["k2"]]


def test_tally_tests_the_population_once_not_in_every_count(county, cases):
    """The status test is the count's WHERE; each FILTER holds only the metric's own
    condition (repeating it in seven FILTERs cost a third of the board's time)."""
    with CaptureQueriesContext(connection) as ctx:
        tally.tally_recount(now=NOW)
    aggregates = [q["sql"] for q in ctx.captured_queries if "GROUP BY" in q["sql"]]
    assert len(aggregates) == 2
    filters = [f for sql in aggregates for f in re.findall(r"FILTER \(WHERE (.*?)\) AS", sql)]
    # The open population's columns but "open" itself; only the workbench's
    # "registered" is about the status.
    assert len(filters) == 9
    assert [f for f in filters if '"status"' in f] == [
        '"complaints_complaint"."status" = \'registered\''
    ]


def test_board_reads_the_tally_not_the_complaints(county, cases):
    tally.tally_recount(now=NOW)
    with CaptureQueriesContext(connection) as ctx:
        selectors.supervision_board(county.regulator, now=NOW)
    assert not [q for q in ctx.captured_queries if 'FROM "complaints_complaint"' in q["sql"]]


def test_overdue_metric_is_the_lists_overdue(county, cases):
    from complaints.models import Complaint
    from complaints.selectors import overdue_q

    by_metric = Complaint.objects.filter(selectors.metric("overdue").q(NOW))
    assert set(by_metric) == set(Complaint.objects.filter(overdue_q(NOW)))
    assert set(by_metric) == {cases["k2"], cases["k5"], cases["k6"], cases["k8"]}


def test_board_query_count_does_not_grow_with_institutions_or_complaints(
    county, cases, make, django_assert_max_num_queries
):
    tally.tally_recount(now=NOW)
    with CaptureQueriesContext(connection) as few:
        selectors.supervision_board(county.regulator, now=NOW)
    for i in range(6):
        bank = InstitutionFactory(code=f"BANK-N{i}", regulator=county.pbc)
        outlet = InstitutionFactory(code=f"BANK-N{i}-1", parent=bank, kind="outlet")
        for _ in range(3):
            make(outlet, status="in_progress", due_at=local(2026, 5, 19, 12))
    tally.tally_recount(now=NOW)
    with django_assert_max_num_queries(len(few)):
        board = selectors.supervision_board(county.regulator, now=NOW)
    assert len(board.rows) == 3 + 6
    assert board.total.overdue == 3 + 18
    assert len(few) <= 3  # the run, the institutions of the area, one sum of the tally


def _numbers(html: str) -> dict[tuple[str, str], tuple[str, int]]:
    """(row code or "total", metric) -> the link of each board number."""
    cells = {}
    for match in re.finditer(
        r'<tr (?:data-institution="(?P<code>[^"]+)"[^>]*|data-total="1")>(?P<body>.*?)</tr>',
        html,
        re.S,
    ):
        code = match.group("code") or "total"
        for link, key, n in re.findall(
            r'<a href="([^"]+)" data-metric="([a-z_]+)" class="[a-z]+">(\d+)</a>',
            match.group("body"),
        ):
            cells[(code, key)] = (link.replace("&amp;", "&"), int(n))
    return cells


@pytest.mark.parametrize("user", ["regulator", "a_manager"])
def test_board_page_numbers_agree_with_the_pages_behind_them(client, county, cases, user):
    """Counted at 10:00 and followed at 18:00, when k1 (due 17:00) has become overdue
    on the wall clock: each list is still the number's, on the count's clock."""
    client.force_login(getattr(county, user))
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("supervision:board"))
    as_of = response.context["board"].as_of
    assert as_of == NOW
    html = response.content.decode()
    numbers = _numbers(html)
    rows = 3
    assert len(numbers) == (rows + 1) * len(METRICS)
    for (code, key), (link, n) in numbers.items():
        assert f"as_of={quote(as_of.astimezone(UTC).isoformat(), safe='')}" in link
        with time_machine.travel(NOW + timedelta(hours=8), tick=False):
            response = client.get(link)
        assert response.status_code == 200
        assert response.context["as_of"] == as_of
        assert response.context["page"].paginator.count == n, (code, key)
        assert response.context["counted"] == n
        assert 'data-testid="case-counted"' not in response.content.decode()


def test_board_page_says_when_it_was_counted(client, county, cases):
    tally.tally_recount(now=local(2026, 12, 1, 9, 41))
    client.force_login(county.regulator)
    with time_machine.travel(local(2026, 12, 1, 9, 42), tick=False):
        body = client.get(reverse("supervision:board")).content.decode()
    assert "按处理机构统计于 09:41" in body


def test_drill_down_names_the_boards_number_when_cases_moved_since(client, county, cases):
    """The link's list is taken now on the count's clock: a case closed since the
    count leaves it, and the page says what the board counted."""
    client.force_login(county.regulator)
    board = client.get(reverse("supervision:board")).context["board"]
    link = _numbers(client.get(reverse("supervision:board")).content.decode())[("BANK-A", "open")][
        0
    ]
    assert board.rows[1].counts.open == 4
    Complaint.objects.filter(pk=cases["k4"].pk).update(status="archived")
    response = client.get(link)
    assert response.context["page"].paginator.count == 3
    assert response.context["counted"] == 4
    counted = re.search(r'data-testid="case-counted">(.*?)</span>', response.content.decode())
    assert counted is not None
    assert "统计为 4 件" in counted.group(1)


def test_drill_down_page_shows_the_cases_masked(client, county, cases):
    client.force_login(county.regulator)
    url = reverse("supervision:cases") + f"?metric=overdue&institution={county.bank_a.pk}"
    body = client.get(url).content.decode()
    assert cases["k2"].tracking_no in body
    assert cases["k5"].tracking_no in body
    assert cases["k6"].tracking_no not in body
    assert "张*" in body
    assert "张三" not in body


def test_drill_down_statements_do_not_grow_with_its_rows(client, county, cases, make):
    """The page's rows are read as values in one query, however many there are."""
    client.force_login(county.regulator)
    url = reverse("supervision:cases") + f"?metric=open&institution={county.bank_a.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        make(county.a_out1, status="in_progress", due_at=local(2026, 5, 19, 12))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["page"].paginator.count == len(response.context["rows"])
    assert len(response.context["rows"]) >= 5
    assert len(many) == len(few)


def test_unknown_metric_and_foreign_institution_are_not_found(client, county, cases):
    client.force_login(county.regulator)
    assert client.get(reverse("supervision:cases") + "?metric=nope").status_code == 404
    url = reverse("supervision:cases") + f"?metric=open&institution={county.bank_x.pk}"
    assert client.get(url).status_code == 404
    assert client.get(reverse("supervision:board") + f"?root={county.bank_x.pk}").status_code == 404
    client.force_login(county.a_manager)
    assert client.get(reverse("supervision:board") + f"?root={county.bank_b.pk}").status_code == 404
    url = reverse("supervision:cases") + f"?metric=open&institution={county.pbc.pk}"
    assert client.get(url).status_code == 404


def test_board_page_query_count_does_not_grow(client, county, cases, make):
    client.force_login(county.regulator)
    url = reverse("supervision:board") + f"?root={county.pbc.pk}"
    tally.tally_recount()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(4):
        bank = InstitutionFactory(code=f"BANK-M{i}", regulator=county.pbc)
        make(bank, status="registered", due_at=local(2026, 5, 19, 12))
    tally.tally_recount()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["board"].rows) == 3 + 4
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "as_of",
    [
        "9999-12-31T23:59:59+00:00",  # its local day ends past the calendar
        "0001-01-01T00:00:00+14:00",  # and this one starts before it
        "2026-05-13T02:00:00+00:00",  # a week before: no board was counted then
        "2026-13-01T00:00:00+00:00",
        "2026-05-20T01:00:00",  # naive
        "x" * 5000,
    ],
)
@pytest.mark.parametrize("metric", ["due_today", "overdue", "urges_overdue"])
def test_a_strange_as_of_lists_on_the_current_clock(client, county, cases, as_of, metric):
    client.force_login(county.regulator)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("supervision:cases"), {"metric": metric, "as_of": as_of})
        current = client.get(reverse("supervision:cases"), {"metric": metric})
    assert response.status_code == 200
    assert response.context["as_of"] is None
    assert response.context["page"].paginator.count == current.context["page"].paginator.count
