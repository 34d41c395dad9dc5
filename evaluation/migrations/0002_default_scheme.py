from django.db import migrations


def load(apps, schema_editor):
    from evaluation import reference

    reference.load(apps)


class Migration(migrations.Migration):
    """The default indicator scheme (evaluation/data/*.csv) and the two grade scales."""

    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
