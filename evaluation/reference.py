"""The default scheme and grade scales shipped with the app, loaded by the data
migration (and by the demo): idempotent, creating only what is missing.

* ``data/evaluation-scheme-cbirc-2021.csv`` — a verbatim copy of the CBIRC 2021
  method's five elements (weights to 100) and the deduction of at most 25;
* ``data/default-indicators.csv`` — our indicators under those elements, with the
  seed's own self-assessment topics mapped onto them (``SECTION_TOPICS``).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
TEMPLATE_CODE = "CBIRC-2021"
TEMPLATE_NAME = "消费者权益保护监管评价默认方案（依据 2021 年评价办法）"

#: element (CSV ``element_zh``) → (section code, the seed's sections mapped onto it).
SECTION_TOPICS = {
    "体制建设": ("ORG", "组织架构与制度建设"),
    "机制与运行": ("MECH", "信息披露与风险提示；个人金融信息保护；员工培训与考核"),
    "操作与服务": ("CONDUCT", "自主选择与公平交易；服务质量与收费"),
    "教育宣传": ("EDU", "金融知识宣传教育与培训"),
    "纠纷化解": ("DISPUTE", "投诉处理"),
    "监督检查": ("DEDUCT", "发现的问题与违规行为（扣分）"),
}

#: name → [(label, min score, commended, disclosed, proposes key supervision)]
GRADE_SCALES = {
    "A/B/C/D": [
        ("A", 90, True, False, False),
        ("B", 75, False, False, False),
        ("C", 60, False, False, True),
        ("D", 0, False, True, True),
    ],
    "优秀/良好/合格/不合格": [
        ("优秀", 90, True, False, False),
        ("良好", 75, False, False, False),
        ("合格", 60, False, False, True),
        ("不合格", 0, False, True, True),
    ],
}


def _decimal(text: str) -> Decimal | None:
    text = (text or "").strip()
    return Decimal(text) if text else None


def load(apps=None):
    """Create the grade scales and the template scheme if missing; returns the
    template scheme."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps

    GradeScale = apps.get_model("evaluation", "GradeScale")
    GradeBand = apps.get_model("evaluation", "GradeBand")
    IndicatorScheme = apps.get_model("evaluation", "IndicatorScheme")
    Section = apps.get_model("evaluation", "Section")
    Indicator = apps.get_model("evaluation", "Indicator")

    scales = {}
    for name, bands in GRADE_SCALES.items():
        scale, created = GradeScale.objects.get_or_create(name=name)
        scales[name] = scale
        if created:
            for label, minimum, commended, disclosed, proposes in bands:
                GradeBand.objects.create(
                    scale=scale,
                    label=label,
                    min_score=minimum,
                    is_commended=commended,
                    is_disclosed=disclosed,
                    proposes_key_supervision=proposes,
                )
    scheme = IndicatorScheme.objects.filter(code=TEMPLATE_CODE).first()
    if scheme is not None:
        return scheme
    scheme = IndicatorScheme.objects.create(
        code=TEMPLATE_CODE,
        name=TEMPLATE_NAME,
        is_template=True,
        grade_scale=scales["A/B/C/D"],
        key_supervision_overdue_threshold=3,
        note="五项评价要素权重合计 100 分，监督检查发现问题最多扣 25 分。",
    )
    sections = {}
    with open(DATA / "evaluation-scheme-cbirc-2021.csv", encoding="utf-8") as f:
        for order, row in enumerate(csv.DictReader(f), start=1):
            code, topics = SECTION_TOPICS[row["element_zh"]]
            weight = Decimal(row["weight_percent"])
            sections[row["element_zh"]] = Section.objects.create(
                scheme=scheme,
                code=code,
                name=row["element_zh"],
                kind="deduction" if weight < 0 else "element",
                weight=abs(weight),
                topics=topics,
                order=order,
            )
    _create_indicators(Indicator, scheme, sections)
    return scheme


def _create_indicators(Indicator, scheme, sections) -> None:
    from .scoring import parse_bands

    with open(DATA / "default-indicators.csv", encoding="utf-8") as f:
        for order, row in enumerate(csv.DictReader(f), start=1):
            Indicator.objects.create(
                scheme=scheme,
                section=sections[row["element_zh"]],
                code=row["code"],
                name=row["name_zh"],
                criteria=row["criteria_zh"],
                method=row["method"],
                computed_kind=row["computed_kind"],
                max_score=Decimal(row["max_score"]),
                weight=Decimal(row["weight"]),
                formula=row["formula"],
                zero_at=_decimal(row["zero_at"]),
                full_at=_decimal(row["full_at"]),
                bands=parse_bands(row["bands"]),
                direction=row["direction"] or "higher",
                order=order,
            )


def refresh_template_indicators(apps) -> None:
    """Replace the template scheme's indicators by the shipped CSV's (a data
    migration, when the CSV gains indicators). Only the template: every period works
    on its own copy, so periods already set up keep the scheme they were scored on."""
    IndicatorScheme = apps.get_model("evaluation", "IndicatorScheme")
    Indicator = apps.get_model("evaluation", "Indicator")
    scheme = IndicatorScheme.objects.filter(code=TEMPLATE_CODE, is_template=True).first()
    if scheme is None:
        return
    sections = {s.name: s for s in scheme.sections.all()}
    if set(sections) != set(SECTION_TOPICS):
        return  # an office renamed its template's elements: leave it to them
    Indicator.objects.filter(scheme=scheme).delete()
    _create_indicators(Indicator, scheme, sections)
