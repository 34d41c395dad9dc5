"""The sweep claims its batches ``ORDER BY id LIMIT 1000``; with its partial indexes
keyed by time PostgreSQL walked the primary key through the whole table (0.9 s at a
million rows, growing with the table) whenever nothing was left to do. Keyed by id,
with the time as the second column, the same partial indexes give the order and the
time condition on open rows only. ``cmp_open_provisional`` serves the sweep's
provisional-deadline refresh. Built CONCURRENTLY on PostgreSQL, as in 0005."""

from django.db import migrations, models

OPEN = ["registered", "assigned", "in_progress", "resolved"]


class AddIndexOnline(migrations.AddIndex):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index, concurrently=True)


class RemoveIndexOnline(migrations.RemoveIndex):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            index = from_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
            schema_editor.remove_index(model, index, concurrently=True)


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
