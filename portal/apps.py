from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("公众服务")
    default_auto_field = "django.db.models.BigAutoField"
