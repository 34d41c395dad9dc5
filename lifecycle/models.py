"""What the data lifecycle keeps of its own: the retention policy the office set, legal
holds, the audit of each retention run and batch, the mark on each anonymised
complaint, and consumers' PIPL requests. The complaint, its files and its logs stay
the models of their own apps; this app only reads them and, in the run, rewrites them
(lifecycle.services.anonymise)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import BatchKind, HoldReason, PiplOutcome, PiplRequestKind, RunMode, RunStatus

#: The legal minimums: complaint files at least 3 years after closure (PBoC
#: implementing measures 2020), network logs at least 6 months (Cybersecurity Law
#: art. 21). A shorter value in settings is raised to these.
MIN_COMPLAINT_YEARS = 3
MIN_ACCESS_LOG_MONTHS = 6


class RetentionPolicy(models.Model):
    """The office's retention periods, one row (pk 1). An empty field means the value
    in settings (``RETENTION_*``) applies; ``lifecycle.policy.current_policy`` merges
    the two."""

    complaint_years = models.PositiveSmallIntegerField(
        _("投诉个人信息保存年限（终结后）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_COMPLAINT_YEARS)],
        help_text=_("留空则使用系统配置；不得少于3年"),
    )
    access_log_months = models.PositiveSmallIntegerField(
        _("访问记录保存月数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_ACCESS_LOG_MONTHS)],
        help_text=_("留空则使用系统配置；不得少于6个月"),
    )
    notice_months = models.PositiveSmallIntegerField(
        _("通知与消费者消息保存月数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("留空则使用系统配置"),
    )
    report_pack_years = models.PositiveSmallIntegerField(
        _("季度报表文件保存年限"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("留空则使用系统配置"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("保存期限策略")
        verbose_name_plural = _("保存期限策略")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="retention_one_policy")
        ]

    def __str__(self) -> str:
        return str(_("保存期限策略"))

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # a singleton: the admin edits the one row
        super().save(*args, **kwargs)


class LegalHold(models.Model):
    """A legal hold (法律保全): while one is active the complaint is not anonymised,
    whatever its age. Lifted, it stays as the record of who held it, why and when."""

    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("投诉"),
        on_delete=models.PROTECT,
        related_name="legal_holds",
    )
    reason = models.CharField(_("保全事由"), max_length=16, choices=HoldReason.choices)
    note = models.CharField(_("说明"), max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("设置时间"), default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解除人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    lift_note = models.CharField(_("解除说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("法律保全")
        verbose_name_plural = _("法律保全")
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "reason"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_active_hold_per_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.get_reason_display()}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class RetentionRun(models.Model):
    """One retention run or dry run: the periods it applied, what it found or did,
    and who started it (empty: the schedule). Its batches are the audit of the work."""

    mode = models.CharField(_("方式"), max_length=10, choices=RunMode.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The policy and cut-off times in force when it ran, and the dry-run report.
    policy = models.JSONField(_("适用的保存期限"), default=dict, blank=True)
    report = models.JSONField(_("预览结果"), default=dict, blank=True)
    complaints = models.PositiveIntegerField(_("匿名化投诉数"), default=0)
    files = models.PositiveIntegerField(_("删除文件数"), default=0)
    access_logs = models.PositiveIntegerField(_("清理访问记录数"), default=0)
    notices = models.PositiveIntegerField(_("清理通知与消息数"), default=0)
    report_packs = models.PositiveIntegerField(_("清理季度报表数"), default=0)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("保存期限执行记录")
        verbose_name_plural = _("保存期限执行记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} {self.created_at:%Y-%m-%d %H:%M}"


class RetentionBatch(models.Model):
    """One committed batch of a run: what kind of rows, how many, and which complaints
    (ids only, never their data). Written in the same transaction as the work, so a
    batch row exists exactly when its work was committed."""

    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="batches")
    seq = models.PositiveIntegerField(_("批次"))
    kind = models.CharField(_("内容"), max_length=16, choices=BatchKind.choices)
    rows = models.PositiveIntegerField(_("处理行数"), default=0)
    files = models.PositiveIntegerField(_("删除文件数"), default=0)
    complaint_ids = models.JSONField(_("投诉ID"), default=list, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("保存期限执行批次")
        verbose_name_plural = _("保存期限执行批次")
        ordering = ["run", "seq"]
        constraints = [models.UniqueConstraint(fields=["run", "seq"], name="retention_batch_seq")]

    def __str__(self) -> str:
        return f"{self.run_id}#{self.seq} {self.get_kind_display()}"


class Anonymisation(models.Model):
    """The mark that a complaint was anonymised, and when, by which batch. Unique per
    complaint: a second run (or a concurrent one) cannot anonymise it twice."""

    complaint = models.OneToOneField(
        "complaints.Complaint",
        verbose_name=_("投诉"),
        on_delete=models.PROTECT,
        related_name="anonymisation",
    )
    anonymised_at = models.DateTimeField(_("匿名化时间"), default=timezone.now)
    batch = models.ForeignKey(
        RetentionBatch,
        verbose_name=_("批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="anonymisations",
    )

    class Meta:
        verbose_name = _("匿名化记录")
        verbose_name_plural = _("匿名化记录")
        ordering = ["-anonymised_at"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.anonymised_at:%Y-%m-%d}"


class PiplRequest(models.Model):
    """A consumer's request under PIPL arts. 44-47 (access, correction, deletion) about
    their complaint(s): received, due within ``PIPL_REQUEST_WORKING_DAYS`` working
    days, answered with an outcome by a named person."""

    kind = models.CharField(_("请求类型"), max_length=12, choices=PiplRequestKind.choices)
    complaints = models.ManyToManyField(
        "complaints.Complaint", verbose_name=_("涉及投诉"), related_name="pipl_requests"
    )
    received_on = models.DateField(_("收到日期"))
    due_on = models.DateField(_("答复期限"), editable=False)
    summary = models.TextField(_("请求内容"))
    outcome = models.CharField(
        _("办理结果"), max_length=10, choices=PiplOutcome.choices, blank=True, default=""
    )
    outcome_note = models.TextField(_("答复说明"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("个人信息权利请求")
        verbose_name_plural = _("个人信息权利请求")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"],
                name="pipl_open_due",
                condition=models.Q(answered_on__isnull=True),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True, outcome="")
                | (models.Q(answered_on__isnull=False) & ~models.Q(outcome="")),
                name="pipl_answered_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on}"

    @property
    def is_overdue(self) -> bool:
        return self.answered_on is None and timezone.localdate() > self.due_on
