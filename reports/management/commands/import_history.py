"""Import historical complaints from a file on the server (operations teams migrating
from an old system): the same validation, report and all-or-nothing rule as the
import page (complaints.imports), run in this process instead of the worker."""

from __future__ import annotations

import csv
import resource
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from complaints import imports
from institutions.models import User
from reports.rules import can_import_history


class Command(BaseCommand):
    help = "从服务器上的文件导入历史投诉（与导入页面相同的校验；任何一行有错误则不导入）"

    def add_arguments(self, parser):
        parser.add_argument("path", help=".xlsx 或 .csv 文件")
        parser.add_argument("--user", required=True, help="以此用户的名义导入（其管辖范围）")
        parser.add_argument("--validate-only", action="store_true", help="只校验并报告，不导入")
        parser.add_argument("--errors", help="把全部错误写入此 CSV 文件")
        parser.add_argument("--language", default="zh-hans", help="消息语言（zh-hans 或 en）")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            user = User.objects.get(username=options["user"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"没有启用的用户：{options['user']}") from None
        if not can_import_history(user):
            raise CommandError(f"用户 {user.username} 无权导入历史数据。")
        started = time.monotonic()
        with translation.override(options["language"]):
            try:
                report = self._validate(user, path)
            except imports.TableError as e:
                raise CommandError(str(e)) from None
            self._report(report, options.get("errors"))
            if not report.ok:
                raise CommandError(f"{report.error_count} 处错误，未导入任何数据。")
            if options["validate_only"]:
                return
            try:
                with path.open("rb") as stream:
                    created = imports.import_file(
                        actor=user,
                        name=path.name,
                        stream=stream,
                        source=path.name,
                        expected_rows=report.rows,
                        progress=self._progress,
                    )
            except imports.ImportRefused as refused:
                self._report(refused.report, options.get("errors"))
                raise CommandError("数据已变化，未导入任何数据。") from None
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"\n已导入 {created} 件；用时 {time.monotonic() - started:.1f} 秒；"
            f"峰值内存 {peak_mb:.0f} MB"
        )

    def _validate(self, user, path: Path) -> imports.FileReport:
        with path.open("rb") as stream:
            return imports.validate_file(
                actor=user, name=path.name, stream=stream, progress=self._progress
            )

    def _progress(self, percent: int, step: str) -> None:
        if sys.stdout.isatty():
            self.stdout.write(f"\r{step} {percent}%", ending="")

    def _report(self, report: imports.FileReport, errors_path: str | None) -> None:
        self.stdout.write(f"\n行数：{report.rows}；错误：{report.error_count}")
        for name, counts in (
            ("按机构", report.by_institution),
            ("按状态", report.by_status),
            ("按年度", report.by_year),
        ):
            text = "，".join(f"{k} {v}" for k, v in sorted(counts.items()))
            self.stdout.write(f"{name}：{text}")
        for e in report.errors[:50]:
            self.stdout.write(f"  第 {e.row} 行 {e.column}：{e.message}")
        if report.error_count > 50:
            self.stdout.write(f"  ……共 {report.error_count} 处")
        if errors_path and report.errors:
            with open(errors_path, "w", newline="", encoding="utf-8-sig") as f:
                writer = csv.writer(f)
                writer.writerow(["行号", "列", "原因"])
                writer.writerows((e.row, e.column, e.message) for e in report.errors)
