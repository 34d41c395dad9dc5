from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = _("时限与工作日历")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the calendar cache receivers
