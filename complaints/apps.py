from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("投诉处理")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from institutions import options

        from .models import StatutoryRulePack, TaxonomyCode

        # Selects of JR/T codes are cached under the reference revision.
        post_save.connect(options.changed, sender=TaxonomyCode, dispatch_uid="tax_options_save")
        post_delete.connect(options.changed, sender=TaxonomyCode, dispatch_uid="tax_options_del")
        # A statutory rule pack saved or deleted: every process reloads the packs
        # (complaints.clock caches them under the deadline reference data's token).
        post_save.connect(_packs_changed, sender=StatutoryRulePack, dispatch_uid="pack_save")
        post_delete.connect(_packs_changed, sender=StatutoryRulePack, dispatch_uid="pack_del")


def _packs_changed(**kwargs) -> None:
    from deadlines.snapshot import changed

    changed()
