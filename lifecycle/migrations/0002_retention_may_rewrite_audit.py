"""The append-only audit tables (complaints migration 0004) let one writer through on
PostgreSQL: a transaction of the retention run that set ``lifecycle.retention`` with
SET LOCAL (lifecycle.services.anonymise.audit_rewrite). It rewrites timeline notes of
complaints past their retention period and deletes access logs past theirs (PIPL art.
47); every other UPDATE or DELETE is still refused whatever the code path."""

from django.db import migrations

RETENTION_AWARE = """
CREATE OR REPLACE FUNCTION complaints_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('lifecycle.retention', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'table %% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

ORIGINAL = """
CREATE OR REPLACE FUNCTION complaints_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'table %% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RETENTION_AWARE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ORIGINAL)


class Migration(migrations.Migration):
    dependencies = [
        ("lifecycle", "0001_initial"),
        ("complaints", "0004_append_only_triggers"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
