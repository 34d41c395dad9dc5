"""The quarterly pack's mediation sheet against a hand count: cases written straight
to the table with exact dates, Q3 2026, the county office's pack."""

import datetime as dt
from itertools import count
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from openpyxl import Workbook

from mediation.models import MediationAgreement, MediationCase
from reports.builder import Quarter
from reports.sheets_mediation import mediation_sheet

TZ = ZoneInfo("Asia/Shanghai")
Q3 = Quarter(2026, 3)
_numbers = count(1)


def _at(month, day, year=2026):
    return dt.datetime(year, month, day, 10, tzinfo=TZ)


def _case(county, institution, *, opened, procedure="simple", status="mediating", **fields):
    office = county.other_pbc if institution == county.bank_x else county.pbc
    return MediationCase.objects.create(
        case_no=f"T-{next(_numbers)}",
        source="direct",
        institution=institution,
        office=office,
        applicant_name="张三",
        applied_on=opened.date(),
        request="退还手续费",
        procedure=procedure,
        mode="on_site",
        due_on=opened.date() + dt.timedelta(days=15),
        status=status,
        opened_by=county.regulator,
        opened_at=opened,
        **fields,
    )


def _agreement(case, effective_on):
    MediationAgreement.objects.create(
        case=case,
        parties="双方",
        facts="争议",
        responsibilities="机构",
        terms="退还",
        performance_method="转账",
        perform_by=effective_on + dt.timedelta(days=7),
        effective_on=effective_on,
        consumer_signatory="张三",
        institution_signatory="李四",
        recorded_by=case.opened_by,
    )


@pytest.fixture
def cases(county):
    """Bank A (outlets and the bank itself), simple procedure:
    opened in Q3: 1 (agreed, effective in Q3, performed in Q3, court confirmed in Q3),
    2 (failed in Q3), 3 (declined in Q3), 4 (still mediating) → opened 4, agreements 1,
    failed 1, declined 1, ended 3, performed 1, judicial 1, success 1/2.
    Bank A, ordinary: 5, opened in Q2, agreement effective in Q3 → opened 0, agreements 1.
    Bank B, complex: 6 opened in Q3. Outside: 7 opened in Q4 at bank A; bank X in the
    other county opened in Q3."""
    c1 = _case(
        county,
        county.a_out1,
        opened=_at(7, 2),
        status="performed",
        closed_at=_at(8, 1),
        performed_at=_at(8, 20),
        judicial_decision="confirmed",
        judicial_decided_on=dt.date(2026, 9, 1),
        judicial_case_no="（2026）冀0000民特1号",
    )
    _agreement(c1, dt.date(2026, 8, 1))
    _case(county, county.a_out2, opened=_at(7, 3), status="failed", closed_at=_at(8, 3))
    _case(county, county.bank_a, opened=_at(7, 4), status="declined", closed_at=_at(7, 5))
    _case(county, county.a_out1, opened=_at(9, 30))
    c5 = _case(county, county.a_out1, opened=_at(6, 30), procedure="ordinary", status="agreed")
    _agreement(c5, dt.date(2026, 7, 1))
    _case(county, county.b_out1, opened=_at(8, 8), procedure="complex")
    _case(county, county.a_out1, opened=_at(10, 1))
    _case(county, county.bank_x, opened=_at(8, 8))


def _rows(user, root, tmp_path):
    wb = Workbook(write_only=True)
    mediation_sheet(wb, "纠纷调解", user=user, quarter=Q3, root=root)
    wb.save(path := tmp_path / "pack.xlsx")
    return [list(r) for r in openpyxl.load_workbook(path)["纠纷调解"].iter_rows(values_only=True)]


def test_mediation_sheet_matches_the_hand_count(county, cases, tmp_path):
    rows = _rows(county.regulator, county.pbc, tmp_path)
    assert rows[0] == [
        "机构",
        "调解程序",
        "受理",
        "达成协议",
        "调解不成",
        "一方不同意",
        "终结合计",
        "履行完毕",
        "司法确认",
        "调解成功率",
    ]
    a, b = county.bank_a.name, county.bank_b.name
    assert rows[1:] == [
        [a, "简易程序", 4, 1, 1, 1, 3, 1, 1, 0.5],
        [a, "普通程序", 0, 1, 0, 0, 1, 0, 0, 1.0],
        [b, "复杂程序", 1, 0, 0, 0, 0, 0, 0, "—"],
        ["合计", None, 5, 2, 1, 1, 4, 1, 1, 2 / 3],
    ]


def test_mediation_sheet_of_a_bank_splits_its_outlets(county, cases, tmp_path):
    rows = _rows(county.a_manager, county.bank_a, tmp_path)
    out1, out2 = county.a_out1.name, county.a_out2.name
    assert rows[1:] == [
        [out1, "简易程序", 2, 1, 0, 0, 1, 1, 1, 1.0],
        [out1, "普通程序", 0, 1, 0, 0, 1, 0, 0, 1.0],
        [out2, "简易程序", 1, 0, 1, 0, 1, 0, 0, 0.0],
        [f"{county.bank_a.name}（本级）", "简易程序", 1, 0, 0, 1, 1, 0, 0, "—"],
        ["合计", None, 4, 2, 1, 1, 4, 1, 1, 2 / 3],
    ]


def test_other_county_office_sees_none_of_this_county(county, cases, tmp_path):
    rows = _rows(county.other_regulator, county.other_pbc, tmp_path)
    assert rows[1:] == [
        [county.bank_x.name, "简易程序", 1, 0, 0, 0, 0, 0, 0, "—"],
        ["合计", None, 1, 0, 0, 0, 0, 0, 0, "—"],
    ]
