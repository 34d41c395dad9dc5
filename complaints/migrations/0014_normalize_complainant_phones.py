"""Complainants' phone numbers as the intake now stores them: digits only, a
landline with its area code in front ("0319-6921234" → "03196921234"), an extension
after a hyphen. Before, a landline kept whatever hyphen was typed, so a search for
the same number typed another way missed it. Rows whose number cannot be read as a
phone are left as they are. Changed rows get a new version, like any other change
to a complaint, so a form opened before the migration cannot write the old value
back. The rule is copied here (not imported) so the migration keeps meaning what it
meant when it was written."""

import re
import unicodedata

from django.db import migrations
from django.db.models import F

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{9,11}$")
EXTENSION = re.compile(r"^(0[\d\s\-().]+?)\s*-\s*(\d{1,6})$")


def normalized(value: str) -> str | None:
    text = unicodedata.normalize("NFKC", value or "").strip()
    digits = re.sub(r"^(?:\+86|0086)", "", re.sub(r"[\s\-().]", "", text))
    if MOBILE.match(digits) or LANDLINE.match(digits):
        return digits
    m = EXTENSION.match(text)
    if m:
        main = re.sub(r"[\s\-().]", "", m[1])
        if LANDLINE.match(main):
            return f"{main}-{m[2]}"
    return None


def forwards(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    rows = (
        Complaint.objects.filter(complainant_phone__regex=r"[^0-9]")
        .values_list("pk", "complainant_phone")
        .iterator(chunk_size=2000)
    )
    for pk, phone in rows:
        new = normalized(phone)
        if new and new != phone:
            Complaint.objects.filter(pk=pk).update(
                complainant_phone=new, version=F("version") + 1
            )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0013_review_category_causes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
