"""Indexes for the complaint list at a million rows (see docs/performance.md).

* ``cmp_recv_scope`` replaces ``cmp_recv_desc``: the list's default order with the
  three institutions a complaint is visible through carried in the index (INCLUDE,
  PostgreSQL only; elsewhere it is the plain ordering index it replaces), so deep
  pages and bounded counts choose their rows from the index alone.
* ``cmp_name_prefix``: the name search is a prefix match (``LIKE '张%'``), which only a
  pattern-ops index answers whatever the database collation.
* ``cmp_tracking_trgm`` (PostgreSQL only, pg_trgm): a search by a long number also
  matches the end of the tracking number (``LIKE '%…'``), which no B-tree answers.

On PostgreSQL the indexes are built ``CONCURRENTLY`` (hence a non-atomic migration):
on a table of millions of rows a plain ``CREATE INDEX`` would block registrations for
as long as the build takes.
"""

from django.db import migrations, models

from config.online_index import AddIndexOnline, RemoveIndexOnline


def trigram_forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS cmp_tracking_trgm "
        "ON complaints_complaint USING gin (tracking_no gin_trgm_ops)"
    )


def trigram_backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS cmp_tracking_trgm")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("complaints", "0004_append_only_triggers")]

    operations = [
        AddIndexOnline(
            model_name="complaint",
            index=models.Index(
                fields=["-received_at", "-id"],
                include=("handling_institution", "accepting_institution", "complained_institution"),
                name="cmp_recv_scope",
            ),
        ),
        RemoveIndexOnline(model_name="complaint", name="cmp_recv_desc"),
        AddIndexOnline(
            model_name="complaint",
            index=models.Index(
                fields=["complainant_name"],
                name="cmp_name_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.RunPython(trigram_forwards, trigram_backwards, elidable=False),
    ]
