"""The standard JR/T 0169-2018 monthly and quarterly returns (reports/returns/
definitions/standard.json); ``load_return_definitions`` loads the same file again."""

from django.db import migrations


def load(apps, schema_editor):
    from reports.returns.definitions import load_definitions

    load_definitions(model=apps.get_model("reports", "ReturnDefinition"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_return_definition")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
