"""The sweep claims its batches ``ORDER BY id LIMIT 1000``; with its partial indexes
keyed by time PostgreSQL walked the primary key through the whole table (0.9 s at a
million rows, growing with the table) whenever nothing was left to do. Keyed by id,
with the time as the second column, the same partial indexes give the order and the
time condition on open rows only. ``cmp_open_provisional`` serves the sweep's
provisional-deadline refresh. Built CONCURRENTLY on PostgreSQL, as in 0005."""

from django.db import migrations, models

from config.online_index import AddIndexOnline, RemoveIndexOnline

OPEN = ["registered", "assigned", "in_progress", "resolved"]


def _sweep(name, time_field, stamp_field):
    return AddIndexOnline(
        model_name="complaint",
        index=models.Index(
            fields=["id", time_field],
            name=name,
            condition=models.Q(status__in=OPEN, **{f"{stamp_field}__isnull": True}),
        ),
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("complaints", "0006_open_row_indexes")]

    operations = [
        _sweep("cmp_sweep_remind_id", "remind_at", "reminded_at"),
        _sweep("cmp_sweep_overdue_id", "due_at", "overdue_at"),
        _sweep("cmp_sweep_escalate_id", "escalate_at", "auto_escalated_at"),
        RemoveIndexOnline(model_name="complaint", name="cmp_sweep_remind"),
        RemoveIndexOnline(model_name="complaint", name="cmp_sweep_overdue"),
        RemoveIndexOnline(model_name="complaint", name="cmp_sweep_escalate"),
        AddIndexOnline(
            model_name="complaint",
            index=models.Index(
                fields=["id"],
                name="cmp_open_provisional",
                condition=models.Q(status__in=OPEN, due_provisional=True),
            ),
        ),
    ]
