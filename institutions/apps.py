from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "institutions"
    verbose_name = _("机构与人员")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .auth import stamp_new_session

        user_logged_in.connect(stamp_new_session, dispatch_uid="institutions_stamp_session")
