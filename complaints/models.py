"""The complaint record, its classification, timeline and audit trail.

The FSM transitions on ``Complaint`` are the state graph (source → target and the
fields the state implies, no I/O, no conditions, no permissions); the action table in
``complaints.workflow`` says who may perform them and when, and performs them: lock,
permission, preconditions, transition, save, timeline row, side effects after commit.
Nothing else changes ``status`` (the historical import loads a recorded one).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from deadlines.enums import DayUnit

from . import attachments
from .enums import (
    OPEN_STATES,
    AnswerPreference,
    ApprovalLevel,
    AttachmentKind,
    AttachmentSource,
    ComplaintKind,
    ComplaintStatus,
    Complexity,
    ContactMethod,
    IdType,
    IntakeSource,
    PauseReason,
    PiiAccessKind,
    RefusalReason,
    Satisfaction,
    SatisfactionSource,
    TimelineAction,
    WithdrawalChannel,
)

S = ComplaintStatus


def localized_name(name: str, name_en: str) -> str:
    """Reference data kept in Chinese with an English name beside it: the English one
    on English pages when there is one."""
    if name_en and (get_language() or "").startswith("en"):
        return name_en[:1].upper() + name_en[1:]
    return name


class TaxonomyCode(models.Model):
    """A code of JR/T 0169-2018: A channel of the business, B business category,
    C cause. Our codes are internal; ``official_code`` keeps the standard's code once
    verified."""

    class Dimension(models.TextChoices):
        A = "A", _("A 业务办理渠道")
        B = "B", _("B 业务类别")
        C = "C", _("C 投诉原因")

    dimension = models.CharField(_("维度"), max_length=1, choices=Dimension.choices)
    code = models.CharField(_("内部代码"), max_length=16, unique=True)
    official_code = models.CharField(_("标准代码"), max_length=16, blank=True)
    level = models.PositiveSmallIntegerField(_("层级"), default=1)
    name = models.CharField(_("名称"), max_length=60)
    # The standard names its codes in Chinese only; English pages show this
    # (complaints/data/complaint-taxonomy.csv, name_en).
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("投诉分类代码")
        verbose_name_plural = _("投诉分类代码（JR/T 0169）")
        ordering = ["dimension", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        """The name in the active language (Chinese unless an English name exists)."""
        return localized_name(self.name, self.name_en)


class HandlingCategory(models.Model):
    """The county's own handling category (工作失误、服务态度…), which sets the
    complexity and therefore the deadline. An editable rule table, not code."""

    name = models.CharField(_("处理类别"), max_length=30, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=60, blank=True)
    complexity = models.CharField(_("复杂程度"), max_length=10, choices=Complexity.choices)
    typical_causes = models.ManyToManyField(
        TaxonomyCode,
        verbose_name=_("典型投诉原因"),
        blank=True,
        limit_choices_to={"dimension": "C"},
        help_text=_("登记时按所选投诉原因建议此类别"),
    )
    ordering = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("处理类别")
        verbose_name_plural = _("处理类别与复杂程度规则")
        ordering = ["ordering", "pk"]

    def __str__(self) -> str:
        return _("%(name)s（%(complexity)s）") % {
            "name": self.display_name,
            "complexity": self.get_complexity_display(),
        }

    @property
    def display_name(self) -> str:
        """The name in the active language (Chinese unless an English name exists)."""
        return localized_name(self.name, self.name_en)


class TrackingSequence(models.Model):
    """Per institution and day counter behind readable tracking numbers."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["institution", "day"], name="tracking_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}:{self.day}:{self.last}"


def overdue_from_facts(status: str, due_at, now, paused_at=None) -> bool:
    """逾期: still open past its due time and not paused (中止计时), from the facts
    (not the sweep's flag) — the same rule as ``selectors.overdue_q``, the list filter
    and the board's count. Lists that read rows as values (``complaints.rows``) ask it
    without an instance."""
    return due_at is not None and paused_at is None and status in OPEN_STATES and now > due_at


def answered_late_from_facts(due_at, answered_at) -> bool:
    """超时反馈: answered after the due time (``selectors.answered_late_q``). Not
    "overdue": the case is closed; statistics count the two apart."""
    return due_at is not None and answered_at is not None and answered_at > due_at


def _choice_label(choices: type[models.Choices], value) -> str:
    """What ``get_<field>_display`` returns: the label, or the value itself if it is
    not one of the choices."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class Complaint(ConcurrentTransitionMixin, models.Model):
    tracking_no = models.CharField(_("投诉编号"), max_length=48, unique=True, editable=False)
    # The number in the system a complaint was migrated from (historical import):
    # indexed, so a migrated complaint is found by the number people still quote.
    original_no = models.CharField(
        _("原系统投诉编号"), max_length=64, blank=True, default="", db_index=True, editable=False
    )
    received_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    intake_source = models.CharField(_("投诉来源"), max_length=16, choices=IntakeSource.choices)
    kind = models.CharField(
        _("类型"), max_length=16, choices=ComplaintKind.choices, default=ComplaintKind.COMPLAINT
    )

    # Complainant (C2 personal information: masked wherever it is shown).
    complainant_name = models.CharField(_("投诉人姓名"), max_length=40)
    complainant_phone = models.CharField(_("联系电话"), max_length=20, db_index=True)
    id_type = models.CharField(_("证件类型"), max_length=16, choices=IdType.choices, blank=True)
    id_number = models.CharField(_("证件号码"), max_length=32, blank=True, db_index=True)
    contact_address = models.CharField(_("联系地址"), max_length=200, blank=True)
    # The card or account the complaint is about, digits only (IntakeForm validates
    # it): masked like a card number (list: last 4; detail: first 6 + last 4).
    account_number = models.CharField(_("银行卡号/账号"), max_length=25, blank=True)
    answer_preference = models.CharField(
        _("希望的答复方式"),
        max_length=16,
        choices=AnswerPreference.choices,
        default=AnswerPreference.PHONE,
    )
    consumer_email = models.EmailField(_("电子邮箱"), max_length=120, blank=True)
    # The consumer agreed to be told of acceptance, extension, answer and reopening by
    # SMS or e-mail (PIPL: no message without consent; opt-out is kept per phone).
    notify_consent = models.BooleanField(_("同意接收进度通知"), default=False)
    # Filed by the consumer on the public portal rather than by staff at intake.
    submitted_by_consumer = models.BooleanField(_("消费者网上提交"), default=False)

    description = models.TextField(_("投诉事项"))
    demand = models.TextField(_("投诉诉求"))
    amount = models.DecimalField(
        _("涉及金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    complained_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("被投诉机构"),
        on_delete=models.PROTECT,
        related_name="complaints_against",
    )
    complained_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("被投诉人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints_against",
    )
    complained_staff_name = models.CharField(_("被投诉人员（姓名）"), max_length=40, blank=True)

    # Classification: JR/T 0169 A/B/C, and the county's handling category.
    channel = models.ForeignKey(
        TaxonomyCode,
        verbose_name=_("业务办理渠道（A）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"dimension": "A"},
    )
    business = models.ForeignKey(
        TaxonomyCode,
        verbose_name=_("业务类别（B）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"dimension": "B"},
    )
    cause = models.ForeignKey(
        TaxonomyCode,
        verbose_name=_("投诉原因（C）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"dimension": "C"},
    )
    category = models.ForeignKey(
        HandlingCategory, verbose_name=_("处理类别"), on_delete=models.PROTECT
    )
    complexity = models.CharField(_("复杂程度"), max_length=10, choices=Complexity.choices)
    complexity_reason = models.CharField(_("升级为复杂投诉的理由"), max_length=200, blank=True)

    # Responsibility.
    first_responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问责任人"),
        on_delete=models.PROTECT,
        related_name="complaints_registered",
    )
    accepting_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("受理机构"),
        on_delete=models.PROTECT,
        related_name="complaints_accepted",
    )
    handling_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("处理机构"),
        on_delete=models.PROTECT,
        related_name="complaints_handled",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_handling",
    )
    escalation_level = models.PositiveSmallIntegerField(_("上报层级"), default=0)
    is_major = models.BooleanField(_("重大投诉"), default=False)
    reported_to_regulator_at = models.DateTimeField(_("报告监管时间"), null=True, blank=True)
    is_repeat = models.BooleanField(_("重复投诉"), default=False)
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("前次投诉"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
    )
    reopen_count = models.PositiveSmallIntegerField(_("重新处理次数"), default=0)
    needs_reverification = models.BooleanField(_("待重新核查"), default=False)
    reverification = models.TextField(_("重新核查分析"), blank=True)

    status = FSMField(
        _("状态"), max_length=16, choices=S.choices, default=S.REGISTERED, protected=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    # Deadline (stamped at registration by the one due-time function).
    sla_rule = models.ForeignKey(
        "deadlines.SlaRule",
        verbose_name=_("时限规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_at = models.DateTimeField(_("答复期限"), null=True, blank=True)
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    remind_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    escalate_at = models.DateTimeField(_("逾期升级时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("已提醒时间"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("逾期时间"), null=True, blank=True)
    auto_escalated_at = models.DateTimeField(_("逾期升级督办时间"), null=True, blank=True)

    # The statutory clock beside the service promise (complaints.clock): the rule pack
    # in force when the complaint was opened, kept for good, so a new pack never
    # rewrites a case; the clock's start (the filing, or a refiling with new facts),
    # its limit in days with any approved extension, the days paused, and the due time
    # they give. The sweep stamps the reminder and the overrun once each.
    statutory_pack = models.ForeignKey(
        "complaints.StatutoryRulePack",
        verbose_name=_("法定时限规则版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    statutory_start_at = models.DateTimeField(_("法定时限起算时间"), null=True, blank=True)
    statutory_days = models.PositiveSmallIntegerField(_("法定时限（日）"), default=0)
    statutory_paused_days = models.PositiveSmallIntegerField(_("中止计时天数"), default=0)
    statutory_due_at = models.DateTimeField(_("法定办理期限"), null=True, blank=True)
    statutory_remind_at = models.DateTimeField(_("法定时限提醒时间"), null=True, blank=True)
    statutory_reminded_at = models.DateTimeField(_("法定时限已提醒时间"), null=True, blank=True)
    statutory_overdue_at = models.DateTimeField(_("超过法定时限时间"), null=True, blank=True)
    # Set while a pause (中止计时) runs: both clocks stand still, the sweep leaves the
    # case alone and it is not overdue. The pauses themselves: ComplaintPause.
    paused_at = models.DateTimeField(_("中止计时开始"), null=True, blank=True)
    # A mediation of the dispute (mediation app) is running since then: the complaint
    # is shown "调解中" and kept out of the archive until it ends. Set and cleared
    # only by complaints.mediation.
    mediation_since = models.DateTimeField(_("调解开始时间"), null=True, blank=True)
    # 撤诉: the day the withdrawal was received (the case ends that day) and how.
    withdrawn_on = models.DateField(_("撤诉日期"), null=True, blank=True)
    withdrawal_channel = models.CharField(
        _("撤诉方式"), max_length=10, choices=WithdrawalChannel.choices, blank=True
    )
    # 合并: the open complaint this duplicate was merged into.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_duplicates",
    )

    assigned_at = models.DateTimeField(_("分办时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始处理时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("终结时间"), null=True, blank=True)

    # Resolution (办结).
    findings = models.TextField(_("调查核实情况"), blank=True)
    is_valid = models.BooleanField(_("有效投诉"), null=True, blank=True)
    measures = models.TextField(_("处理措施"), blank=True)
    money_recovered = models.DecimalField(
        _("挽回经济损失（元）"), max_digits=14, decimal_places=2, default=0
    )
    staff_opinion = models.TextField(_("对责任人的处理意见"), blank=True)
    # Answer (反馈).
    answer_method = models.CharField(
        _("反馈方式"), max_length=16, choices=AnswerPreference.choices, blank=True
    )
    answer_note = models.TextField(_("反馈内容"), blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    # Who gave the rating: staff recording it by phone, or the consumer on the portal
    # (statistics keep the two apart).
    satisfaction_source = models.CharField(
        _("满意度来源"), max_length=10, choices=SatisfactionSource.choices, blank=True
    )
    # Refusal / transfer.
    refusal_reason = models.CharField(
        _("不予受理原因"), max_length=20, choices=RefusalReason.choices, blank=True
    )
    refusal_note = models.TextField(_("不予受理说明"), blank=True)
    transferred_to = models.CharField(_("移送至"), max_length=120, blank=True)
    transfer_reason = models.TextField(_("移送原因"), blank=True)

    last_activity_at = models.DateTimeField(_("最近动态"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-received_at", "-pk"]
        permissions = [("reveal_pii", _("可查看完整个人信息"))]
        indexes = [
            models.Index(fields=["handling_institution", "-received_at"], name="cmp_handling_recv"),
            models.Index(fields=["accepting_institution", "-received_at"], name="cmp_accept_recv"),
            models.Index(fields=["status", "due_at"], name="cmp_status_due"),
            # The list's default order, carrying the three institutions a complaint is
            # visible through (INCLUDE, PostgreSQL): deep pages and bounded counts pick
            # their rows from the index without reading the table.
            models.Index(
                fields=["-received_at", "-id"],
                include=("handling_institution", "accepting_institution", "complained_institution"),
                name="cmp_recv_scope",
            ),
            # Name search is a prefix match; pattern ops answer LIKE 'x%' under any
            # collation. (Migration 0005 also adds cmp_tracking_trgm, a pg_trgm index
            # for the tracking-number suffix search, on PostgreSQL only.)
            models.Index(
                fields=["complainant_name"],
                name="cmp_name_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            # Open rows only (~5% of the table). By due time, carrying what the
            # workbench counts and the supervision board look at, so they are read
            # from the index alone.
            models.Index(
                fields=["due_at"],
                include=(
                    "id",
                    "status",
                    "handler",
                    "handling_institution",
                    "accepting_institution",
                    "complained_institution",
                    "is_major",
                    "is_repeat",
                    "auto_escalated_at",
                    "paused_at",
                    "statutory_due_at",
                ),
                name="cmp_open_cover",
                condition=models.Q(status__in=list(OPEN_STATES)),
            ),
            # Answered but the customer is unsatisfied (the board's "不满意待跟进"):
            # a few thousand rows of a million.
            models.Index(
                fields=["handling_institution"],
                include=("accepting_institution", "complained_institution"),
                name="cmp_answered_unsatisfied",
                condition=models.Q(status="answered", satisfaction="unsatisfied"),
            ),
            # "Assigned to me", by due time.
            models.Index(
                fields=["handler", "due_at"],
                name="cmp_open_handler_due",
                condition=models.Q(status__in=list(OPEN_STATES)),
            ),
            # Open complaints in the list's default order (status and overdue filters).
            models.Index(
                fields=["-received_at", "-id"],
                name="cmp_open_recv",
                condition=models.Q(status__in=list(OPEN_STATES)),
            ),
            # The deadline sweep's three questions each touch only open rows that still
            # need that step, so its work follows the open cases, not the table. The
            # sweep claims its batches in id order, so the id leads and the time is
            # checked inside the index; keyed by the time alone, PostgreSQL read the
            # whole table in id order instead (docs/performance.md).
            models.Index(
                fields=["id", "remind_at"],
                name="cmp_sweep_remind_id",
                condition=models.Q(
                    status__in=list(OPEN_STATES),
                    reminded_at__isnull=True,
                ),
            ),
            models.Index(
                fields=["id", "due_at"],
                name="cmp_sweep_overdue_id",
                condition=models.Q(
                    status__in=list(OPEN_STATES),
                    overdue_at__isnull=True,
                ),
            ),
            models.Index(
                fields=["id", "escalate_at"],
                name="cmp_sweep_escalate_id",
                condition=models.Q(
                    status__in=list(OPEN_STATES),
                    auto_escalated_at__isnull=True,
                ),
            ),
            # The sweep's statutory reminder and overrun (complaints.clock), likewise.
            models.Index(
                fields=["id", "statutory_remind_at"],
                name="cmp_sweep_stat_remind_id",
                condition=models.Q(
                    status__in=list(OPEN_STATES),
                    statutory_reminded_at__isnull=True,
                ),
            ),
            models.Index(
                fields=["id", "statutory_due_at"],
                name="cmp_sweep_stat_overdue_id",
                condition=models.Q(
                    status__in=list(OPEN_STATES),
                    statutory_overdue_at__isnull=True,
                ),
            ),
            # Major or escalated complaints (~5%), newest first, carrying what the
            # supervisor's major-complaint list filters on: an index-only count.
            models.Index(
                fields=["-received_at", "-id"],
                include=(
                    "is_major",
                    "escalation_level",
                    "handling_institution",
                    "accepting_institution",
                    "complained_institution",
                ),
                name="cmp_major_candidates",
                condition=models.Q(is_major=True) | models.Q(escalation_level__gt=0),
            ),
            # The earlier-complaint check looks for the same card or account number;
            # most complaints have none, so only rows with one are indexed.
            models.Index(
                fields=["account_number"],
                name="cmp_account_number",
                condition=~models.Q(account_number=""),
            ),
            # Provisional due times still open (a handful): refreshed by each sweep.
            models.Index(
                fields=["id"],
                name="cmp_open_provisional",
                condition=models.Q(
                    status__in=list(OPEN_STATES),
                    due_provisional=True,
                ),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(money_recovered__gte=0), name="cmp_money_recovered_nonneg"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="cmp_amount_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_no

    # --- Transitions: the state graph and state-derived fields only. Who may act and
    # under which preconditions is the action table's (complaints.workflow). ---

    @transition(
        field=status,
        source=S.REGISTERED,
        target=S.REFUSED,
    )
    def refuse(self) -> None:
        """不予受理: the complaint is not accepted; the reason is on the record."""
        self.closed_at = timezone.now()

    @transition(
        field=status,
        source=S.REGISTERED,
        target=S.TRANSFERRED,
    )
    def transfer(self) -> None:
        """已移送: passed to a body outside the system; nothing more to do here."""
        self.closed_at = timezone.now()

    @transition(
        field=status,
        source=[S.REGISTERED, S.ASSIGNED],
        target=S.ASSIGNED,
    )
    def assign(self) -> None:
        """已分办: a handler at the handling institution owns it now."""
        self.assigned_at = timezone.now()

    @transition(
        field=status,
        source=S.ASSIGNED,
        target=S.IN_PROGRESS,
    )
    def start(self) -> None:
        """处理中: the handler acknowledged it and is investigating."""
        self.started_at = timezone.now()

    @transition(
        field=status,
        source=[S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS],
        target=S.REGISTERED,
    )
    def escalate(self) -> None:
        """逐级上报: back to 'registered' at the parent institution, waiting for its
        managers to assign it."""
        self.escalation_level += 1
        self.handler = None

    @transition(
        field=status,
        source=S.IN_PROGRESS,
        target=S.RESOLVED,
    )
    def resolve(self) -> None:
        """已办结: investigated and decided. (After a reopen the action table asks for
        the re-verification analysis first: complaints.workflow.conditions.)"""
        self.resolved_at = timezone.now()

    @transition(
        field=status,
        source=S.RESOLVED,
        target=S.ANSWERED,
    )
    def answer(self) -> None:
        """已反馈: the consumer was told the result. This is the moment the service
        promise is measured against (answered_at vs due_at)."""
        self.answered_at = self.answered_at or timezone.now()

    @transition(
        field=status,
        source=[S.RESOLVED, S.ANSWERED],
        target=S.IN_PROGRESS,
    )
    def reopen(self) -> None:
        """重新处理: the consumer is not satisfied or complained again. Counted as a
        repeat; it cannot be resolved again until the re-verification is recorded."""
        self.reopen_count += 1
        self.is_repeat = True
        self.needs_reverification = True
        self.reverification = ""
        self.resolved_at = None
        self.answered_at = None
        self.satisfaction = ""
        self.satisfaction_source = ""

    @transition(
        field=status,
        source=S.ANSWERED,
        target=S.ARCHIVED,
    )
    def archive(self) -> None:
        """已归档: the file is closed; only an admin with a logged reason changes it."""
        self.archived_at = timezone.now()
        self.closed_at = self.archived_at

    @transition(
        field=status,
        source=[S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED],
        target=S.WITHDRAWN,
    )
    def withdraw(self) -> None:
        """已撤诉: the consumer withdrew; the case ended on ``withdrawn_on`` (the day
        the withdrawal was received), which the action sets. A running pause ends."""
        self.closed_at = timezone.now()
        self.paused_at = None

    @transition(
        field=status,
        source=[S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED],
        target=S.MERGED,
    )
    def merge(self) -> None:
        """已合并: filed again with no new facts, closed into the open complaint it
        repeats (``merged_into``), where the handling continues."""
        self.closed_at = timezone.now()
        self.paused_at = None

    # ------------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        # A paused case is not overdue: its due time moves when it resumes.
        return overdue_from_facts(self.status, self.due_at, timezone.now(), self.paused_at)

    @property
    def in_mediation(self) -> bool:
        return self.mediation_since is not None

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def statutory_overdue(self) -> bool:
        """Open, not paused and past the statutory limit now."""
        return (
            self.statutory_due_at is not None
            and self.paused_at is None
            and self.status in OPEN_STATES
            and timezone.now() > self.statutory_due_at
        )

    @property
    def answered_on_time_statutory(self) -> bool | None:
        if self.answered_at is None or self.statutory_due_at is None:
            return None
        return self.answered_at <= self.statutory_due_at

    @property
    def answered_late(self) -> bool:
        return answered_late_from_facts(self.due_at, self.answered_at)

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None or self.due_at is None:
            return None
        return self.answered_at <= self.due_at


class AppendOnlyQuerySet(models.QuerySet):
    """Audit tables are append-only for the application: bulk update and delete are
    refused here, ``save()``/``delete()`` on the model below, and on PostgreSQL a
    trigger refuses UPDATE and DELETE whatever the code path (migration 0004)."""

    def update(self, **kwargs):
        raise PermissionDenied("append-only table")

    def delete(self):
        raise PermissionDenied("append-only table")

    update.alters_data = delete.alters_data = True


class TimelineEntry(models.Model):
    """One immutable row per thing that happened to a complaint: who, when, from
    which state to which, why. Written explicitly by the workflow, never by a
    signal; the application can neither update nor delete a row."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="timeline")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("动作"), max_length=24, choices=TimelineAction.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=S.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=S.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    payload = models.JSONField(_("结构化数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("处理记录")
        verbose_name_plural = _("处理记录")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["complaint", "created_at"], name="timeline_cmp_time")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.get_action_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionDenied("timeline entries are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("timeline entries are immutable")


class ExtensionRequest(models.Model):
    """延期: the handler asks for more time with a reason and a new promised date,
    and records that the customer was told; a manager decides."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("延期原因"))
    requested_due_at = models.DateTimeField(_("承诺办结时间"))
    customer_told = models.BooleanField(_("已向客户说明"), default=False)
    customer_told_at = models.DateTimeField(_("告知客户时间"), null=True, blank=True)
    decision = models.CharField(
        _("审批结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    previous_due_at = models.DateTimeField(_("原答复期限"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-created_at"]
        constraints = [
            # At most one open request per complaint.
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(decision="pending"),
                name="one_pending_extension",
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.get_decision_display()}"


class StatutoryRulePack(models.Model):
    """A dated, versioned set of statutory limits (法定时限), e.g. the CBIRC 2020
    complaint measures: a decision within 15 days, up to 30 for complex cases and 60
    for especially complex ones with the approval the rules name and the complainant
    told. Seeded by migration 0022; a revised measure is a new pack with a later
    ``effective_from``, never an edit of one in use: each complaint keeps the pack it
    was opened under and its own computed due time (complaints.clock)."""

    version = models.SlugField(_("版本"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    effective_from = models.DateField(_("施行日期"), unique=True)
    unit = models.CharField(
        _("计算单位"), max_length=12, choices=DayUnit.choices, default=DayUnit.CALENDAR_DAY
    )
    base_days = models.PositiveSmallIntegerField(_("办理期限（日）"), default=15)
    complex_days = models.PositiveSmallIntegerField(_("情况复杂可延长至（日）"), default=30)
    complex_approver = models.CharField(
        _("延长至复杂期限的审批"),
        max_length=20,
        choices=ApprovalLevel.choices,
        default=ApprovalLevel.HANDLING_MANAGER,
    )
    special_days = models.PositiveSmallIntegerField(_("情况特别复杂可延长至（日）"), default=60)
    special_approver = models.CharField(
        _("延长至特别复杂期限的审批"),
        max_length=20,
        choices=ApprovalLevel.choices,
        default=ApprovalLevel.SUPERIOR_MANAGER,
    )
    close_of_business = models.TimeField(_("期限截止时刻"), default=datetime.time(17, 0))
    remind_days_before = models.PositiveSmallIntegerField(_("届满前提醒（日）"), default=3)
    basis = models.TextField(_("依据"), blank=True)

    class Meta:
        verbose_name = _("法定时限规则")
        verbose_name_plural = _("法定时限规则（版本）")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(base_days__gt=0)
                & models.Q(complex_days__gte=models.F("base_days"))
                & models.Q(special_days__gte=models.F("complex_days")),
                name="statutory_pack_days_ordered",
                violation_error_message=_("期限须满足：办理期限 ≤ 复杂期限 ≤ 特别复杂期限。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"

    @property
    def display_name(self) -> str:
        """The name in the active language (Chinese unless an English name exists)."""
        return localized_name(self.name, self.name_en)


class ComplaintPause(models.Model):
    """中止计时: one stretch during which both clocks stood still (outside appraisal,
    testing or assessment, or the wait for the consumer's materials), with how and
    when the consumer was told, and how far each due time moved on resuming."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="pauses")
    reason = models.CharField(_("中止原因"), max_length=12, choices=PauseReason.choices)
    note = models.TextField(_("中止说明"), blank=True)
    consumer_told_via = models.CharField(
        _("告知消费者方式"), max_length=10, choices=ContactMethod.choices
    )
    consumer_told_at = models.DateTimeField(_("告知消费者时间"))
    started_at = models.DateTimeField(_("中止开始"), default=timezone.now)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resumed_at = models.DateTimeField(_("恢复计时"), null=True, blank=True)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resume_note = models.TextField(_("恢复说明"), blank=True)
    # How far each clock moved when the pause ended (statutory: calendar days;
    # service promise: working days).
    statutory_days = models.PositiveSmallIntegerField(_("法定时限顺延（日）"), default=0)
    promise_days = models.PositiveSmallIntegerField(_("服务承诺顺延（工作日）"), default=0)
    # The sweep's notice that the pause ran past settings.COMPLAINT_PAUSE_NOTICE_DAYS.
    long_noticed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("中止计时")
        verbose_name_plural = _("中止计时")
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(resumed_at__isnull=True),
                name="one_running_pause",
            )
        ]
        indexes = [
            models.Index(
                fields=["started_at"],
                name="pause_running_started",
                condition=models.Q(resumed_at__isnull=True, long_noticed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.get_reason_display()}"


class Urge(models.Model):
    """督办: a regulator or manager urges a case with a note and an expected date."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="urges")
    urged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("督办意见"))
    expected_by = models.DateField(_("要求办结日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("督办时间"), default=timezone.now)

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.created_at:%Y-%m-%d}"


class PiiAccessLog(models.Model):
    """Who saw which personal fields of which complaint, when and from where, without
    the data itself. Append-only for the application."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("方式"), max_length=10, choices=PiiAccessKind.choices)
    fields = models.JSONField(_("字段"), default=list)
    ip_address = models.CharField(_("来源地址"), max_length=64, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("个人信息访问记录")
        verbose_name_plural = _("个人信息访问记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionDenied("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("the access log is append-only")


class ComplaintExport(models.Model):
    """A complaint list exported to xlsx as one user filtered it (导出 Excel).

    ``query`` keeps the list's filters as submitted; the rows are read again from the
    owner's scope when the file is written (``complaints.exports``), so the file shows
    what the owner's list showed and nobody else's institution. The file lies under
    MEDIA_ROOT, is served only to its owner, and is deleted once it expires."""

    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="complaint_exports"
    )
    query = models.TextField(_("筛选条件"), blank=True)
    # The file is written in the language its owner was reading the list in.
    language = models.CharField(_("语言"), max_length=10, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    written = models.PositiveIntegerField(_("已写行数"), default=0)
    file = models.FileField(_("文件"), upload_to="exports/", blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), db_index=True)

    class Meta:
        verbose_name = _("投诉列表导出")
        verbose_name_plural = _("投诉列表导出")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.created_at:%Y-%m-%d %H:%M} {self.state}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, self.written * 100 // self.total) if self.total else 0


class ComplaintAttachment(models.Model):
    """An item of a complaint's case file (案卷材料): an evidence file (a photo, a
    receipt, a letter, an ID copy, a contract, the recording of the reception) or a
    **reference** to a recording that stays in the bank's own recording system
    (system, identifier, time range and the hash that system reports; no file here).

    The consumer attaches files on the portal (网上投诉, 补充材料); staff at intake
    and through the ``attach`` / ``attach_recording`` actions. A file lies in the
    private storage under a random name (``complaints.attachments``) and is served
    only by the access-checked views; its type was decided from its content at
    upload, ``sha256`` is the hash of the stored bytes. Removal is the
    ``remove_attachment`` action: the row stays (who removed it, when, why) and the
    file's content is deleted from storage."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(
        _("文件"),
        storage=attachments.private_storage,
        upload_to=attachments.attachment_upload_to,
        max_length=200,
        blank=True,
    )
    kind = models.CharField(
        _("材料类别"), max_length=16, choices=AttachmentKind.choices, default=AttachmentKind.OTHER
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=120, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=60, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    source = models.CharField(
        _("来源"), max_length=10, choices=AttachmentSource.choices, default=AttachmentSource.STAFF
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    # A recording kept in the bank's recording system, referred to, not copied.
    ref_system = models.CharField(_("录音录像系统"), max_length=60, blank=True)
    ref_identifier = models.CharField(_("系统内编号"), max_length=120, blank=True)
    ref_starts_at = models.DateTimeField(_("录制开始时间"), null=True, blank=True)
    ref_ends_at = models.DateTimeField(_("录制结束时间"), null=True, blank=True)
    # Removal (the remove_attachment action): the row is kept as the record of it.
    removed_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("删除人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removal_reason = models.CharField(_("删除原因"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("投诉附件")
        verbose_name_plural = _("投诉附件")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="attachment_file_or_reference",
                condition=~models.Q(file="")
                | ~models.Q(ref_identifier="")
                | models.Q(removed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.original_name or self.ref_identifier}"

    @property
    def is_reference(self) -> bool:
        return bool(self.ref_identifier)

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1] if self.file else ""

    @property
    def title(self) -> str:
        """The name shown in lists and on the print form: what staff called it,
        else its kind."""
        return self.description or self.get_kind_display()


class AnswerTemplate(models.Model):
    """答复模板: the standard wording of an answer, with placeholders filled from the
    complaint (``complaints.answer_templates``) at the level of personal data the
    user may see. It applies to complaints handled at its institution or anywhere
    below it; with a handling category, only to complaints of that category."""

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("适用机构"),
        on_delete=models.PROTECT,
        related_name="answer_templates",
        help_text=_("适用于该机构及其下属机构办理的投诉"),
    )
    category = models.ForeignKey(
        HandlingCategory,
        verbose_name=_("处理类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answer_templates",
        help_text=_("留空表示适用于所有类别"),
    )
    title = models.CharField(_("模板名称"), max_length=80)
    text = models.TextField(_("模板内容"), max_length=4000)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("答复模板")
        verbose_name_plural = _("答复模板")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .answer_templates import check_placeholders

        super().clean()
        try:
            check_placeholders(self.text)
        except ValidationError as e:
            raise ValidationError({"text": e.error_list}) from None


class HotlineTransfer(models.Model):
    """A complaint that came in on a 12378 / 12363 hotline list: the hotline's own
    work-order number, kept so the same transfer is never registered twice (unique
    per hotline, checked before an import and enforced here against two imports at
    once) and so the number the hotline quotes finds the complaint."""

    class Source(models.TextChoices):
        HOTLINE_12378 = "12378", _("12378 热线")
        HOTLINE_12363 = "12363", _("12363 热线")

    complaint = models.OneToOneField(
        Complaint,
        verbose_name=_("投诉"),
        on_delete=models.CASCADE,
        related_name="hotline_transfer",
    )
    source = models.CharField(_("热线"), max_length=8, choices=Source.choices)
    source_id = models.CharField(_("热线工单号"), max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now)
    #: The uploaded file's name and row, for the auditor's question "where from".
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    row = models.PositiveIntegerField(_("行号"), default=0)

    class Meta:
        verbose_name = _("热线转办")
        verbose_name_plural = _("热线转办")
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="hotline_source_id_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"


class ComplaintSearch(models.Model):
    """The free text of one complaint, normalised and concatenated, for the keyword
    search (complaints.search, docs/search.md). Derived data: written only by
    ``search.reindex`` on every path that changes the texts it is made of, and
    rebuilt from them by ``manage.py search_reindex``. A table of its own, so the
    complaint row stays narrow and an action that changes no text writes no index.
    On PostgreSQL the table also has ``grams``, the text's bigrams, a generated
    column with the GIN index (migration 0030): not a field here, so Django never
    writes it."""

    complaint = models.OneToOneField(
        Complaint, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("检索文本"), blank=True)

    class Meta:
        verbose_name = _("检索文本")
        verbose_name_plural = _("检索文本")
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.complaint_id)


class OpenTallyRun(models.Model):
    """One count of the open complaints (complaints.tally): when it was taken, on the
    clock its deadline counts were evaluated with, and how long it took. Its rows
    are ``OpenTally``. A run with no rows is a count of nothing, not a missing one."""

    counted_at = models.DateTimeField(_("统计时间"), db_index=True)
    seconds = models.FloatField(_("耗时（秒）"), default=0)

    class Meta:
        verbose_name = _("未办结投诉统计")
        verbose_name_plural = _("未办结投诉统计")
        default_permissions = ()

    def __str__(self) -> str:
        return self.counted_at.isoformat()


class OpenTally(models.Model):
    """The counts of one run for one combination of the three institutions a
    complaint's visibility is decided by (``complaint_q``), so the access policy's
    own filter applies to these rows as it does to complaints. Derived data: written
    only by ``tally.tally_recount``; each column is one of ``tally.COUNTED``."""

    run = models.ForeignKey(OpenTallyRun, on_delete=models.CASCADE, related_name="rows")
    handling_institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="+"
    )
    accepting_institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    complained_institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    open = models.PositiveIntegerField(default=0)
    due_today = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    major = models.PositiveIntegerField(default=0)
    repeat = models.PositiveIntegerField(default=0)
    unsatisfied = models.PositiveIntegerField(default=0)
    supervised = models.PositiveIntegerField(default=0)
    urges_overdue = models.PositiveIntegerField(default=0)
    paused = models.PositiveIntegerField(default=0)
    statutory_overdue = models.PositiveIntegerField(default=0)
    #: Not a board column: the workbench's 待分办 (registered, waiting to be assigned).
    registered = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("未办结投诉统计")
        verbose_name_plural = _("未办结投诉统计")
        default_permissions = ()
        indexes = [models.Index(fields=["run", "handling_institution"], name="tally_run_handling")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.handling_institution_id}"
