"""Financial-dispute mediation (金融纠纷调解) run by the supervising office.

A case is opened from a complaint (typically one the consumer was unsatisfied with)
or directly on an application; both parties consent or it ends; a mediator from the
office's roster who passes the recusal check leads sessions; an agreement with the
content the People's Mediation Law requires is signed, tracked to performance and
may be confirmed by a court within 30 days of taking effect. Every step writes one
``MediationEvent``; the state changes only through ``mediation.workflow``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints import masking

from .enums import (
    EventKind,
    JudicialDecision,
    MediationStatus,
    Mode,
    Party,
    Procedure,
    Source,
)


class Mediator(models.Model):
    """One mediator of an office's roster (调解员名册). ``institution`` and
    ``conflicts`` feed the recusal check (回避): a mediator who works at, or declared
    a conflict with, the institution concerned (or a bank above or below it) cannot
    mediate its disputes; ``user`` links a mediator who is also a user, so that the
    staff involved in the complaint are refused too."""

    office = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("所属监管机构"),
        on_delete=models.PROTECT,
        related_name="mediators",
    )
    name = models.CharField(_("姓名"), max_length=60)
    organisation = models.CharField(_("工作单位"), max_length=120, blank=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("任职的金融机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("调解员在金融机构任职的，不得调解该机构（及其上下级）的纠纷。"),
    )
    conflicts = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("申报回避的机构"),
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("对应系统用户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("在册"), default=True)

    class Meta:
        verbose_name = _("调解员")
        verbose_name_plural = _("调解员名册")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.organisation}）" if self.organisation else self.name


class MediationCase(models.Model):
    case_no = models.CharField(_("调解编号"), max_length=40, unique=True, editable=False)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("来源投诉"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediations",
    )
    # The institution party (the complained-about one) and the office that mediates:
    # visibility and the appraisal go by the first, numbering by the second.
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("被申请机构"),
        on_delete=models.PROTECT,
        related_name="mediation_cases",
    )
    office = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("调解组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The consumer party; shown masked (complaints.masking) on every page.
    applicant_name = models.CharField(_("申请人（金融消费者）"), max_length=60)
    applicant_phone = models.CharField(_("申请人电话"), max_length=20, blank=True)
    applied_on = models.DateField(_("申请日期"))
    request = models.TextField(_("申请事项与理由"))
    procedure = models.CharField(_("调解程序"), max_length=10, choices=Procedure.choices)
    mode = models.CharField(_("调解方式"), max_length=10, choices=Mode.choices)
    due_on = models.DateField(_("调解期限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=MediationStatus.choices, default=MediationStatus.APPLIED
    )
    consumer_consent = models.BooleanField(_("消费者同意调解"), null=True, blank=True)
    institution_consent = models.BooleanField(_("机构同意调解"), null=True, blank=True)
    mediator = models.ForeignKey(
        Mediator,
        verbose_name=_("调解员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("终结时间"), null=True, blank=True)
    # Why it ended without an agreement (a party declined, or mediation failed), and
    # the remedies the parties still have (诉讼、仲裁、投诉…).
    end_reason = models.TextField(_("终结原因"), blank=True)
    remedies = models.TextField(_("告知的其他救济途径"), blank=True)
    performed_at = models.DateTimeField(_("履行完毕时间"), null=True, blank=True)
    # Judicial confirmation (司法确认): applied for within 30 days of the agreement
    # taking effect; one reminder before the window closes.
    judicial_deadline = models.DateField(_("司法确认申请截止日"), null=True, blank=True)
    judicial_reminded_at = models.DateTimeField(_("司法确认提醒时间"), null=True, blank=True)
    judicial_applied_on = models.DateField(_("申请司法确认日期"), null=True, blank=True)
    judicial_court = models.CharField(_("受理法院"), max_length=120, blank=True)
    judicial_case_no = models.CharField(_("法院案号"), max_length=60, blank=True)
    judicial_decision = models.CharField(
        _("法院裁定"), max_length=12, choices=JudicialDecision.choices, blank=True
    )
    judicial_decided_on = models.DateField(_("裁定日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("调解案件")
        verbose_name_plural = _("调解案件")
        ordering = ["-opened_at", "-pk"]
        permissions = [("manage_mediationcase", "Manage mediation cases")]
        indexes = [
            models.Index(fields=["institution", "opened_at"], name="mediation_inst_opened"),
            models.Index(fields=["status", "judicial_deadline"], name="mediation_judicial"),
        ]
        constraints = [
            # One running mediation per complaint.
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(status__in=["applied", "mediating"]),
                name="mediation_one_running_per_complaint",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["applied", "mediating", "agreed"])
                | models.Q(closed_at__isnull=False),
                name="mediation_ended_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.case_no

    @property
    def applicant_name_masked(self) -> str:
        return masking.mask_name(self.applicant_name, masking.DETAIL)

    @property
    def applicant_phone_masked(self) -> str:
        return (
            masking.mask_phone(self.applicant_phone, masking.LIST) if self.applicant_phone else ""
        )

    @property
    def applicant_name_listed(self) -> str:
        return masking.mask_name(self.applicant_name, masking.LIST)

    @property
    def is_running(self) -> bool:
        return self.status in ("applied", "mediating")

    @property
    def is_overdue(self) -> bool:
        return self.is_running and timezone.localdate() > self.due_on


class MediationSession(models.Model):
    """调解笔录: one sitting — who took part, when, where or how, what was said and
    offered."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("调解时间"))
    mode = models.CharField(_("调解方式"), max_length=10, choices=Mode.choices)
    place = models.CharField(_("地点或方式说明"), max_length=200)
    participants = models.TextField(_("参加人员"))
    statements = models.TextField(_("各方陈述"))
    offers = models.TextField(_("调解方案与各方意见"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_at:%Y-%m-%d}"


class MediationAgreement(models.Model):
    """调解协议书 with the content Article 29 of the People's Mediation Law requires:
    the parties, the main facts and points in dispute, the responsibilities, the terms
    agreed, and how and by when they are carried out; the date it takes effect and who
    signed it."""

    case = models.OneToOneField(MediationCase, on_delete=models.CASCADE, related_name="agreement")
    parties = models.TextField(_("当事人基本情况"))
    facts = models.TextField(_("纠纷主要事实与争议事项"))
    responsibilities = models.TextField(_("各方当事人的责任"))
    terms = models.TextField(_("达成协议的内容"))
    performance_method = models.TextField(_("履行方式"))
    perform_by = models.DateField(_("履行期限"))
    effective_on = models.DateField(_("协议生效日期"))
    consumer_signatory = models.CharField(_("消费者签字"), max_length=60)
    institution_signatory = models.CharField(_("机构代表签字"), max_length=60)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")

    def __str__(self) -> str:
        return str(self.case_id)


class PerformanceRecord(models.Model):
    """履行情况: what was done under the agreement, until it is complete."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="performance")
    note = models.TextField(_("履行情况"))
    completed = models.BooleanField(_("已全部履行"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("履行记录")
        verbose_name_plural = _("履行记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.created_at:%Y-%m-%d}"


class MediationEvent(models.Model):
    """One row per step of a mediation, written by ``mediation.workflow`` only."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("动作"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(
        _("原状态"), max_length=12, choices=MediationStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=12, choices=MediationStatus.choices)
    party = models.CharField(_("当事方"), max_length=12, choices=Party.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("调解记录轴")
        verbose_name_plural = _("调解记录轴")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"
