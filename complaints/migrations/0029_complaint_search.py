"""The keyword search's text table and, on PostgreSQL, its bigram index.

``complaint_search_norm`` normalises text the way ``complaints.search.normalise``
does (NFKC, lower case, white space collapsed); ``complaint_search_grams`` is the set
of a text's two-character substrings (none spanning a space or a field separator).
Both are IMMUTABLE, so the GIN index can be an expression index: the bigrams are not
stored twice (table and index), and a query's bigrams are computed once at planning.
Existing complaints are indexed here, in batches (docs/search.md).
"""

from django.db import migrations, models

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION complaint_search_norm(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(regexp_replace(normalize(t, NFKC), '\s+', ' ', 'g')) $$;

CREATE OR REPLACE FUNCTION complaint_search_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}')
  FROM (SELECT substr(t, i, 2) AS g FROM generate_series(1, char_length(t) - 1) AS i) s
  WHERE strpos(g, ' ') = 0 AND strpos(g, chr(31)) = 0
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS cmp_search_grams ON complaints_complaintsearch "
        "USING gin (complaint_search_grams(text))"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS cmp_search_grams")
    schema_editor.execute("DROP FUNCTION IF EXISTS complaint_search_grams(text)")
    schema_editor.execute("DROP FUNCTION IF EXISTS complaint_search_norm(text)")


def fill(apps, schema_editor):
    from complaints import search

    search.reindex_all()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0028_hotline_transfer")]

    operations = [
        migrations.CreateModel(
            name="ComplaintSearch",
            fields=[
                (
                    "complaint",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="complaints.complaint",
                    ),
                ),
                ("text", models.TextField(blank=True, verbose_name="检索文本")),
            ],
            options={
                "verbose_name": "检索文本",
                "verbose_name_plural": "检索文本",
                "default_permissions": (),
            },
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
