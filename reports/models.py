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
