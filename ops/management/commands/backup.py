"""``manage.py backup --to DIR``: the database, the uploaded files and a manifest of
hashes and counts in ``DIR/backup-<UTC time>/`` (``ops.backup``; docs/operations.md)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files with a verifiable manifest"

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            type=Path,
            default=Path(settings.VAR_DIR) / "backups",
            help="directory that receives backup-<time>/ (default var/backups)",
        )

    def handle(self, *args, **opts):
        try:
            outcome = backup_create(to=opts["to"], log=self.stdout.write)
        except BackupError as e:
            raise CommandError(str(e)) from e
        rows = outcome.manifest["rows"]
        self.stdout.write(
            f"Backed up {rows['complaints']['count']} complaints, "
            f"{rows['timeline']['count']} timeline rows, "
            f"{rows['attachments']['count']} attachments, {rows['users']['count']} users, "
            f"{len(outcome.manifest['files'])} files"
        )
        for problem in outcome.problems:
            self.stderr.write(f"WARNING: {problem}")
        self.stdout.write(self.style.SUCCESS(str(outcome.path)))
