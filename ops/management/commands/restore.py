"""``manage.py restore DIR``: verify a backup's hashes, restore it into an empty
database and the file stores, then prove the restore (``ops.backup``). A database
holding any complaint or user is refused: exit status 1, nothing changed."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_restore, unapplied_migrations


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database"

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="a backup-<time>/ directory")

    def handle(self, *args, **opts):
        try:
            outcome = backup_restore(source=opts["source"], log=self.stdout.write)
        except BackupError as e:
            raise CommandError(str(e)) from e
        if outcome.problems:
            raise CommandError(
                "the restore does not match the backup:\n  " + "\n  ".join(outcome.problems)
            )
        rows = outcome.manifest["rows"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified: {rows['complaints']['count']} complaints, "
                f"{rows['timeline']['count']} timeline rows, "
                f"{rows['attachments']['count']} attachments, {rows['users']['count']} users, "
                f"{len(outcome.manifest['files'])} files identical to the backup"
            )
        )
        if missing := unapplied_migrations():
            self.stdout.write(
                f"This code has {len(missing)} migrations the backup predates: "
                "run `manage.py migrate` next."
            )
