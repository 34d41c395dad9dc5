"""What the public portal keeps of its own: the consumer's access to a complaint and
the log of enquiries. The complaint itself, its attachments and its timeline are
the complaints app's."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsumerAccess(models.Model):
    """The consumer's key to one complaint filed on the portal.

    ``code`` is the public tracking code (查询码): random, never the sequential
    tracking number, so codes cannot be walked. ``secret_hash`` is the SHA-256 of the
    secret (查询密码, 80 random bits) shown once on screen and sent by SMS/e-mail; the
    secret itself is never stored. Either the secret or the last four digits of the
    complainant's phone open the complaint with the code."""

    complaint = models.OneToOneField(
        "complaints.Complaint",
        verbose_name=_("投诉"),
        on_delete=models.PROTECT,
        related_name="consumer_access",
    )
    code = models.CharField(_("查询码"), max_length=16, unique=True)
    secret_hash = models.CharField(_("查询密码摘要"), max_length=64)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("消费者查询凭证")
        verbose_name_plural = _("消费者查询凭证")

    def __str__(self) -> str:
        return self.code

    @property
    def display_code(self) -> str:
        """The code in two groups of five, as printed and read out (ABCDE-FGHJK)."""
        return f"{self.code[:5]}-{self.code[5:]}"


class Enquiry(models.Model):
    """One successful progress enquiry (投诉办理查询): when, which complaint, how it was
    opened, and from where — the address only as a keyed hash, so the log can tell
    repeated visits apart without keeping anyone's address."""

    class Method(models.TextChoices):
        PHONE = "phone", _("查询码＋手机号后四位")
        SECRET = "secret", _("查询码＋查询密码")

    complaint = models.ForeignKey(
        "complaints.Complaint", verbose_name=_("投诉"), on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("方式"), max_length=10, choices=Method.choices)
    address_hash = models.CharField(_("来源地址摘要"), max_length=64)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("投诉办理查询记录")
        verbose_name_plural = _("投诉办理查询记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.created_at:%Y-%m-%d %H:%M}"
