"""Supervisory measures (监管措施) and rectification items (整改事项).

A ``Measure`` is one entry of the office's log of what it did about an institution:
guidance, a talk, a warning, a circular, an inspection, an order to rectify within a
time limit, a referral for an administrative penalty. A ``RectificationItem`` is one
thing an institution must change, opened from a measure, an inspection finding, a
complaint, a hot spot or (inside a bank, 投诉溯源整改) a cluster of complaints; it is
tracked to the overseer's acceptance on the working-day calendar. Rows change only
through ``supervision.measures.services`` and ``.workflow``; every step of an item
writes one ``RectificationEvent``.

Registered through ``supervision.models`` (which imports this module).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints import attachments

from .enums import MeasureKind, RectificationEventKind, RectificationSource, RectificationStatus


class Measure(models.Model):
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("对象机构"),
        on_delete=models.PROTECT,
        related_name="supervisory_measures",
    )
    # The office whose jurisdiction holds the institution (the recorder's office).
    office = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("监管机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("措施类型"), max_length=20, choices=MeasureKind.choices)
    taken_on = models.DateField(_("采取日期"))
    basis = models.TextField(_("依据"), help_text=_("法律、法规、规章或规范性文件依据"))
    content = models.TextField(_("措施内容与发现的问题"))
    complaints = models.ManyToManyField(
        "complaints.Complaint",
        verbose_name=_("涉及的投诉"),
        blank=True,
        related_name="supervisory_measures",
    )
    # 移送行政处罚 refers the 诉转案 opened from the complaint behind it.
    enforcement_case = models.ForeignKey(
        "supervision.EnforcementCase",
        verbose_name=_("关联诉转案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("监管措施")
        verbose_name_plural = _("监管措施")
        ordering = ["-taken_on", "-pk"]
        indexes = [models.Index(fields=["institution", "taken_on"], name="measure_inst_taken")]

    def __str__(self) -> str:
        return f"{self.taken_on:%Y-%m-%d} {self.get_kind_display()}"


class RectificationItem(models.Model):
    """整改事项. ``overseer`` accepts or returns the answer: the supervising office
    for an item it ordered, or the bank node whose manager opened an item for an
    outlet below it (root-cause tracing)."""

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("整改机构"),
        on_delete=models.PROTECT,
        related_name="rectification_items",
    )
    overseer = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("验收机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("来源"), max_length=12, choices=RectificationSource.choices)
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("来源监管措施"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("来源投诉"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectification_items",
    )
    # An inspection finding's reference, a hot-spot cell or a cluster, in words.
    source_ref = models.CharField(_("来源说明"), max_length=300, blank=True)
    # A hot-spot cell: JR/T cause × business line × period (the institution above).
    cause = models.ForeignKey(
        "complaints.TaxonomyCode",
        verbose_name=_("投诉原因（C）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    business_line = models.ForeignKey(
        "complaints.TaxonomyCode",
        verbose_name=_("业务类别（B）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period = models.CharField(_("统计期间"), max_length=40, blank=True)
    requirement = models.TextField(_("整改要求"))
    due_on = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    response = models.TextField(_("整改情况"), blank=True)
    answered_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField(_("验收意见或退回理由"), blank=True)
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    # Stamped once by the sweep (idempotent: a stamped row is not reminded again).
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("逾期标记时间"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("下发人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("下发时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["institution", "due_on"], name="rectification_inst_due"),
            models.Index(fields=["status", "due_on"], name="rectification_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="accepted") | models.Q(accepted_at__isnull=False),
                name="rectification_accepted_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.due_on:%Y-%m-%d}"

    @property
    def is_overdue(self) -> bool:
        """Still owing an answer after the deadline (or stamped by the sweep)."""
        return self.status in ("open", "returned") and (
            self.overdue_at is not None or timezone.localdate() > self.due_on
        )


def document_upload_to(instance, filename: str) -> str:
    """A random name (nothing of the uploaded name reaches the file system)."""
    ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"supervision/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}.{ext}"


class SupervisoryDocument(models.Model):
    """A file of a measure (the notice, the talk's record) or of an item (the
    institution's evidence of rectification), in the private storage like complaint
    evidence, served only by the access-checked views."""

    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    item = models.ForeignKey(
        RectificationItem,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    file = models.FileField(
        _("文件"), storage=attachments.private_storage, upload_to=document_upload_to, max_length=200
    )
    original_name = models.CharField(_("原文件名"), max_length=120, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=60)
    extension = models.CharField(_("扩展名"), max_length=8)
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
        verbose_name = _("监管文书与整改材料")
        verbose_name_plural = _("监管文书与整改材料")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(measure__isnull=False, item__isnull=True)
                | models.Q(measure__isnull=True, item__isnull=False),
                name="supervisory_document_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name or str(self.pk)


class RectificationEvent(models.Model):
    """One row per step of an item, written by ``.workflow`` and the sweep only."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("动作"), max_length=10, choices=RectificationEventKind.choices)
    from_status = models.CharField(
        _("原状态"), max_length=10, choices=RectificationStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=10, choices=RectificationStatus.choices)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改记录轴")
        verbose_name_plural = _("整改记录轴")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind}"
