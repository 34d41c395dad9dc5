"""django-import-export: manual scores (export → score in a spreadsheet → import with
a preview; one bad row imports nothing) and the scheme's indicators."""

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation import services
from evaluation.models import AppraisalLog, Indicator, IndicatorScore
from evaluation.resources import IndicatorResource, ManualScoreResource

HEADER = "考核期代码,机构代码,机构名称,指标代码,指标名称,满分,得分,评分理由\n"


def _upload(client, url_name, text):
    upload = SimpleUploadedFile("scores.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse(url_name), {"import_file": upload, "format": "0", "resource": "0"})


def _import(client, text, url_name="admin:evaluation_indicatorscore_import"):
    """Preview, then confirm if the preview offers it. Returns the preview response."""
    preview = _upload(client, url_name, text)
    confirm = preview.context.get("confirm_form") if preview.context else None
    if confirm is not None:
        client.post(reverse(url_name.replace("_import", "_process_import")), confirm.initial)
    return preview


def _scores(small):
    return list(
        IndicatorScore.objects.filter(sheet__period=small.period, indicator=small.m)
        .order_by("sheet__institution__code")
        .values_list("sheet__institution__code", "score", "reason")
    )


def test_export_has_chinese_columns_and_only_manual_lines(small, county):
    small.manual(county.bank_a, 8, reason="制度健全")
    dataset = ManualScoreResource().export(
        IndicatorScore.objects.filter(sheet__period=small.period)
    )
    assert dataset.headers == [
        "考核期代码",
        "机构代码",
        "机构名称",
        "指标代码",
        "指标名称",
        "满分",
        "得分",
        "评分理由",
    ]
    assert dataset.csv.splitlines()[1:] == [
        "2026Q3,BANK-A,甲银行测试支行,M,制度建设,10.00,8.00,制度健全",
        "2026Q3,BANK-B,乙银行测试支行,M,制度建设,10.00,,",
    ]


def test_round_trip_restores_the_scores_through_the_service(client, small, county):
    small.manual(county.bank_a, "8.5", reason="制度健全")
    small.manual(county.bank_b, 6, reason="记录不全")
    exported = (
        ManualScoreResource().export(IndicatorScore.objects.filter(sheet__period=small.period)).csv
    )
    IndicatorScore.objects.filter(indicator=small.m).update(score=None, reason="")
    client.force_login(county.regulator)
    preview = _upload(client, "admin:evaluation_indicatorscore_import", exported)
    assert preview.status_code == 200
    assert preview.context["confirm_form"] is not None
    assert _scores(small) == [
        ("BANK-A", None, ""),
        ("BANK-B", None, ""),
    ]  # the preview writes nothing
    client.post(
        reverse("admin:evaluation_indicatorscore_process_import"),
        preview.context["confirm_form"].initial,
    )
    assert _scores(small) == [("BANK-A", D("8.50"), "制度健全"), ("BANK-B", D("6.00"), "记录不全")]
    assert set(
        IndicatorScore.objects.filter(indicator=small.m).values_list("scored_by", flat=True)
    ) == {county.regulator.pk}
    assert small.sheet(county.bank_a).total == D("51.00")  # totals refreshed
    assert AppraisalLog.objects.filter(action="import_scores", note="2 项").exists()


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("2026Q3,BANK-B,,M,,,10.5,超分", "超出范围"),
        ("2026Q3,BANK-B,,M,,,-1,负分", "超出范围"),
        ("2026Q3,BANK-B,,M,,,九,文字", "不是有效的数字"),
        ("2026Q3,BANK-B,,M,,,7,", "评分理由不能为空"),
        ("2026Q3,NO-SUCH,,M,,,7,机构错", "找不到考核期“2026Q3”中机构“NO-SUCH”的指标“M”"),
        ("2026Q3,BANK-B,,ZZ,,,7,指标错", "找不到考核期“2026Q3”中机构“BANK-B”的指标“ZZ”"),
        ("2026Q3,BANK-X,,M,,,7,外县机构", "找不到考核期"),
        ("2026Q3,BANK-B,,C,,,7,计算指标", "系统计算指标"),
    ],
)
def test_a_file_with_one_bad_row_imports_nothing(client, small, county, bad_row, message):
    client.force_login(county.regulator)
    text = HEADER + "2026Q3,BANK-A,,M,,,9,良好\n" + bad_row + "\n"
    response = _upload(client, "admin:evaluation_indicatorscore_import", text)
    body = response.content.decode()
    assert message in body
    assert 'name="import_file_name"' not in body  # no confirm button
    assert _scores(small) == [("BANK-A", None, ""), ("BANK-B", None, "")]


def test_another_countys_regulator_cannot_import_into_our_period(client, small, county):
    client.force_login(county.other_regulator)
    response = _upload(
        client, "admin:evaluation_indicatorscore_import", HEADER + "2026Q3,BANK-A,,M,,,9,良好\n"
    )
    assert "找不到考核期" in response.content.decode()
    assert _scores(small)[0] == ("BANK-A", None, "")


def test_published_period_refuses_imports(client, published, county):
    client.force_login(county.regulator)
    response = _upload(
        client, "admin:evaluation_indicatorscore_import", HEADER + "2026Q3,BANK-A,,M,,,1,改分\n"
    )
    assert "已发布，不能再导入评分" in response.content.decode()
    assert published.score(county.bank_a, published.m).score == D("10.00")


def test_sysadmin_cannot_import_scores(client, small, county):
    client.force_login(county.sysadmin)
    response = _upload(
        client, "admin:evaluation_indicatorscore_import", HEADER + "2026Q3,BANK-A,,M,,,9,良好\n"
    )
    assert response.status_code == 403


# --- The scheme ----------------------------------------------------------------------------


def test_scheme_export_import_round_trip_into_an_open_period(client, period, county):
    scheme = period.scheme
    dataset = IndicatorResource().export(scheme.indicators.all())
    assert dataset.headers[:6] == [
        "方案代码",
        "要素代码",
        "指标代码",
        "指标名称",
        "评分方式",
        "计算指标",
    ]
    row = dict(zip(dataset.headers, dataset[dataset["指标代码"].index("DISPUTE-1")], strict=True))
    assert (row["评分方式"], row["计算指标"], row["分档"], row["方向"]) == (
        "系统计算",
        "受理投诉量（件）",
        "5:10;10:8;20:6;50:3",
        "越低越好",
    )
    text = dataset.csv.replace("5:10;10:8;20:6;50:3", "3:10;10:5")
    text += f"{scheme.code},EDU,EDU-4,宣传进农村,人工评分,,5,10,,,,,越高越好,到村宣传,30\n"
    client.force_login(county.regulator)
    _import(client, text, "admin:evaluation_indicator_import")
    assert scheme.indicators.get(code="DISPUTE-1").bands == [[3, 10], [10, 5]]
    added = scheme.indicators.get(code="EDU-4")
    assert (added.section.code, added.max_score, added.method) == ("EDU", D("5.00"), "manual")
    assert scheme.indicators.count() == 27  # 26 shipped + EDU-4


def test_scheme_import_refuses_bad_definitions_and_started_periods(client, period, county):
    client.force_login(county.regulator)
    bad = IndicatorResource().export(period.scheme.indicators.filter(code="DISPUTE-2")).csv
    bad = bad.replace(",线性插值,", ",,")  # a computed indicator without a formula
    response = _upload(client, "admin:evaluation_indicator_import", bad)
    assert "系统计算指标必须选择计分公式。" in response.content.decode()
    services.period_start_scoring(actor=county.regulator, period=period)
    good = (
        IndicatorResource()
        .export(period.scheme.indicators.filter(code="ORG-1"))
        .csv.replace(",10.00,", ",8.00,", 1)
    )
    response = _upload(client, "admin:evaluation_indicator_import", good)
    assert "已开始评分，不能再修改" in response.content.decode()
    assert Indicator.objects.get(scheme=period.scheme, code="ORG-1").max_score == D("10.00")
