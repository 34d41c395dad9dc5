"""The quarterly pack's measures and rectification sheets, against hand counts and
within the user's scope."""

import datetime as dt
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from reports.builder import Quarter
from reports.sheets_supervision import measures_sheet, rectification_sheet
from supervision.models import Measure, RectificationItem

TZ = ZoneInfo("Asia/Shanghai")


def _read(wb):
    """A write-only workbook is read back through one save/load round trip."""
    import io

    import openpyxl

    buf = io.BytesIO()
    wb.save(buf)
    loaded = openpyxl.load_workbook(buf)
    return {t: [list(r) for r in loaded[t].iter_rows(values_only=True)] for t in loaded.sheetnames}


def _measure(county, inst, office, user, day):
    return Measure.objects.create(
        institution=inst,
        office=office,
        kind="rectify_order",
        taken_on=day,
        basis="依据",
        content="内容",
        recorded_by=user,
    )


def _item(county, inst, overseer, user, due, **kw):
    return RectificationItem.objects.create(
        institution=inst,
        overseer=overseer,
        source="measure",
        requirement="整改要求",
        due_on=due,
        opened_by=user,
        **kw,
    )


def test_sheets_list_the_quarter_in_scope(county):
    q = Quarter(2026, 3)
    reg = county.regulator
    m = _measure(county, county.bank_a, county.pbc, reg, dt.date(2026, 8, 1))
    _measure(county, county.bank_b, county.pbc, reg, dt.date(2026, 6, 30))  # Q2
    _measure(county, county.bank_x, county.other_pbc, county.other_regulator, dt.date(2026, 8, 1))
    _item(
        county,
        county.bank_a,
        county.pbc,
        reg,
        dt.date(2026, 8, 20),
        measure=m,
        status="accepted",
        answered_at=dt.datetime(2026, 8, 20, 23, 0, tzinfo=TZ),
        accepted_at=dt.datetime(2026, 8, 21, 9, 0, tzinfo=TZ),
    )
    _item(county, county.b_out1, county.pbc, reg, dt.date(2026, 9, 30))
    _item(county, county.bank_a, county.pbc, reg, dt.date(2026, 10, 8))  # Q4
    _item(county, county.bank_x, county.other_pbc, county.other_regulator, dt.date(2026, 9, 1))

    wb = Workbook(write_only=True)
    assert measures_sheet(wb, "监管措施", user=reg, quarter=q, root=county.pbc).rows == 1
    assert rectification_sheet(wb, "整改事项", user=reg, quarter=q, root=county.pbc).rows == 2
    read = _read(wb)
    measures, items = read["监管措施"], read["整改事项"]
    assert measures[1][0].date() == dt.date(2026, 8, 1)
    assert measures[1][1:] == ["限期整改", county.bank_a.name, "依据", 1]
    assert [r[0] for r in items[1:]] == [county.bank_a.name, county.b_out1.name]
    assert [r[4:] for r in items[1:]] == [["已验收", "是"], ["待整改", "否"]]

    # Bank A's manager sees only bank A's rows.
    wb = Workbook(write_only=True)
    mgr = county.a_manager
    assert rectification_sheet(wb, "整改事项", user=mgr, quarter=q, root=county.bank_a).rows == 1
    assert measures_sheet(wb, "监管措施", user=mgr, quarter=q, root=county.bank_a).rows == 1
    assert len(_read(wb)["整改事项"]) == 2
