"""Reference data shipped with the app (complaints/data/*.csv, from the JR/T 0169
taxonomy and the county's complexity rules), loaded by a data migration and by
``manage.py load_complaint_reference``; both are idempotent and never overwrite what
an administrator edited (rows are matched by code / name and only created)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# The county's categories and the JR/T causes that suggest them at intake
# (complexity-rules.csv, typical_jrt_cause, reviewed so that each cause suggests one
# category). C01 服务态度及服务质量 is 服务态度 (the CSV lists C01 for 工作失误 too,
# but a mistake is chosen by hand from what happened, not from the cause);
# misleading marketing (C04), being made to buy (C06), charges (C07), money and data
# safety (C10, C11) and collection (C12) are irregular operations; what was disclosed
# about a product (C05), its returns (C08) and its contract (C09) are the product.
# C99 其他 suggests nothing: the teller chooses.
CATEGORY_CAUSES = {
    "工作失误": [],
    "服务态度": ["C01"],
    "内部管理": ["C03"],
    "服务产品": ["C05", "C08", "C09"],
    "服务渠道": ["C02"],
    "违规操作": ["C04", "C06", "C07", "C10", "C11", "C12"],
}


def load(apps=None) -> tuple[int, int]:
    """Returns (codes created, categories created)."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    TaxonomyCode = apps.get_model("complaints", "TaxonomyCode")
    HandlingCategory = apps.get_model("complaints", "HandlingCategory")
    created_codes = 0
    # Migrations before 0017 run this with a TaxonomyCode that has no English name yet.
    has_english = any(f.name == "name_en" for f in TaxonomyCode._meta.get_fields())
    by_code = {t.code: t for t in TaxonomyCode.objects.all()}
    with open(DATA / "complaint-taxonomy.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["code"] in by_code:
                known = by_code[row["code"]]
                if has_english and not known.name_en:  # loaded before English names
                    known.name_en = row["name_en"]
                    known.save(update_fields=["name_en"])
                continue
            obj = TaxonomyCode.objects.create(
                dimension=row["dimension"],
                code=row["code"],
                level=int(row["level"]),
                name=row["name_zh"],
                parent=by_code.get(row["parent_code"] or ""),
                **({"name_en": row["name_en"]} if has_english else {}),
            )
            by_code[obj.code] = obj
            created_codes += 1
    created_cats = 0
    with open(DATA / "complexity-rules.csv", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f)):
            cat, made = HandlingCategory.objects.get_or_create(
                name=row["seed_category_zh"],
                defaults={
                    "name_en": row["seed_category_en"],
                    "complexity": row["complexity"],
                    "ordering": i,
                },
            )
            if made:
                created_cats += 1
                cat.typical_causes.set(
                    [by_code[c] for c in CATEGORY_CAUSES.get(cat.name, []) if c in by_code]
                )
    return created_codes, created_cats


def review_category_causes(apps=None) -> None:
    """Bring the seeded categories' typical causes to ``CATEGORY_CAUSES``: add the
    causes each should suggest and take a cause off a category that should not
    suggest it (C01 was on 工作失误 too, which made it suggest the wrong one). Only
    the causes named here are touched; others an administrator added stay."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    TaxonomyCode = apps.get_model("complaints", "TaxonomyCode")
    HandlingCategory = apps.get_model("complaints", "HandlingCategory")
    by_code = {t.code: t for t in TaxonomyCode.objects.filter(dimension="C")}
    named = {code for codes in CATEGORY_CAUSES.values() for code in codes}
    for cat in HandlingCategory.objects.filter(name__in=CATEGORY_CAUSES):
        wanted = set(CATEGORY_CAUSES[cat.name])
        for code in named - wanted:
            if code in by_code:
                cat.typical_causes.remove(by_code[code])
        cat.typical_causes.add(*(by_code[c] for c in wanted if c in by_code))
