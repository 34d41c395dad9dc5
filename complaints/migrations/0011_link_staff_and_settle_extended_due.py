"""Two corrections of existing rows, no schema change.

* An approved extension's due time is a decided one: before this release approving
  left ``due_provisional`` set, and the refresh of provisional due times (which no
  longer looks at extensions) would have overwritten it.
* The person complained about was free text only; where the name is exactly one
  active staff member of the complained-about institution (or below it), link them,
  so the non-party rule (非当事人) holds for existing open complaints too.
"""

from django.db import migrations

STAFF_ROLES = ("teller", "handler", "manager")
OPEN_STATES = ("registered", "assigned", "in_progress", "resolved")


def forwards(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    ExtensionRequest = apps.get_model("complaints", "ExtensionRequest")
    Institution = apps.get_model("institutions", "Institution")
    User = apps.get_model("institutions", "User")

    extended = ExtensionRequest.objects.filter(decision="approved").values("complaint_id")
    Complaint.objects.filter(due_provisional=True, pk__in=extended).update(due_provisional=False)

    unlinked = Complaint.objects.filter(
        complained_staff__isnull=True, status__in=OPEN_STATES
    ).exclude(complained_staff_name="")
    for c in unlinked.select_related("complained_institution").iterator():
        subtree = Institution.objects.filter(
            path__startswith=c.complained_institution.path
        ).values("pk")
        matches = list(
            User.objects.filter(
                is_active=True,
                role__in=STAFF_ROLES,
                institution__in=subtree,
                full_name=c.complained_staff_name.strip(),
            ).values_list("pk", flat=True)[:2]
        )
        if len(matches) == 1:
            Complaint.objects.filter(pk=c.pk).update(complained_staff_id=matches[0])


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0010_complaint_account_number"),
        ("institutions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
