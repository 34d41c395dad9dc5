"""The tally of open complaints behind the supervision board and the workbench
(complaints/tally.py, docs/supervision.md "The tally"). The tables start empty: the
first page view, or the beat task ``open_tally_refresh`` (installed by
``manage.py setup_schedule``), counts.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0030_complaint_search_grams_column'),
        ('institutions', '0002_reference_revision'),
    ]

    operations = [
        migrations.CreateModel(
            name='OpenTallyRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('counted_at', models.DateTimeField(db_index=True, verbose_name='统计时间')),
                ('seconds', models.FloatField(default=0, verbose_name='耗时（秒）')),
            ],
            options={
                'verbose_name': '未办结投诉统计',
                'verbose_name_plural': '未办结投诉统计',
                'default_permissions': (),
            },
        ),
        migrations.CreateModel(
            name='OpenTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('open', models.PositiveIntegerField(default=0)),
                ('due_today', models.PositiveIntegerField(default=0)),
                ('overdue', models.PositiveIntegerField(default=0)),
                ('major', models.PositiveIntegerField(default=0)),
                ('repeat', models.PositiveIntegerField(default=0)),
                ('unsatisfied', models.PositiveIntegerField(default=0)),
                ('supervised', models.PositiveIntegerField(default=0)),
                ('urges_overdue', models.PositiveIntegerField(default=0)),
                ('paused', models.PositiveIntegerField(default=0)),
                ('statutory_overdue', models.PositiveIntegerField(default=0)),
                ('registered', models.PositiveIntegerField(default=0)),
                ('accepting_institution', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='institutions.institution')),
                ('complained_institution', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='institutions.institution')),
                ('handling_institution', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='institutions.institution')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rows', to='complaints.opentallyrun')),
            ],
            options={
                'verbose_name': '未办结投诉统计',
                'verbose_name_plural': '未办结投诉统计',
                'default_permissions': (),
                'indexes': [models.Index(fields=['run', 'handling_institution'], name='tally_run_handling')],
            },
        ),
    ]
