"""`manage.py retention` prints the dry-run report; `--run` then anonymises and clears
what is due (the same services as the admin's page and the scheduled task)."""

import json

from django.core.management.base import BaseCommand

from lifecycle.models import RetentionRun
from lifecycle.services.runs import retention_dry_run, retention_run_execute


class Command(BaseCommand):
    help = "Retention of personal data: dry-run report (default) or --run."

    def add_arguments(self, parser):
        parser.add_argument("--run", action="store_true", help="anonymise and clear what is due")
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, run=False, batch_size=None, json=False, **options):
        if not run:
            report = retention_dry_run().report
            if json:
                self.stdout.write(_dumps(report))
                return
            self.stdout.write(
                "due complaints: {complaints}  files: {files}  held: {held}  access logs: "
                "{access_logs}  notices: {notices}  report packs: {report_packs}".format(**report)
            )
            for row in report["institutions"]:
                years = "  ".join(f"{y}: {n}" for y, n in row["years"].items())
                self.stdout.write(f"  {row['code']} {row['name']}: {years}  files: {row['files']}")
            return
        created = RetentionRun.objects.create(mode="run")
        done = retention_run_execute(run_id=created.pk, batch_size=batch_size)
        if done is None:
            self.stderr.write("run not executed")
            return
        batches = done.batches.count()
        self.stdout.write(
            f"run {done.pk}: {done.complaints} complaints anonymised, {done.files} files, "
            f"{done.access_logs} access logs, {done.notices} notices, "
            f"{done.report_packs} report packs removed in {batches} batches"
        )


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
