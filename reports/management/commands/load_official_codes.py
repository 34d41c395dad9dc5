"""Fill the taxonomy's official JR/T 0169-2018 codes from a verified CSV
(``code,official_code``, UTF-8): the bulk path beside editing them in the admin."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from complaints.models import TaxonomyCode


class Command(BaseCommand):
    help = "从 CSV（code,official_code）载入 JR/T 0169-2018 标准代码"

    def add_arguments(self, parser):
        parser.add_argument("path")

    @transaction.atomic
    def handle(self, *args, path, **options):
        try:
            with Path(path).open(encoding="utf-8-sig", newline="") as f:
                rows = list(csv.DictReader(f))
        except (OSError, UnicodeDecodeError, csv.Error) as e:
            raise CommandError(str(e)) from None
        known = {t.code: t for t in TaxonomyCode.objects.all()}
        unknown = [r.get("code", "") for r in rows if r.get("code", "") not in known]
        if unknown:
            raise CommandError(f"unknown internal codes: {', '.join(unknown[:20])}")
        for r in rows:
            official = (r.get("official_code") or "").strip()
            if len(official) > 16:
                raise CommandError(f"{r['code']}: official code longer than 16 characters")
            t = known[r["code"]]
            t.official_code = official
            t.save(update_fields=["official_code"])
        self.stdout.write(self.style.SUCCESS(f"已更新 {len(rows)} 个标准代码。"))
