"""Each JR/T cause suggests one handling category at intake (complaints.reference
CATEGORY_CAUSES): C01 no longer suggests 工作失误, and the causes that suggested
nothing (C04 营销方式和手段, C05, C06, C07…) now suggest their category."""

from django.db import migrations


def review(apps, schema_editor):
    from complaints import reference

    reference.review_category_causes(apps)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0012_contact_action_and_hotline_sources")]

    operations = [migrations.RunPython(review, migrations.RunPython.noop)]
