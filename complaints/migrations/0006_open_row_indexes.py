"""Partial indexes on the open complaints (about 5% of the table) for the workbench
and the filtered lists (see docs/performance.md): ``cmp_open_due_cover`` replaces
``cmp_open_due`` and carries the columns the workbench counts read, so they come
from the index alone; ``cmp_open_handler_due`` answers "assigned to me";
``cmp_open_recv`` lists open complaints newest first. Built CONCURRENTLY on
PostgreSQL, as in 0005."""

from django.db import migrations, models

from config.online_index import AddIndexOnline, RemoveIndexOnline

OPEN = models.Q(status__in=["registered", "assigned", "in_progress", "resolved"])


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("complaints", "0005_list_and_search_indexes")]

    operations = [
        AddIndexOnline(
            model_name="complaint",
            index=models.Index(
                fields=["due_at"],
                include=(
                    "id",
                    "status",
                    "handler",
                    "handling_institution",
                    "accepting_institution",
                    "complained_institution",
                ),
                name="cmp_open_due_cover",
                condition=OPEN,
            ),
        ),
        RemoveIndexOnline(model_name="complaint", name="cmp_open_due"),
        AddIndexOnline(
            model_name="complaint",
            index=models.Index(
                fields=["handler", "due_at"], name="cmp_open_handler_due", condition=OPEN
            ),
        ),
        AddIndexOnline(
            model_name="complaint",
            index=models.Index(
                fields=["-received_at", "-id"], name="cmp_open_recv", condition=OPEN
            ),
        ),
    ]
