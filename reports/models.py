from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportPack(models.Model):
    """One generated quarterly report workbook: who asked for it, for which quarter and
    institution subtree, its progress while the worker builds it, and the file (kept
    privately under MEDIA_ROOT; downloaded only through a permission-checked view)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    root = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("统计范围"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    step = models.CharField(_("当前步骤"), max_length=60, blank=True)
    file = models.FileField(_("文件"), upload_to="reports/", blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("季度报表")
        verbose_name_plural = _("季度报表")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter} {self.root_id}"

    @property
    def label(self) -> str:
        from django.utils.translation import gettext

        return gettext("%(year)d年第%(quarter)d季度") % {"year": self.year, "quarter": self.quarter}


def import_upload_to(instance: HistoryImport, filename: str) -> str:
    # Never the uploaded name (it may say whose data it holds): the job's own id.
    return f"imports/{instance.pk}.{'xlsx' if filename.lower().endswith('.xlsx') else 'csv'}"


class HistoryImport(models.Model):
    """One upload of historical complaints: validated by the worker, shown as a
    summary, then imported by the worker all or nothing. The uploaded file holds
    personal data: it is kept privately under MEDIA_ROOT only until the import ends,
    is cancelled, or ``IMPORT_UPLOAD_TTL_HOURS`` pass (reports.history.purge)."""

    class Status(models.TextChoices):
        VALIDATING = "validating", _("校验中")
        INVALID = "invalid", _("有错误")
        READY = "ready", _("待确认")
        IMPORTING = "importing", _("导入中")
        DONE = "done", _("已导入")
        FAILED = "failed", _("失败")
        CANCELLED = "cancelled", _("已取消")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: The interface language of the person importing: the worker writes the
    #: messages in it.
    language = models.CharField(max_length=10, default="zh-hans")
    filename = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(_("文件"), upload_to=import_upload_to, max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.VALIDATING
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    step = models.CharField(_("当前步骤"), max_length=60, blank=True)
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    #: The errors kept (up to complaints.imports.runner.ERRORS_KEPT): [row, column, message].
    errors = models.JSONField(default=list, blank=True)
    #: Counts per institution, state and year and the first rows (masked).
    summary = models.JSONField(default=dict, blank=True)
    imported_count = models.PositiveIntegerField(_("导入件数"), default=0)
    failure = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("历史投诉导入")
        verbose_name_plural = _("历史投诉导入")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.VALIDATING, self.Status.IMPORTING)


class ReturnDefinition(models.Model):
    """A regulator return's format (监管报送格式), declared as data so an office's own
    format is added in the admin, not in code: which columns (dimensions such as the
    institution or the A/B/C codes, and measures such as received or on time), the
    code lists that translate our taxonomy into the office's codes, and the checks
    the figures must pass before anyone may download them. The spec's vocabulary
    and its checks are reports.returns.spec; docs/reports.md shows an example."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("月报")
        QUARTERLY = "quarterly", _("季报")

    slug = models.SlugField(_("标识"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    frequency = models.CharField(_("报送频率"), max_length=10, choices=Frequency.choices)
    spec = models.JSONField(_("格式定义"), default=dict)
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    ordering = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("监管报送格式")
        verbose_name_plural = _("监管报送格式")
        ordering = ["ordering", "slug"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .returns.spec import spec_errors

        super().clean()
        errors = spec_errors(self.spec)
        if errors:
            raise ValidationError({"spec": errors})
