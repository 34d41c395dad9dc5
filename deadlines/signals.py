"""Keeps every process's in-memory calendar in step with the database.

Not business logic: the receivers only change the calendar's revision token (see
``deadlines.calendar``), whatever wrote the row: the admin, an import, a shell.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .calendar import calendar_changed
from .models import CalendarDay, CalendarYear


@receiver(post_save, sender=CalendarDay, dispatch_uid="deadlines_day_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="deadlines_day_deleted")
@receiver(post_save, sender=CalendarYear, dispatch_uid="deadlines_year_saved")
@receiver(post_delete, sender=CalendarYear, dispatch_uid="deadlines_year_deleted")
def _calendar_row_changed(sender, **kwargs) -> None:
    calendar_changed()
