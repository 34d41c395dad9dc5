"""English names for the JR/T 0169 codes (complaints/data/complaint-taxonomy.csv), so
English pages do not show the Chinese reference data beside English labels."""

import csv

from django.db import migrations, models

from complaints.reference import DATA


def fill(apps, schema_editor):
    TaxonomyCode = apps.get_model("complaints", "TaxonomyCode")
    with open(DATA / "complaint-taxonomy.csv", encoding="utf-8") as f:
        names = {row["code"]: row["name_en"] for row in csv.DictReader(f)}
    for code in TaxonomyCode.objects.filter(name_en="", code__in=names):
        code.name_en = names[code.code]
        code.save(update_fields=["name_en"])


class Migration(migrations.Migration):
    dependencies = [("complaints", "0015_complaint_export")]

    operations = [
        migrations.AddField(
            model_name="taxonomycode",
            name="name_en",
            field=models.CharField(blank=True, max_length=80, verbose_name="英文名称"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
