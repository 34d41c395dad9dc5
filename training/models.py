"""Training records (消保培训): who trained whom, on what, for how long.

A session is organised by an institution or by the supervising office; its trainees
are staff with an account (chosen from the user list) or people named by hand (an
outlet's temporary staff, a new hire not yet in the system). Each trainee row carries
the institution the person works at, so an office-run session counts for every bank
whose staff attended, and figures group by the trainee's institution, not by the
organiser.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints import attachments

#: A session longer than a working week is a typing error, not a course.
MAX_HOURS = Decimal("40")
MIN_HOURS = Decimal("0.5")


class TrainingSession(models.Model):
    organiser = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("组织机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField(_("培训日期"))
    topic = models.CharField(_("培训主题"), max_length=200)
    hours = models.DecimalField(
        _("培训学时（小时）"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(MIN_HOURS), MaxValueValidator(MAX_HOURS)],
    )
    content = models.TextField(_("培训内容"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        ordering = ("-held_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gte=MIN_HOURS, hours__lte=MAX_HOURS),
                name="training_hours_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


class Trainee(models.Model):
    """One person at one session: a user (``user``) or a name typed in (``name``).
    ``institution`` is where the person works, copied from the user when there is
    one, so a later move of the user does not rewrite past figures."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="trainees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("参训人员账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    name = models.CharField(_("姓名"), max_length=40)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("所在机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("参训人员")
        verbose_name_plural = _("参训人员")
        ordering = ("institution__path", "name", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("session", "user"),
                condition=models.Q(user__isnull=False),
                name="training_trainee_once",
            )
        ]
        indexes = [models.Index(fields=("institution", "session"))]

    def __str__(self) -> str:
        return self.name


def material_upload_to(instance: TrainingMaterial, filename: str) -> str:
    """A random name: nothing of the uploaded name reaches the file system."""
    ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"training/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}.{ext}"


class TrainingMaterial(models.Model):
    """A course file (slides as PDF, a sign-in sheet photo) in the private storage,
    served only by the access-checked download view."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(
        _("文件"),
        storage=attachments.private_storage,
        upload_to=material_upload_to,
        max_length=200,
    )
    original_name = models.CharField(_("原文件名"), max_length=120)
    content_type = models.CharField(_("文件类型"), max_length=60)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("培训材料")
        verbose_name_plural = _("培训材料")
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.original_name
