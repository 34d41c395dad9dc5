"""Reference data shipped with the app (complaints/data/*.csv, from the JR/T 0169
taxonomy and the county's complexity rules), loaded by a data migration and by
``manage.py load_complaint_reference``; both are idempotent and never overwrite what
an administrator edited (rows are matched by code / name and only created)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# The county's categories and the JR/T causes that typically lead to them
# (complexity-rules.csv, typical_jrt_cause).
CATEGORY_CAUSES = {
    "工作失误": ["C01"],
    "服务态度": ["C01"],
    "内部管理": ["C03"],
    "服务产品": ["C08", "C09"],
    "服务渠道": ["C02"],
    "违规操作": ["C07", "C10", "C11", "C12"],
}


def load(apps=None) -> tuple[int, int]:
    """Returns (codes created, categories created)."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    TaxonomyCode = apps.get_model("complaints", "TaxonomyCode")
    HandlingCategory = apps.get_model("complaints", "HandlingCategory")
    created_codes = 0
    by_code = {t.code: t for t in TaxonomyCode.objects.all()}
    with open(DATA / "complaint-taxonomy.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["code"] in by_code:
                continue
            obj = TaxonomyCode.objects.create(
                dimension=row["dimension"],
                code=row["code"],
                level=int(row["level"]),
                name=row["name_zh"],
                parent=by_code.get(row["parent_code"] or ""),
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
