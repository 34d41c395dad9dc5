"""Load the rule sets and the working-day calendar, so that a fresh database (``make
run``, a new deployment, the test database) computes deadlines from the start.

The loaders are idempotent and keep administrators' changes; the same code runs as
``manage.py load_sla_rules`` and ``manage.py seed_calendar``. They use only the
fields that exist at 0001, on the historical models passed in.
"""

from django.db import migrations


def load(apps, schema_editor):
    from deadlines.reference import load_sla_rules, seed_calendar

    load_sla_rules(
        rule_set_model=apps.get_model("deadlines", "SlaRuleSet"),
        rule_model=apps.get_model("deadlines", "SlaRule"),
    )
    seed_calendar(
        day_model=apps.get_model("deadlines", "CalendarDay"),
        year_model=apps.get_model("deadlines", "CalendarYear"),
        revision_model=apps.get_model("deadlines", "CalendarRevision"),
    )


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
