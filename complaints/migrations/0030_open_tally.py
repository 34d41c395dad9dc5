"""The tally of open complaints behind the supervision board and the workbench
(complaints/tally.py, docs/supervision.md "The tally"), and ``cmp_registered_handling``
for the workbench's live 待分办 count. The tables start empty: the first page view
(or the beat task ``open_tally_refresh``, installed by ``manage.py setup_schedule``)
counts.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0029_complaint_search"),
        ("deadlines", "0003_alter_slarulesetbinding_intake_source"),
        ("institutions", "0002_reference_revision"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OpenTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("open", models.PositiveIntegerField(default=0)),
                ("due_today", models.PositiveIntegerField(default=0)),
                ("overdue", models.PositiveIntegerField(default=0)),
                ("major", models.PositiveIntegerField(default=0)),
                ("repeat", models.PositiveIntegerField(default=0)),
                ("unsatisfied", models.PositiveIntegerField(default=0)),
                ("supervised", models.PositiveIntegerField(default=0)),
                ("urges_overdue", models.PositiveIntegerField(default=0)),
                ("paused", models.PositiveIntegerField(default=0)),
                ("statutory_overdue", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "未办结投诉统计",
                "verbose_name_plural": "未办结投诉统计",
                "default_permissions": (),
            },
        ),
        migrations.CreateModel(
            name="OpenTallyRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("counted_at", models.DateTimeField(db_index=True, verbose_name="统计时间")),
                ("seconds", models.FloatField(default=0, verbose_name="耗时（秒）")),
            ],
            options={
                "verbose_name": "未办结投诉统计",
                "verbose_name_plural": "未办结投诉统计",
                "default_permissions": (),
            },
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("status", "registered")),
                fields=["handling_institution"],
                include=("accepting_institution", "complained_institution", "complained_staff"),
                name="cmp_registered_handling",
            ),
        ),
        migrations.AddField(
            model_name="opentally",
            name="accepting_institution",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="institutions.institution",
            ),
        ),
        migrations.AddField(
            model_name="opentally",
            name="complained_institution",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="institutions.institution",
            ),
        ),
        migrations.AddField(
            model_name="opentally",
            name="handling_institution",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="institutions.institution",
            ),
        ),
        migrations.AddField(
            model_name="opentally",
            name="run",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="rows",
                to="complaints.opentallyrun",
            ),
        ),
        migrations.AddIndex(
            model_name="opentally",
            index=models.Index(fields=["run", "handling_institution"], name="tally_run_handling"),
        ),
    ]
