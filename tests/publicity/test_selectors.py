"""Summaries and totals against the hand-counted fixture (tests/publicity/conftest.py)."""

from dataclasses import asdict
from datetime import date
from decimal import Decimal

import pytest

from publicity.enums import SummaryGrouping
from publicity.metrics import ActivityTotals
from publicity.selectors import (
    activity_list,
    activity_totals,
    activity_totals_by_subtree,
    campaign_summary,
    top_institutions_in_scope,
)

BANK_A = ActivityTotals(
    activities=4, outlets=3, outdoor_events=2, staff_times=25, leaflets=1150, sms_sent=158,
    people_reached=880, banners=5, boards=3, desks=3, consultations=170, complaints_on_site=3,
    mediated_on_site=1, money_recovered=Decimal("680.50"), media_reports=3, online_reads=0,
)  # fmt: skip
BANK_B = ActivityTotals(
    activities=1, outlets=1, outdoor_events=0, staff_times=8, leaflets=1000, sms_sent=600,
    people_reached=500, banners=1, boards=0, desks=1, consultations=30, complaints_on_site=4,
    mediated_on_site=0, money_recovered=Decimal("0.00"), media_reports=0, online_reads=250,
)  # fmt: skip
PBC = ActivityTotals(
    activities=1, outlets=1, outdoor_events=1, staff_times=12, leaflets=2000, sms_sent=0,
    people_reached=1000, banners=5, boards=4, desks=5, consultations=480, complaints_on_site=0,
    mediated_on_site=0, money_recovered=Decimal("0.00"), media_reports=1, online_reads=0,
)  # fmt: skip
COUNTY = ActivityTotals(
    activities=6, outlets=5, outdoor_events=3, staff_times=45, leaflets=4150, sms_sent=758,
    people_reached=2380, banners=11, boards=7, desks=9, consultations=680, complaints_on_site=7,
    mediated_on_site=1, money_recovered=Decimal("680.50"), media_reports=4, online_reads=250,
)  # fmt: skip
A_OUT1 = ActivityTotals(
    activities=2, outlets=1, outdoor_events=1, staff_times=15, leaflets=700, sms_sent=100,
    people_reached=400, banners=2, boards=1, desks=1, consultations=50, complaints_on_site=2,
    mediated_on_site=1, money_recovered=Decimal("120.50"), media_reports=2, online_reads=0,
)  # fmt: skip


def _rows(summary):
    return [(row.institution.code, row.totals) for row in summary.rows]


def test_summary_for_regulator_groups_by_bank_with_county_total(county, publicity):
    summary = campaign_summary(user=county.regulator, campaign=publicity.campaign)
    assert _rows(summary) == [("PBC", PBC), ("BANK-A", BANK_A), ("BANK-B", BANK_B)]
    assert summary.total == COUNTY
    assert summary.targets == [("计划参与网点", 6, 5), ("计划发放宣传资料", 5000, 4150)]


def test_summary_by_institution_has_one_row_per_holder(county, publicity):
    summary = campaign_summary(
        user=county.regulator, campaign=publicity.campaign, grouping=SummaryGrouping.INSTITUTION
    )
    rows = _rows(summary)
    assert [code for code, _t in rows] == ["PBC", "BANK-A", "A-OUT1", "A-OUT2", "B-OUT1"]
    assert dict(rows)["A-OUT1"] == A_OUT1
    assert dict(rows)["BANK-A"].staff_times == 6
    assert dict(rows)["BANK-A"].media_reports == 1
    assert summary.total == COUNTY


def test_summary_for_bank_manager_covers_only_their_bank(county, publicity):
    summary = campaign_summary(user=county.a_manager, campaign=publicity.campaign)
    assert _rows(summary) == [("BANK-A", BANK_A)]
    assert summary.total == BANK_A


def test_summary_for_teller_covers_only_their_outlet(county, publicity):
    summary = campaign_summary(user=county.a_teller, campaign=publicity.campaign)
    assert _rows(summary) == [("A-OUT1", A_OUT1)]
    assert summary.total == A_OUT1


def test_summary_for_other_bank_never_includes_bank_a(county, publicity):
    summary = campaign_summary(user=county.b_manager, campaign=publicity.campaign)
    assert _rows(summary) == [("BANK-B", BANK_B)]


def test_summary_for_other_county_shows_only_its_own_activity(county, publicity):
    summary = campaign_summary(user=county.other_regulator, campaign=publicity.campaign)
    assert [code for code, _t in _rows(summary)] == ["BANK-X"]
    assert summary.total.staff_times == 99


def test_summary_total_is_zero_without_activities(county, publicity):
    empty = publicity.later
    summary = campaign_summary(user=county.b_manager, campaign=empty)
    assert summary.rows == []
    assert summary.total == ActivityTotals()


def test_summary_query_count_does_not_grow_with_rows(county, publicity, django_assert_num_queries):
    # tops, grouped figures, grouped media, institutions, total figures, total media
    with django_assert_num_queries(6):
        campaign_summary(user=county.regulator, campaign=publicity.campaign)


def test_top_institutions_in_scope_by_role(county):
    def codes(user):
        return list(top_institutions_in_scope(user=user).values_list("code", flat=True))

    assert codes(county.regulator) == ["PBC", "BANK-A", "BANK-B"]
    assert codes(county.a_manager) == ["BANK-A"]
    assert codes(county.a_teller) == ["A-OUT1"]


def test_activity_totals_for_subtree_and_period(county, publicity):
    march = {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)}
    assert activity_totals(institution=county.bank_a, **march) == BANK_A
    assert activity_totals(institution=county.a_out1, **march) == A_OUT1
    spring = activity_totals(
        institution=county.bank_a, date_from=date(2026, 3, 1), date_to=date(2026, 4, 30)
    )
    assert (spring.activities, spring.staff_times, spring.people_reached) == (5, 28, 940)
    one_day = activity_totals(
        institution=county.bank_a, date_from=date(2026, 3, 15), date_to=date(2026, 3, 15)
    )
    assert (one_day.activities, one_day.outdoor_events, one_day.media_reports) == (2, 2, 3)


def test_activity_totals_filtered_by_campaign(county, publicity):
    totals = activity_totals(
        institution=county.bank_a,
        date_from=date(2026, 1, 1),
        date_to=date(2026, 12, 31),
        campaign=publicity.later,
    )
    assert asdict(totals) == asdict(
        ActivityTotals(activities=1, outlets=1, staff_times=3, people_reached=60)
    )


def test_activity_totals_by_subtree_gives_every_bank_in_two_queries(
    county, publicity, django_assert_num_queries
):
    with django_assert_num_queries(2):
        totals = activity_totals_by_subtree(
            institutions=[county.bank_a, county.bank_b, county.pbc, county.other_pbc],
            date_from=date(2026, 3, 1),
            date_to=date(2026, 3, 31),
        )
    assert totals == {
        county.bank_a.pk: BANK_A,
        county.bank_b.pk: BANK_B,
        county.pbc.pk: PBC,
        county.other_pbc.pk: ActivityTotals(),
    }


def test_activity_totals_by_subtree_refuses_overlapping_subtrees(county):
    with pytest.raises(ValueError, match="overlap"):
        activity_totals_by_subtree(
            institutions=[county.bank_a, county.a_out1],
            date_from=date(2026, 3, 1),
            date_to=date(2026, 3, 31),
        )


@pytest.mark.parametrize(
    ("who", "titles"),
    [
        ("a_teller", {"甲一网点户外宣传", "甲一网点阵地宣传", "四月进社区"}),
        ("a2_teller", {"甲二网点进社区"}),
        ("b_teller", {"乙一网点送知识下乡"}),
        ("b_manager", {"乙一网点送知识下乡"}),
        (
            "a_manager",
            {
                "甲一网点户外宣传", "甲一网点阵地宣传", "甲二网点进社区", "甲行广场集中宣传",
                "四月进社区",
            },
        ),
        ("a_handler", {"甲行广场集中宣传"}),
        (
            "regulator",
            {
                "甲一网点户外宣传", "甲一网点阵地宣传", "甲二网点进社区", "甲行广场集中宣传",
                "四月进社区", "乙一网点送知识下乡", "人行主会场",
            },
        ),
        ("other_regulator", {"邻县丙行活动"}),
    ],
)  # fmt: skip
def test_activity_list_is_scoped(county, publicity, who, titles):
    user = getattr(county, who)
    assert set(activity_list(user=user).values_list("title", flat=True)) == titles
