"""On PostgreSQL, the audit tables refuse UPDATE and DELETE at the database itself, so
no code path (raw SQL, a management shell, a future bug) can rewrite history. The
tables are still TRUNCATEd by the test runner between transactional tests, which a row
trigger does not block."""

from django.db import migrations

TABLES = ["complaints_timelineentry", "complaints_piiaccesslog"]

FUNCTION = """
CREATE OR REPLACE FUNCTION complaints_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'table %% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION complaints_append_only()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS complaints_append_only()")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_sweep_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
