"""The county convention 《金融机构保护金融消费者权益公约》.

Each supervising office keeps its own convention: versions of the text (a version is
in force from its effective date while active; the one in force is the latest such
version) and the signatures of the institutions of its jurisdiction (which version,
when, by whom, who recorded it). An institution signs each version once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TITLE = "金融机构保护金融消费者权益公约"


class ConventionVersion(models.Model):
    office = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("发布单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    label = models.CharField(_("版本"), max_length=40, help_text=_("例如“2026年版”。"))
    text = models.TextField(_("公约文本"))
    effective_on = models.DateField(_("生效日期"))
    # Withdrawn versions stay (their signatures are history) but are never in force.
    active = models.BooleanField(_("有效"), default=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now)

    class Meta:
        verbose_name = _("公约版本")
        verbose_name_plural = _("公约版本")
        ordering = ("-effective_on", "-pk")
        constraints = [
            models.UniqueConstraint(fields=("office", "label"), name="convention_label_once")
        ]
        indexes = [models.Index(fields=("office", "active", "effective_on"))]

    def __str__(self) -> str:
        return self.label


class ConventionSignature(models.Model):
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("签署机构"),
        on_delete=models.PROTECT,
        related_name="convention_signatures",
    )
    version = models.ForeignKey(
        ConventionVersion,
        verbose_name=_("公约版本"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    signed_on = models.DateField(_("签署日期"))
    signer_name = models.CharField(_("签署人"), max_length=40)
    signer_title = models.CharField(_("签署人职务"), max_length=60)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("公约签署")
        verbose_name_plural = _("公约签署")
        ordering = ("-signed_on", "-pk")
        constraints = [
            models.UniqueConstraint(fields=("institution", "version"), name="convention_sign_once")
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.version}"
