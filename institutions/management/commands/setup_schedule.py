from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from config.schedule import PERIODIC_TASKS


class Command(BaseCommand):
    help = "安装周期任务（已存在的任务不覆盖其时间设置）"

    def handle(self, *args, **options):
        for name, task, seconds in PERIODIC_TASKS:
            interval, _ = IntervalSchedule.objects.get_or_create(
                every=seconds, period=IntervalSchedule.SECONDS
            )
            # A new entry is due at once (last run one interval ago), so a fresh
            # installation sweeps as soon as beat starts instead of after a full interval.
            obj, created = PeriodicTask.objects.get_or_create(
                name=name,
                defaults={
                    "task": task,
                    "interval": interval,
                    "last_run_at": timezone.now() - timedelta(seconds=seconds),
                },
            )
            if not created and obj.task != task:
                obj.task = task
                obj.save(update_fields=["task"])
            self.stdout.write(f"{'+' if created else '='} {name} ({task})")
