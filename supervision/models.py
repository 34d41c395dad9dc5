"""The case archive (投诉案例档案) and the enforcement follow-ups (诉转案).

The board, the lists and the statistics read the complaint tables; only what the
office writes itself lives here. Rows are created and changed by
``supervision.services`` (which masks personal data and notifies), never by views.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import EnforcementKind, EnforcementStatus, TypicalCaseCategory


class TypicalCase(models.Model):
    """A resolved complaint written up for the archive: why it happened, how it was
    handled, what to learn. The texts are stored with the complainant's personal
    data masked (the service replaces it), so the archive can be circulated."""

    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("投诉"),
        on_delete=models.PROTECT,
        related_name="typical_cases",
    )
    # The author's institution (the office or a bank): who keeps the case, and whose
    # staff and subordinates read it once published.
    owner = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("编写机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("案例标题"), max_length=120)
    category = models.CharField(
        _("案例类别"),
        max_length=16,
        choices=TypicalCaseCategory.choices,
        default=TypicalCaseCategory.TYPICAL,
    )
    cause_analysis = models.TextField(_("原因分析"))
    handling_process = models.TextField(_("处理过程"))
    lessons = models.TextField(_("经验教训与改进措施"))
    published = models.BooleanField(
        _("已发布"), default=False, help_text=_("发布后，本机构及下级机构人员可在案例库中查阅")
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    # Who put the case in the library (the author ticking 发布到案例库, an editor, or
    # the office circulating it): publishing makes it readable by a whole subtree.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编写人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("投诉案例")
        verbose_name_plural = _("投诉案例档案")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One write-up per complaint: a second one would split its circulation.
            models.UniqueConstraint(fields=["complaint"], name="typical_case_one_per_complaint")
        ]
        indexes = [models.Index(fields=["owner", "-created_at"], name="typical_owner_created")]

    def __str__(self) -> str:
        return self.title


class Circulation(models.Model):
    """通报: a typical case sent to an institution; its staff (and the staff below it)
    find it in their library and confirm they read it."""

    case = models.ForeignKey(
        TypicalCase, verbose_name=_("案例"), on_delete=models.CASCADE, related_name="circulations"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("通报机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("通报要求"), blank=True)
    circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("通报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    circulated_at = models.DateTimeField(_("通报时间"), default=timezone.now)

    class Meta:
        verbose_name = _("案例通报")
        verbose_name_plural = _("案例通报")
        ordering = ["case", "institution__path"]
        constraints = [
            models.UniqueConstraint(fields=["case", "institution"], name="circulation_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.institution_id}"


class CaseReadReceipt(models.Model):
    """One member of staff confirmed reading a circulated case (阅知确认). The
    institution is the reader's own when they confirmed, which may lie below the
    circulated one."""

    circulation = models.ForeignKey(
        Circulation, verbose_name=_("通报"), on_delete=models.CASCADE, related_name="receipts"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("阅知机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("阅知人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    read_at = models.DateTimeField(_("阅知时间"), default=timezone.now)

    class Meta:
        verbose_name = _("阅知确认")
        verbose_name_plural = _("阅知确认")
        ordering = ["-read_at"]
        constraints = [
            models.UniqueConstraint(fields=["circulation", "user"], name="read_receipt_once")
        ]

    def __str__(self) -> str:
        return f"{self.circulation_id}:{self.user_id}"


class EnforcementCase(models.Model):
    """诉转案: an inspection opened by the office from a complaint that revealed a
    violation. Counted per institution and period in the appraisal."""

    case_no = models.CharField(_("案件编号"), max_length=40, unique=True, editable=False)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("来源投诉"),
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
    )
    # The inspected institution (the complained-about one) and the office that opened
    # the case: the appraisal counts by the first, numbering follows the second.
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("被检查机构"),
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
    )
    office = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("立案机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("检查类型"), max_length=16, choices=EnforcementKind.choices)
    summary = models.TextField(_("立案事由"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=EnforcementStatus.choices,
        default=EnforcementStatus.OPEN,
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("立案人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("立案时间"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结案人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    result = models.TextField(_("检查结果与处理"), blank=True)

    class Meta:
        verbose_name = _("诉转案")
        verbose_name_plural = _("诉转案（专项检查/执法检查）")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["institution", "opened_at"], name="enforcement_inst_opened")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open", closed_at__isnull=True)
                | models.Q(status="closed", closed_at__isnull=False),
                name="enforcement_closed_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.case_no


# Supervisory measures and rectification items live in their own module; importing
# them here registers them with the app.
from .measures.models import (  # noqa: E402, F401
    Measure,
    RectificationEvent,
    RectificationItem,
    SupervisoryDocument,
)
