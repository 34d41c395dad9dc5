"""Regulator returns (监管报送): the standard return's rows and totals against hand
counts, the refusal when a code is missing, agreement with the statistics page,
formats, scope and hostile parameters."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints.models import TaxonomyCode
from reports.models import ReturnDefinition
from reports.returns.definitions import load_definitions
from reports.returns.generate import return_generate
from reports.returns.periods import Period
from reports.returns.spec import spec_errors
from tests.complaints.factories import ComplaintFactory

TZ = ZoneInfo("Asia/Shanghai")
Q3 = Period("quarterly", 2026, 3)


def when(month, day, hour=10):
    return dt.datetime(2026, month, day, hour, tzinfo=TZ)


@pytest.fixture
def definitions(db):
    load_definitions()
    return {d.slug: d for d in ReturnDefinition.objects.all()}


@pytest.fixture
def official(taxonomy):
    """Official codes for every code (a test mapping: 'X-' + our code)."""
    for t in taxonomy.values():
        t.official_code = f"X-{t.code}"
        t.save(update_fields=["official_code"])
    return taxonomy


@pytest.fixture
def q3(county, categories, official):
    """Q3 2026, hand counted:
    A-OUT1 × A101 × B01 × C01: 2 (one answered on time & satisfied, 100.50 recovered;
                                 one answered late & unsatisfied, repeat)
    A-OUT1 × A101 × B03 × C02: 1 (open, past due, major)
    B-OUT1 × A103 × B01 × C01: 1 (refused)
    Outside: Q2 (1 at A-OUT1), another county (1 at BANK-X)."""
    t, cat = official, categories["服务态度"]

    def make(inst, a, b, c, **kw):
        return ComplaintFactory(
            complained_institution=inst,
            category=cat,
            channel=t[a],
            business=t[b],
            cause=t[c],
            **kw,
        )

    make(
        county.a_out1, "A101", "B01", "C01",
        received_at=when(7, 1), due_at=when(7, 1, 17), answered_at=when(7, 1, 15),
        status="answered", satisfaction="satisfied", money_recovered=Decimal("100.50"),
    )  # fmt: skip
    make(
        county.a_out1, "A101", "B01", "C01",
        received_at=when(8, 3), due_at=when(8, 3, 17), answered_at=when(8, 5, 9),
        status="answered", satisfaction="unsatisfied", is_repeat=True,
    )  # fmt: skip
    make(
        county.a_out1, "A101", "B0301", "C02",
        received_at=when(9, 10), due_at=when(9, 10, 17), status="in_progress", is_major=True,
    )  # fmt: skip
    make(county.b_out1, "A103", "B01", "C01", received_at=when(9, 20), status="refused")
    make(county.a_out1, "A101", "B01", "C01", received_at=when(5, 5), status="registered")
    make(county.bank_x, "A101", "B01", "C01", received_at=when(7, 2), status="registered")


NOW = when(12, 1)


def _generate(user, definitions, root, slug="jrt0169-quarterly", period=Q3):
    return return_generate(
        user=user, definition=definitions[slug], period=period, root=root, now=NOW
    )


def test_standard_return_rows_and_totals_match_hand_counts(county, definitions, q3):
    ret = _generate(county.regulator, definitions, county.pbc)
    assert ret.ok
    assert ret.headers[:6] == [
        "报送期间",
        "机构代码",
        "机构名称",
        "业务办理渠道代码(A)",
        "业务类别代码(B)",
        "投诉原因代码(C)",
    ]
    rows = {(r[1], *r[3:6]): dict(zip(ret.keys, r, strict=True)) for r in ret.rows}
    assert set(rows) == {
        ("A-OUT1", "X-A101", "X-B01", "X-C01"),
        ("A-OUT1", "X-A101", "X-B0301", "X-C02"),
        ("B-OUT1", "X-A103", "X-B01", "X-C01"),
    }
    first = rows[("A-OUT1", "X-A101", "X-B01", "X-C01")]
    assert (first["period"], first["received"], first["closed"], first["on_time"]) == (
        "2026Q3",
        2,
        2,
        1,
    )
    assert (first["late"], first["satisfied"], first["unsatisfied"], first["repeat"]) == (
        1,
        1,
        1,
        1,
    )
    assert first["money_recovered"] == Decimal("100.50")
    second = rows[("A-OUT1", "X-A101", "X-B0301", "X-C02")]
    assert (second["received"], second["late"], second["major"]) == (1, 1, 1)
    assert ret.totals["received"] == 4
    assert ret.totals["closed"] == 2
    assert ret.totals["late"] == 2
    assert ret.totals["money_recovered"] == Decimal("100.50")


def test_monthly_return_covers_one_month(county, definitions, q3):
    ret = _generate(
        county.regulator, definitions, county.pbc, "jrt0169-monthly", Period("monthly", 2026, 9)
    )
    assert ret.ok
    assert ret.totals["received"] == 2  # 9-10 at A-OUT1, 9-20 at B-OUT1
    assert {r[0] for r in ret.rows} == {"2026-09"}


def test_missing_official_code_refuses_and_lists_it(county, definitions, q3):
    TaxonomyCode.objects.filter(code="C02").update(official_code="")
    ret = _generate(county.regulator, definitions, county.pbc)
    assert not ret.ok
    assert [(m.dimension, m.code, m.complaints) for m in ret.missing] == [("C", "C02", 1)]


def test_unclassified_complaint_refuses(county, definitions, q3, categories):
    ComplaintFactory(
        complained_institution=county.a_out1,
        category=categories["服务态度"],
        received_at=when(8, 8),
    )
    ret = _generate(county.regulator, definitions, county.pbc)
    assert [(m.dimension, m.code, m.complaints) for m in ret.missing] == [
        ("A", "", 1),
        ("B", "", 1),
        ("C", "", 1),
    ]


def test_code_list_of_a_definition_overrides_the_official_code(county, definitions, q3):
    d = definitions["jrt0169-quarterly"]
    d.spec = {**d.spec, "code_lists": {"B": {"B01": "0101", "B0301": "0301"}}}
    ret = return_generate(user=county.regulator, definition=d, period=Q3, root=county.pbc, now=NOW)
    assert ret.ok
    assert {r[4] for r in ret.rows} == {"0101", "0301"}
    d.spec["code_lists"]["B"].pop("B0301")
    ret = return_generate(user=county.regulator, definition=d, period=Q3, root=county.pbc, now=NOW)
    assert [(m.dimension, m.code) for m in ret.missing] == [("B", "B0301")]


def test_totals_disagreeing_with_statistics_refuse(county, definitions, q3, monkeypatch):
    """The check computes the statistics page's figures independently: a return whose
    measure counted something else is refused."""
    from reports.returns import generate

    real = generate._measure_filters

    def wrong(now):
        filters = real(now)
        filters["late"] = generate.answered_late_q  # forgets the open overdue ones
        return filters

    monkeypatch.setattr(generate, "_measure_filters", wrong)
    ret = _generate(county.regulator, definitions, county.pbc)
    assert [(m.measure, m.in_return, m.on_statistics_page) for m in ret.mismatches] == [
        ("late", 1, 2)
    ]


def test_bank_manager_sees_only_own_subtree(county, definitions, q3):
    ret = _generate(county.a_manager, definitions, county.bank_a)
    assert ret.totals["received"] == 3
    assert {r[1] for r in ret.rows} == {"A-OUT1"}


def test_spec_errors_name_the_problem():
    assert spec_errors({"columns": [{"header": "x", "value": "nope"}]}) == [
        "第 1 列的取值“nope”未定义。",
        "至少需要一个统计指标列。",
    ]
    assert spec_errors([]) == ["格式定义应为 JSON 对象。"]
    d = ReturnDefinition(slug="x", name="x", frequency="monthly", spec={"columns": []})
    with pytest.raises(ValidationError):
        d.clean()


# --- the page ---------------------------------------------------------------------------


def _params(county, definitions, **kw):
    return {
        "definition": definitions["jrt0169-quarterly"].pk,
        "year": 2026,
        "number": 3,
        "root": county.pbc.pk,
        "format": "csv",
        **kw,
    }


def test_download_csv_json_xlsx(client, county, definitions, q3):
    client.force_login(county.regulator)
    url = reverse("reports:returns")
    r = client.get(url, _params(county, definitions))
    assert r.status_code == 200
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert "jrt0169-quarterly-PBC-2026Q3.csv" in r["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][6] == "受理数"
    assert sorted(int(row[6]) for row in rows[1:]) == [1, 1, 2]
    r = client.get(url, _params(county, definitions, format="json"))
    data = json.loads(r.content)
    assert (data["period"], data["institution"], data["totals"]["received"]) == ("2026Q3", "PBC", 4)
    assert data["totals"]["money_recovered"] == "100.50"
    r = client.get(url, _params(county, definitions, format="xlsx"))
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert ws.title == "2026Q3"
    assert sum(row[6] for row in ws.iter_rows(min_row=2, values_only=True)) == 4


def test_download_refused_lists_missing_code(client, county, definitions, q3):
    TaxonomyCode.objects.filter(code="B0301").update(official_code="")
    client.force_login(county.regulator)
    r = client.get(reverse("reports:returns"), _params(county, definitions))
    assert r.status_code == 422
    assert r["Content-Type"].startswith("text/html")
    body = r.content.decode()
    assert 'data-testid="return-refused"' in body
    assert "B0301" in body
    assert "信用卡" in body or "借记卡" in body


@pytest.mark.parametrize(
    "bad",
    [
        {"format": "exe"},
        {"number": 5},  # a quarterly return has no 5th quarter
        {"number": "x"},
        {"year": 1},
        {"year": 2099},  # not begun
        {"definition": 99999},
        {"definition": "x'; drop"},
        {"root": 99999},
    ],
)
def test_hostile_parameters_are_400(client, county, definitions, q3, bad):
    client.force_login(county.regulator)
    r = client.get(reverse("reports:returns"), _params(county, definitions, **bad))
    assert r.status_code == 400


def test_root_outside_scope_is_refused(client, county, definitions, q3):
    client.force_login(county.other_regulator)
    r = client.get(reverse("reports:returns"), _params(county, definitions))
    assert r.status_code == 400
    client.force_login(county.a_manager)
    r = client.get(reverse("reports:returns"), _params(county, definitions, root=county.bank_b.pk))
    assert r.status_code == 400


def test_teller_and_anonymous_cannot_reach_returns(client, county, definitions):
    r = client.get(reverse("reports:returns"))
    assert r.status_code == 302
    client.force_login(county.a_teller)
    assert client.get(reverse("reports:returns")).status_code == 404
    assert client.get(reverse("reports:return_codes")).status_code == 404


def test_codes_page_lists_missing(client, county, definitions, taxonomy):
    TaxonomyCode.objects.exclude(code="C02").update(official_code="OK")
    client.force_login(county.regulator)
    r = client.get(reverse("reports:return_codes"), {"missing": "1"})
    assert r.status_code == 200
    rows = r.context["codes"]
    assert [t.code for t in rows] == ["C02"]
    assert r.context["missing_total"] == 1
    assert r.context["can_edit_codes"] is True


def test_admin_edits_official_code_in_the_list(client, county, taxonomy):
    client.force_login(county.regulator)
    url = reverse("admin:complaints_taxonomycode_changelist")
    r = client.get(url, {"official": "missing"})
    assert r.status_code == 200
    assert r.context["cl"].result_count == TaxonomyCode.objects.count()
