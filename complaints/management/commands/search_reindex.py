"""Rebuild the keyword search's text of every complaint (docs/search.md): after a
restore, a bulk change made outside the services, or a change to what is indexed."""

from django.core.management.base import BaseCommand

from complaints import search


class Command(BaseCommand):
    help = "Rebuild the keyword search text of all complaints, in batches of ids."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=20000, help="ids per statement")
        parser.add_argument(
            "--workers", type=int, default=1, help="batches at once (PostgreSQL: a core each)"
        )

    def handle(self, *args, batch: int, workers: int, **options):
        def progress(last_id: int) -> None:
            self.stdout.write(f"  up to id {last_id}")

        total = search.reindex_all(batch=max(batch, 1), workers=max(workers, 1), log=progress)
        self.stdout.write(self.style.SUCCESS(f"{total} complaints indexed"))
