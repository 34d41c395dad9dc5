from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "institutions"
    verbose_name = _("机构与人员")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from . import options
        from .auth import stamp_new_session
        from .models import Institution, User

        user_logged_in.connect(stamp_new_session, dispatch_uid="institutions_stamp_session")
        # Selects of institutions and staff are cached under the reference revision.
        post_save.connect(options.changed, sender=Institution, dispatch_uid="inst_options_save")
        post_delete.connect(options.changed, sender=Institution, dispatch_uid="inst_options_del")
        post_save.connect(options.staff_changed, sender=User, dispatch_uid="user_options_save")
        post_delete.connect(options.staff_changed, sender=User, dispatch_uid="user_options_del")
