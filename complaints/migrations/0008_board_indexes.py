"""Indexes for the supervision board at a million rows (docs/performance.md): the
open-row covering index also carries the board's flags (major, repeat, put on the
supervision list), so every open-complaint count on the board is an index-only scan;
``cmp_answered_unsatisfied`` holds the answered complaints whose customer is
unsatisfied. The new covering index is built before the old one is dropped, so the
workbench never runs without one. CONCURRENTLY on PostgreSQL."""

from django.db import migrations, models

from config.online_index import AddIndexOnline, RemoveIndexOnline

OPEN = models.Q(status__in=["registered", "assigned", "in_progress", "resolved"])


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("complaints", "0007_sweep_indexes_by_id")]

    operations = [
        AddIndexOnline(
            model_name="complaint",
            index=models.Index(
                fields=["due_at"],
                include=(
                    "id",
                    "status",
                    "handler",
                    "handling_institution",
                    "accepting_institution",
                    "complained_institution",
                    "is_major",
                    "is_repeat",
                    "auto_escalated_at",
                ),
                name="cmp_open_cover",
                condition=OPEN,
            ),
        ),
        RemoveIndexOnline(model_name="complaint", name="cmp_open_due_cover"),
        AddIndexOnline(
            model_name="complaint",
            index=models.Index(
                fields=["handling_institution"],
                include=("accepting_institution", "complained_institution"),
                name="cmp_answered_unsatisfied",
                condition=models.Q(status="answered", satisfaction="unsatisfied"),
            ),
        ),
    ]
