"""Hot spots (投诉热点): cells against a hand count, the rule at its edges, every
number equal to the complaint list behind it, scoping and the query count."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from complaints.models import TaxonomyCode
from supervision import selectors
from supervision.selectors import HotspotThreshold, Period, same_period_last_year

from .conftest import local

Q2 = (date(2026, 4, 1), date(2026, 6, 30))
DEFAULT = HotspotThreshold(min_count=3, min_rise_percent=50)


@pytest.fixture
def codes(db):
    return {
        "B1": TaxonomyCode.objects.create(dimension="B", code="TB1", name="个人存款"),
        "B2": TaxonomyCode.objects.create(dimension="B", code="TB2", name="银行卡"),
        "C1": TaxonomyCode.objects.create(dimension="C", code="TC1", name="服务态度"),
        "C2": TaxonomyCode.objects.create(dimension="C", code="TC2", name="业务差错"),
    }


@pytest.fixture
def seeded(county, make, codes):
    """Q2 2026 against Q1 2026 (previous) and Q2 2025 (last year). Hand count of
    bank A, the office's row (outlets and the bank's own level together):

    ============  ==========  ========  =========  ===========================
    cell          current     previous  last year  flagged (3, +50 %)
    ============  ==========  ========  =========  ===========================
    C1×B1         3+1 = 4     2         1          yes (+100 %, +300 %)
    C2×B1         3           3         0          no: no rise on the previous
    C1×B2         3           0         3          no: no rise on last year
    C2×B2         3+1 = 4     1         0          yes (3 of them at 本级)
    ============  ==========  ========  =========  ===========================

    Bank A's totals: current 16 (2 unclassified), previous 6, last year 4.
    Bank B: C1×B1 5/0/0, flagged. The office's own intake (5 in C1×B1) is nobody's
    hot spot; the other county's bank X has its own (4 in C1×B1)."""
    b1, b2, c1, c2 = codes["B1"], codes["B2"], codes["C1"], codes["C2"]

    def at(inst, day, n=1, **f):
        for i in range(n):
            make(inst, received_at=local(*day, 9 + i), status="registered", **f)

    # C1×B1 at bank A: 3 + 1 now, 2 last quarter, 1 a year ago.
    at(county.a_out1, (2026, 4, 2), 3, cause=c1, business=b1)
    at(county.a_out2, (2026, 6, 30), 1, cause=c1, business=b1)
    at(county.a_out1, (2026, 3, 31), 2, cause=c1, business=b1)
    at(county.a_out2, (2025, 5, 5), 1, cause=c1, business=b1)
    # C2×B1: 3 now and 3 last quarter.
    at(county.a_out1, (2026, 5, 5), 3, cause=c2, business=b1)
    at(county.a_out1, (2026, 2, 5), 3, cause=c2, business=b1)
    # C1×B2: 3 now, none last quarter, 3 a year ago.
    at(county.a_out2, (2026, 5, 6), 3, cause=c1, business=b2)
    at(county.a_out2, (2025, 6, 30), 3, cause=c1, business=b2)
    # C2×B2 handled at the bank itself: 3 now, 1 last quarter.
    at(county.bank_a, (2026, 5, 7), 3, cause=c2, business=b2)
    at(county.bank_a, (2026, 1, 7), 1, cause=c2, business=b2)
    at(county.a_out2, (2026, 5, 9), 1, cause=c2, business=b2)  # not the bank's own level
    # Unclassified: in the totals, no cell.
    at(county.a_out1, (2026, 5, 8), 2, business=b1)
    # Elsewhere and outside.
    at(county.b_out1, (2026, 4, 9), 5, cause=c1, business=b1)
    at(county.pbc, (2026, 4, 9), 5, cause=c1, business=b1)
    at(county.bank_x, (2026, 4, 9), 4, cause=c1, business=b1)
    at(county.a_out1, (2026, 7, 1, 0), 1, cause=c1, business=b1)  # the next quarter
    return codes


def _cells(hotspots):
    return {
        (h.institution.code, h.own_level, h.cause_code, h.business_code): (
            h.current,
            h.previous,
            h.last_year,
        )
        for h in hotspots.cells
    }


def test_office_hot_spots_match_the_hand_count(county, seeded):
    spots = selectors.complaint_hotspots(county.regulator, start=Q2[0], end=Q2[1])
    assert (spots.previous, spots.last_year) == (
        Period(date(2026, 1, 1), date(2026, 3, 31)),
        Period(date(2025, 4, 1), date(2025, 6, 30)),
    )
    assert spots.threshold == DEFAULT
    assert [(h.institution.code, h.cause_code, h.business_code) for h in spots.cells] == [
        ("BANK-B", "TC1", "TB1"),
        ("BANK-A", "TC1", "TB1"),
        ("BANK-A", "TC2", "TB2"),
    ]
    assert _cells(spots) == {
        ("BANK-B", False, "TC1", "TB1"): (5, 0, 0),
        ("BANK-A", False, "TC1", "TB1"): (4, 2, 1),
        ("BANK-A", False, "TC2", "TB2"): (4, 1, 0),
    }
    a = spots.cells[1]
    assert (a.current_total, a.previous_total, a.last_year_total) == (16, 6, 4)
    assert a.current_share == pytest.approx(4 / 16)
    assert (a.rise_vs_previous, a.rise_vs_last_year) == (1.0, 3.0)
    assert spots.cells[0].rise_vs_previous is None  # new: no base


def test_bank_view_splits_outlets_and_its_own_level(county, seeded):
    spots = selectors.complaint_hotspots(county.a_manager, start=Q2[0], end=Q2[1])
    # A-OUT1 C1×B1 is 3 against 2: exactly +50 %, flagged; A-OUT2's single case is
    # not, nor A-OUT2's one C2×B2 beside the bank's own three.
    assert _cells(spots) == {
        ("A-OUT1", False, "TC1", "TB1"): (3, 2, 0),
        ("BANK-A", True, "TC2", "TB2"): (3, 1, 0),
    }
    # The office looking into bank A sees what the bank's manager sees.
    assert _cells(
        selectors.complaint_hotspots(county.regulator, start=Q2[0], end=Q2[1], root=county.bank_a)
    ) == _cells(spots)


def test_threshold_decides_at_its_edges(county, seeded):
    stricter = selectors.complaint_hotspots(
        county.a_manager,
        start=Q2[0],
        end=Q2[1],
        threshold=HotspotThreshold(min_count=3, min_rise_percent=51),
    )
    assert _cells(stricter) == {("BANK-A", True, "TC2", "TB2"): (3, 1, 0)}
    fewer = selectors.complaint_hotspots(
        county.regulator,
        start=Q2[0],
        end=Q2[1],
        threshold=HotspotThreshold(min_count=4, min_rise_percent=50),
    )
    assert _cells(fewer) == {
        ("BANK-B", False, "TC1", "TB1"): (5, 0, 0),
        ("BANK-A", False, "TC1", "TB1"): (4, 2, 1),
        ("BANK-A", False, "TC2", "TB2"): (4, 1, 0),
    }


@pytest.mark.parametrize(
    ("current", "previous", "last_year", "flagged"),
    [
        (3, 2, 2, True),  # +50 % both
        (3, 2, 3, False),  # no rise on last year
        (2, 0, 0, False),  # below the minimum count
        (3, 0, 0, True),  # new
        (4, 3, 0, False),  # +33 %
    ],
)
def test_rule(current, previous, last_year, flagged):
    assert DEFAULT.flags(current, previous, last_year) is flagged


def test_other_county_office_sees_nothing_of_this_county(client, county, seeded):
    spots = selectors.complaint_hotspots(county.other_regulator, start=Q2[0], end=Q2[1])
    assert _cells(spots) == {("BANK-X", False, "TC1", "TB1"): (4, 0, 0)}
    assert (
        _cells(
            selectors.complaint_hotspots(
                county.other_regulator, start=Q2[0], end=Q2[1], root=county.bank_a
            )
        )
        == {}
    )
    client.force_login(county.other_regulator)
    url = reverse("supervision:statistics") + "?start=2026-04-01&end=2026-06-30"
    assert client.get(url + f"&root={county.bank_a.pk}").status_code == 404
    assert "甲银行" not in client.get(url).content.decode()


def test_hot_spots_cost_two_queries(county, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        spots = selectors.complaint_hotspots(county.regulator, start=Q2[0], end=Q2[1])
    assert len(spots.cells) == 3


_LINK = re.compile(r'<a data-period="(\w+)" href="([^"]+)">(\d+)</a>')


@pytest.mark.parametrize("user", ["regulator", "a_manager"])
def test_every_hot_spot_number_equals_the_list_behind_it(client, county, seeded, user):
    client.force_login(getattr(county, user))
    response = client.get(reverse("supervision:statistics") + "?start=2026-04-01&end=2026-06-30")
    assert response.status_code == 200
    section = response.content.decode().split('data-testid="hotspots"')[1].split("</section>")[0]
    links = _LINK.findall(section)
    assert len(links) == 3 * len(response.context["hotspots"].cells) > 0
    for period, href, shown in links:
        listed = client.get(unescape(href)).context["page"].paginator.count
        assert listed == int(shown), (period, href)


def test_page_threshold_fields_override_the_settings(client, county, seeded, settings):
    settings.HOTSPOT_MIN_COUNT = 5
    client.force_login(county.regulator)
    base = reverse("supervision:statistics") + "?start=2026-04-01&end=2026-06-30"
    assert len(client.get(base).context["hotspots"].cells) == 1  # bank B's 5
    response = client.get(base + "&min_count=3&min_rise=50")
    assert response.context["hotspots"].threshold == DEFAULT
    assert len(response.context["hotspots"].cells) == 3
    bad = client.get(base + "&min_count=0")
    assert bad.status_code == 200
    assert bad.context["hotspots"].threshold.min_count == 5  # invalid: the defaults


def test_same_period_last_year_of_a_leap_day():
    assert same_period_last_year(date(2028, 2, 1), date(2028, 2, 29)) == (
        date(2027, 2, 1),
        date(2027, 2, 28),
    )


def test_rectification_action_carries_the_cell(client, county, seeded):
    client.force_login(county.regulator)
    body = client.get(
        reverse("supervision:statistics") + "?start=2026-04-01&end=2026-06-30"
    ).content.decode()
    c1, b1 = seeded["C1"].pk, seeded["B1"].pk
    expected = (
        reverse("supervision:rectification_new")
        + f"?source=hotspot&institution={county.bank_a.pk}&cause={c1}&business_line={b1}"
        + "&period=2026Q2"
    )
    assert expected.replace("&", "&amp;") in body
    assert body.count("source=hotspot") == 3
