"""The supervisor's list of major complaints counted every major or escalated
complaint through a join to each one's institution (0.24 s at a million rows). This
partial index holds the candidates (major, or escalated: about 5% of the table) with
what the list filters on, so the count is an index-only scan. CONCURRENTLY on
PostgreSQL."""

from django.db import migrations, models

from config.online_index import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("complaints", "0008_board_indexes")]

    operations = [
        AddIndexOnline(
            model_name="complaint",
            index=models.Index(
                fields=["-received_at", "-id"],
                include=(
                    "is_major",
                    "escalation_level",
                    "handling_institution",
                    "accepting_institution",
                    "complained_institution",
                ),
                name="cmp_major_candidates",
                condition=models.Q(is_major=True) | models.Q(escalation_level__gt=0),
            ),
        ),
    ]
