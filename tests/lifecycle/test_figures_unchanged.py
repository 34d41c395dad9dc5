"""The auditor's question: after a past quarter is anonymised, every figure of the
statistics and of the quarterly report pack is what it was."""

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
import time_machine

from complaints.models import Complaint
from lifecycle.models import RetentionRun
from lifecycle.services.runs import retention_run_execute
from reports.models import ReportPack
from reports.services import report_pack_build
from supervision.selectors.statistics import complaint_statistics
from tests.complaints.factories import ComplaintFactory

from .helpers import at

#: The columns of the pack's case sheets holding the complainant (masked there
#: already): the only cells anonymisation may change.
PERSONAL_COLUMNS = {"投诉人", "联系电话"}


@pytest.fixture
def q3_2021(county, categories):
    common = {
        "complained_institution": county.a_out1,
        "category": categories["服务态度"],
        "first_responder": county.a_teller,
    }
    rows = [
        ("answered", "satisfied", at(2021, 7, 1), at(2021, 7, 1, 15), False, Decimal("100.50")),
        ("archived", "unsatisfied", at(2021, 8, 3), at(2021, 8, 9, 9), False, Decimal("0")),
        ("archived", "basic", at(2021, 9, 10), at(2021, 9, 11), True, Decimal("20")),
        ("refused", "", at(2021, 9, 20), None, False, Decimal("0")),
        ("withdrawn", "", at(2021, 8, 20), None, False, Decimal("0")),
    ]
    for n, (status, satisfaction, received, answered, major, money) in enumerate(rows):
        ComplaintFactory(
            received_at=received,
            due_at=received + dt.timedelta(days=2),
            statutory_due_at=received + dt.timedelta(days=15),
            answered_at=answered,
            closed_at=None if status == "answered" else (answered or received),
            status=status,
            satisfaction=satisfaction,
            is_major=major,
            reported_to_regulator_at=received if major else None,
            money_recovered=money,
            complainant_name="王五",
            complainant_phone=f"1391234{n:04d}",
            description=f"王五来电1391234{n:04d}称银行卡6222020200112233445被扣费",
            **common,
        )


def _pack(county):
    pack = ReportPack.objects.create(
        year=2021, quarter=3, root=county.pbc, requested_by=county.regulator
    )
    pack = report_pack_build(pack.pk)
    wb = openpyxl.load_workbook(pack.file.path)
    sheets = {}
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        header = rows[0] if rows else []
        drop = {i for i, h in enumerate(header) if h in PERSONAL_COLUMNS}
        sheets[ws.title] = [[v for i, v in enumerate(r) if i not in drop] for r in rows]
    return sheets


def test_statistics_and_pack_identical_before_and_after(county, q3_2021, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    now = at(2025, 6, 1)
    with time_machine.travel(now, tick=False):
        stats_before = complaint_statistics(
            county.regulator, start=dt.date(2021, 7, 1), end=dt.date(2021, 9, 30), now=now
        )
        pack_before = _pack(county)
        run = retention_run_execute(run_id=RetentionRun.objects.create(mode="run").pk)
        assert run.complaints == 4  # the answered one is not closed: kept
        assert Complaint.objects.filter(complainant_name="王五").count() == 1
        stats_after = complaint_statistics(
            county.regulator, start=dt.date(2021, 7, 1), end=dt.date(2021, 9, 30), now=now
        )
        pack_after = _pack(county)
    assert stats_before.received == 5
    assert stats_after == stats_before
    assert pack_after == pack_before
    assert pack_before["汇总"][1][1] == 5  # 受理总量 in the quarter
