"""Index migrations that do not block writes: on PostgreSQL, ``CREATE INDEX`` and
``DROP INDEX`` run ``CONCURRENTLY`` (the migration must be ``atomic = False``); on
other databases they are the plain operations. On a table of millions of rows a plain
``CREATE INDEX`` would block registrations for as long as the build takes.

Django's ``AddIndexConcurrently`` refuses every database but PostgreSQL, and the
project's tests and ``make run`` use SQLite."""

from django.db import migrations


class AddIndexOnline(migrations.AddIndex):
    """AddIndex, built without blocking writes on PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index, concurrently=True)


class RemoveIndexOnline(migrations.RemoveIndex):
    """RemoveIndex, dropped without blocking writes on PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            index = from_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
            schema_editor.remove_index(model, index, concurrently=True)
