"""Keeps every process's in-memory calendar and deadline rules in step with the
database.

Not business logic: the receivers only change the revision token (see
``deadlines.snapshot``), whatever wrote the row: the admin, an import, a shell.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import snapshot
from .models import CalendarDay, CalendarYear, SlaRule, SlaRuleSet, SlaRuleSetBinding


@receiver(post_save, sender=CalendarDay, dispatch_uid="deadlines_day_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="deadlines_day_deleted")
@receiver(post_save, sender=CalendarYear, dispatch_uid="deadlines_year_saved")
@receiver(post_delete, sender=CalendarYear, dispatch_uid="deadlines_year_deleted")
def _calendar_row_changed(sender, **kwargs) -> None:
    snapshot.changed()


@receiver(post_save, sender=SlaRule, dispatch_uid="deadlines_rule_saved")
@receiver(post_delete, sender=SlaRule, dispatch_uid="deadlines_rule_deleted")
@receiver(post_save, sender=SlaRuleSet, dispatch_uid="deadlines_rule_set_saved")
@receiver(post_delete, sender=SlaRuleSet, dispatch_uid="deadlines_rule_set_deleted")
@receiver(post_save, sender=SlaRuleSetBinding, dispatch_uid="deadlines_binding_saved")
@receiver(post_delete, sender=SlaRuleSetBinding, dispatch_uid="deadlines_binding_deleted")
def _rule_row_changed(sender, **kwargs) -> None:
    snapshot.changed()
