"""The default Chinese texts of the consumer messages (notifications/defaults.py); the
office edits them in the admin afterwards (a template that exists is never overwritten)."""

from django.db import migrations

from notifications.defaults import seed_message_templates


def seed(apps, schema_editor):
    seed_message_templates(apps.get_model("notifications", "MessageTemplate"))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_consumer_messages")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
