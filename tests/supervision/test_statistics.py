"""Statistics of a period against hand-counted fixtures, including the on-time rate
from answered_at vs due_at and the comparison with the previous period."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from complaints.models import TaxonomyCode
from supervision import selectors
from supervision.selectors import previous_period, quarter_bounds

from .conftest import local

NOW = local(2026, 4, 10, 12, 0)
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture
def codes(db):
    b1 = TaxonomyCode.objects.create(dimension="B", code="TB1", name="个人存款")
    b2 = TaxonomyCode.objects.create(dimension="B", code="TB2", name="银行卡")
    c1 = TaxonomyCode.objects.create(dimension="C", code="TC1", name="服务态度")
    c2 = TaxonomyCode.objects.create(dimension="C", code="TC2", name="业务差错")
    return {"B1": b1, "B2": b2, "C1": c1, "C2": c2}


@pytest.fixture
def period(county, make, codes):
    """Q1 2026 (current) and Q4 2025 (previous) at bank A's outlets, plus rows that
    must stay out: another bank, another county, the day after the quarter."""
    from tests.complaints.factories import HandlingCategoryFactory

    complex_ = HandlingCategoryFactory(name="服务产品", complexity="complex")
    B1, B2, C1, C2 = codes["B1"], codes["B2"], codes["C1"], codes["C2"]
    # c1: answered before its due time, satisfied, 100.00 recovered.
    make(
        county.a_out1,
        received_at=local(2026, 1, 5, 10),
        intake_source="phone",
        business=B1,
        cause=C1,
        due_at=local(2026, 1, 5, 17),
        answered_at=local(2026, 1, 5, 15),
        satisfaction="satisfied",
        money_recovered=Decimal("100.00"),
        status="answered",
    )
    # c2: complex, answered a day late, basically satisfied, archived, 50.50.
    make(
        county.a_out2,
        received_at=local(2026, 2, 10, 9),
        intake_source="walk_in",
        category=complex_,
        business=B1,
        cause=C2,
        due_at=local(2026, 2, 13, 17),
        answered_at=local(2026, 2, 14, 10),
        satisfaction="basic",
        money_recovered=Decimal("50.50"),
        status="archived",
    )
    # c3: a consultation answered on the dot (<= due), unsatisfied, a repeat.
    make(
        county.a_out1,
        kind="consultation",
        received_at=local(2026, 3, 1, 9),
        intake_source="phone",
        business=B2,
        cause=C1,
        due_at=local(2026, 3, 1, 16),
        answered_at=local(2026, 3, 1, 16),
        satisfaction="unsatisfied",
        is_repeat=True,
        status="answered",
    )
    # c4: a report, complex, still in progress past its due time: late.
    make(
        county.bank_a,
        kind="report",
        received_at=local(2026, 3, 20, 9),
        intake_source="letter",
        category=complex_,
        due_at=local(2026, 3, 25, 17),
        status="in_progress",
    )
    # c5: received half an hour before the quarter ends, not yet due: pending; major.
    make(
        county.a_out1,
        received_at=local(2026, 3, 31, 23, 30),
        intake_source="online",
        business=B2,
        due_at=local(2026, 4, 20, 17),
        is_major=True,
        status="assigned",
    )
    make(county.a_out1, received_at=local(2026, 1, 15, 9), status="refused")  # c6
    make(county.a_out1, received_at=local(2026, 2, 1, 9), intake_source="government",
         status="transferred")  # fmt: skip
    # Outside: bank B (in the county), the next quarter, another county.
    make(county.b_out1, received_at=local(2026, 2, 2, 9), status="registered")
    make(county.a_out1, received_at=local(2026, 4, 1, 0, 0), status="registered")
    make(county.bank_x, received_at=local(2026, 2, 2, 9), status="registered")
    # Previous quarter: one on time and satisfied, one late, unsatisfied and a repeat.
    make(
        county.a_out1,
        received_at=local(2025, 11, 1, 9),
        due_at=local(2025, 11, 1, 17),
        answered_at=local(2025, 11, 1, 11),
        satisfaction="satisfied",
        business=B1,
        money_recovered=Decimal("20"),
        status="archived",
    )
    make(
        county.a_out2,
        received_at=local(2025, 12, 31, 23, 59),
        due_at=local(2026, 1, 1, 17),
        answered_at=local(2026, 1, 4, 9),
        satisfaction="unsatisfied",
        is_repeat=True,
        status="answered",
    )
    make(county.a_out1, received_at=local(2025, 9, 30, 23, 59), status="answered")


def _by(buckets):
    return {b.key: b.count for b in buckets}


def test_statistics_of_bank_a_match_the_hand_count(county, period, codes):
    s = selectors.complaint_statistics(
        county.regulator, start=Q1[0], end=Q1[1], root=county.bank_a, now=NOW
    )
    assert s.received == 7
    assert _by(s.by_kind) == {"consultation": 1, "complaint": 5, "report": 1}
    assert _by(s.by_source) == {
        "phone": 3,
        "book": 0,
        "walk_in": 1,
        "letter": 1,
        "online": 1,
        "media": 0,
        "government": 1,
        "regulator": 0,
        "hotline_12363": 0,
        "hotline_12378": 0,
    }
    assert _by(s.by_complexity) == {"simple": 5, "complex": 2}
    assert _by(s.by_business) == {str(codes["B1"].pk): 2, str(codes["B2"].pk): 2, "": 3}
    assert _by(s.by_cause) == {str(codes["C1"].pk): 2, str(codes["C2"].pk): 1, "": 4}
    assert [str(b.label) for b in s.by_business] == ["未分类", "个人存款", "银行卡"]
    assert (s.answered, s.on_time, s.answered_late, s.open_overdue, s.pending) == (3, 2, 1, 1, 1)
    assert s.late == 2
    assert s.on_time_rate == 2 / 4
    assert (s.satisfied, s.basically_satisfied, s.unsatisfied) == (1, 1, 1)
    assert s.satisfaction_rate == 2 / 3
    assert s.repeat == 1
    assert s.repeat_rate == 1 / 7
    assert s.major == 1
    assert s.money_recovered == Decimal("150.50")
    assert (s.refused, s.transferred) == (1, 1)


def test_open_complaint_without_a_due_time_is_pending_not_overdue(county, make):
    # Registered, not yet categorised: no due time, so it cannot be past it.
    make(county.a_out1, received_at=local(2026, 2, 2, 9), due_at=None, status="registered")
    make(
        county.a_out1,
        received_at=local(2026, 2, 3, 9),
        due_at=local(2026, 2, 3, 17),
        status="in_progress",
    )
    s = selectors.complaint_statistics(
        county.regulator, start=Q1[0], end=Q1[1], root=county.bank_a, now=NOW
    )
    assert (s.open_overdue, s.pending) == (1, 1)


def test_previous_period_is_the_quarter_before_and_compared(county, period):
    cmp = selectors.statistics_compared(
        county.a_manager, start=Q1[0], end=Q1[1], root=None, now=NOW
    )
    p = cmp.previous
    assert (p.start, p.end) == (date(2025, 10, 1), date(2025, 12, 31))
    assert p.received == 2
    assert (p.on_time, p.answered_late, p.open_overdue) == (1, 1, 0)
    assert p.on_time_rate == 0.5
    assert p.satisfaction_rate == 0.5
    assert p.repeat_rate == 0.5
    assert p.money_recovered == Decimal("20.00")
    figures = {f.key: f for f in cmp.figures}
    assert (figures["received"].current, figures["received"].previous) == (7, 2)
    assert figures["received"].change == 5
    assert figures["on_time_rate"].change == 0
    assert figures["satisfaction_rate"].change == pytest.approx(2 / 3 - 0.5)
    assert figures["money_recovered"].change == Decimal("130.50")
    kinds = {b.key: (b.current, b.previous, b.change) for b in cmp.breakdown("by_kind")}
    assert kinds["complaint"] == (5, 2, 3)


def test_root_and_scope(county, period):
    jurisdiction = selectors.complaint_statistics(county.regulator, start=Q1[0], end=Q1[1], now=NOW)
    assert jurisdiction.received == 8  # bank B's too
    assert (
        selectors.complaint_statistics(county.a_manager, start=Q1[0], end=Q1[1], now=NOW).received
        == 7
    )
    outlet = selectors.complaint_statistics(
        county.regulator, start=Q1[0], end=Q1[1], root=county.a_out2, now=NOW
    )
    assert outlet.received == 1
    other = selectors.complaint_statistics(county.other_regulator, start=Q1[0], end=Q1[1], now=NOW)
    assert other.received == 1  # bank X only
    assert (
        selectors.complaint_statistics(
            county.other_regulator, start=Q1[0], end=Q1[1], root=county.bank_a, now=NOW
        ).received
        == 0
    )
    # A teller sees their own outlet only.
    assert (
        selectors.complaint_statistics(county.a2_teller, start=Q1[0], end=Q1[1], now=NOW).received
        == 1
    )


def test_empty_period_has_no_rates(county):
    s = selectors.complaint_statistics(county.regulator, start=Q1[0], end=Q1[1], now=NOW)
    assert s.received == 0
    assert (s.on_time_rate, s.satisfaction_rate, s.repeat_rate) == (None, None, None)
    assert s.money_recovered == Decimal("0.00")


def test_statistics_cost_three_queries_per_period(county, period, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        selectors.statistics_compared(county.regulator, start=Q1[0], end=Q1[1], now=NOW)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 1, 1), date(2026, 3, 31), (date(2025, 10, 1), date(2025, 12, 31))),
        (date(2026, 4, 1), date(2026, 6, 30), (date(2026, 1, 1), date(2026, 3, 31))),
        (date(2026, 3, 1), date(2026, 3, 31), (date(2026, 2, 1), date(2026, 2, 28))),
        (date(2026, 1, 1), date(2026, 1, 31), (date(2025, 12, 1), date(2025, 12, 31))),
        (date(2026, 3, 10), date(2026, 3, 19), (date(2026, 2, 28), date(2026, 3, 9))),
        (date(2026, 2, 1), date(2026, 3, 31), (date(2025, 12, 4), date(2026, 1, 31))),
    ],
)
def test_previous_period(start, end, expected):
    assert previous_period(start, end) == expected


def test_quarter_bounds():
    assert quarter_bounds(date(2026, 11, 27)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_bounds(date(2026, 2, 28)) == (date(2026, 1, 1), date(2026, 3, 31))


def test_statistics_page_shows_numbers_charts_and_agrees_with_the_list(client, county, period):
    client.force_login(county.a_manager)
    response = client.get(reverse("supervision:statistics") + "?start=2026-01-01&end=2026-03-31")
    assert response.status_code == 200
    body = response.content.decode()
    current = response.context["current"]
    assert current.received == 7
    assert body.count("<svg") == 6  # one chart per breakdown, the rating source included
    assert "<script" not in body.split("</main>")[0]
    assert "cdn" not in body.lower()
    # The received figure links to the complaint list with the same filters.
    list_url = (
        reverse("complaints:list")
        + f"?date_from=2026-01-01&date_to=2026-03-31&institution={county.bank_a.pk}"
    )
    assert list_url.replace("&", "&amp;") in body
    assert client.get(list_url).context["page"].paginator.count == current.received
    # So do the bars of a breakdown the list can filter by.
    walk_in = client.get(list_url + "&intake_source=walk_in").context["page"].paginator.count
    assert walk_in == 1


def test_statistics_default_to_this_quarter(client, county):
    client.force_login(county.regulator)
    response = client.get(reverse("supervision:statistics"))
    from django.utils import timezone

    assert (response.context["current"].start, response.context["current"].end) == quarter_bounds(
        timezone.localdate()
    )


def test_statistics_refuse_an_inverted_period(client, county):
    client.force_login(county.regulator)
    response = client.get(reverse("supervision:statistics") + "?start=2026-03-31&end=2026-01-01")
    assert "截止日期不能早于起始日期。" in response.content.decode()


def test_bar_chart_is_inline_svg_with_escaped_labels():
    from supervision.selectors import Bucket
    from supervision.templatetags.supervision_tags import hbars, percent, signed

    svg = str(
        hbars([Bucket("a", "<b>银行卡</b>", 4), Bucket("b", "金融机构服务设施、设备、业务系统", 2)])
    )
    assert svg.startswith('<svg class="chart" role="img"')
    assert "&lt;b&gt;银行卡&lt;/b&gt;" in svg
    assert "<b>" not in svg
    assert "金融机构服务设施、设备、…" in svg  # cut, with the full label as its tooltip
    assert "<title>金融机构服务设施、设备、业务系统</title>" in svg
    assert "href" not in svg
    assert (percent(2 / 3), percent(None)) == ("66.7%", "—")
    assert (signed(3), signed(-2), signed(0.05, "rate")) == ("+3", "-2", "+5.0 个百分点")


def test_ratings_are_told_apart_by_who_gave_them(client, county, make):
    """The consumer's own rating on the portal and the one staff recorded by phone
    are counted apart (issue 24)."""
    when = {"received_at": local(2026, 1, 5, 10), "answered_at": local(2026, 1, 6, 10)}
    rows = [
        ("consumer", "satisfied"),
        ("consumer", "satisfied"),
        ("consumer", "unsatisfied"),
        ("staff", "satisfied"),
        ("staff", "basic"),
    ]
    for source, rating in rows:
        make(
            county.a_out1,
            status="answered",
            satisfaction=rating,
            satisfaction_source=source,
            **when,
        )
    s = selectors.complaint_statistics(
        county.regulator, start=Q1[0], end=Q1[1], root=county.bank_a, now=NOW
    )
    assert {b.key: b.count for b in s.by_rating if b.count} == {
        "consumer:satisfied": 2,
        "consumer:unsatisfied": 1,
        "staff:satisfied": 1,
        "staff:basic": 1,
    }
    assert (s.satisfied, s.basically_satisfied, s.unsatisfied) == (3, 1, 1)
    client.force_login(county.regulator)
    page = client.get(
        reverse("supervision:statistics"),
        {"period": "custom", "start": "2026-01-01", "end": "2026-03-31"},
    ).content.decode()
    assert "按满意度评价来源" in page
    assert "消费者本人评价·满意" in page
