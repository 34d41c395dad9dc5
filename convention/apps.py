from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConventionConfig(AppConfig):
    name = "convention"
    verbose_name = _("消保公约")
