"""Appraisal (考核评价) of the institutions a supervising office oversees.

A period (``AppraisalPeriod``) owns a copy of the indicator scheme (``IndicatorScheme`` →
``Section`` → ``Indicator``) and one score sheet (``ScoreSheet``) per appraised
institution, holding one ``IndicatorScore`` per indicator. Everything that computes or
changes scores lives in ``evaluation.services``; the arithmetic is in
``evaluation.scoring``; the transitions below only guard and stamp.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from institutions.enums import InstitutionKind
from institutions.models import Institution

from .enums import (
    AppraisalAction,
    ComputedKind,
    Direction,
    Formula,
    InspectionKind,
    PeriodKind,
    PeriodStatus,
    ScoringMethod,
    SectionKind,
    SelfAssessmentStatus,
)

P = PeriodStatus
NON_NEGATIVE = MinValueValidator(0, message=_("不能为负数。"))


def _score_field(label, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, max_digits=6, decimal_places=2, **kwargs)


# --- Grades ----------------------------------------------------------------------------


class GradeScale(models.Model):
    """A set of grade bands (A/B/C/D, or 优秀/良好/合格/不合格): offices differ, so the
    labels and thresholds are data."""

    name = models.CharField(_("名称"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("评级标准")
        verbose_name_plural = _("评级标准")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class GradeBand(models.Model):
    """One grade: reached by a total at or above ``min_score`` (the highest band
    reached wins). The flags say what the grade leads to."""

    scale = models.ForeignKey(
        GradeScale, verbose_name=_("评级标准"), on_delete=models.CASCADE, related_name="bands"
    )
    label = models.CharField(_("等级"), max_length=10)
    min_score = _score_field(
        _("最低分"), validators=[NON_NEGATIVE], help_text=_("总分达到此分数即为该等级")
    )
    is_commended = models.BooleanField(_("通报表扬"), default=False)
    is_disclosed = models.BooleanField(_("通报披露"), default=False)
    proposes_key_supervision = models.BooleanField(_("建议列为下期重点监管"), default=False)

    class Meta:
        verbose_name = _("等级")
        verbose_name_plural = _("等级")
        ordering = ["scale", "-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "label"], name="eval_band_label_unique"),
            models.UniqueConstraint(fields=["scale", "min_score"], name="eval_band_min_unique"),
        ]

    def __str__(self) -> str:
        return self.label


# --- The scheme ------------------------------------------------------------------------


class IndicatorScheme(models.Model):
    """The sections and indicators one period is scored on.

    ``is_template`` marks the default scheme (loaded from ``evaluation/data`` by a
    migration) that the first period of an office copies; every later period copies
    the scheme of the office's previous period, so edits carry forward.
    """

    code = models.CharField(_("方案代码"), max_length=40, unique=True)
    name = models.CharField(_("方案名称"), max_length=120)
    is_template = models.BooleanField(_("默认方案"), default=False)
    grade_scale = models.ForeignKey(
        GradeScale, verbose_name=_("评级标准"), on_delete=models.PROTECT, related_name="schemes"
    )
    key_supervision_overdue_threshold = models.PositiveSmallIntegerField(
        _("逾期件数达到几件建议重点监管"),
        default=3,
        validators=[MinValueValidator(1)],
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("指标方案")
        verbose_name_plural = _("指标方案")
        ordering = ["-is_template", "-created_at"]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """An element of the CBIRC method (体制建设, 机制与运行…) worth ``weight`` points of
    100, or the deduction section whose ``weight`` is the most that can be deducted."""

    scheme = models.ForeignKey(
        IndicatorScheme,
        verbose_name=_("指标方案"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    code = models.CharField(_("要素代码"), max_length=20)
    name = models.CharField(_("评价要素"), max_length=60)
    kind = models.CharField(
        _("类型"), max_length=10, choices=SectionKind.choices, default=SectionKind.ELEMENT
    )
    weight = _score_field(
        _("分值"),
        validators=[NON_NEGATIVE, MaxValueValidator(100)],
        help_text=_("评价要素占总分 100 分中的分值；扣分项为最多扣减的分数"),
    )
    topics = models.CharField(
        _("自评估内容"),
        max_length=200,
        blank=True,
        help_text=_("机构自评估时在本要素下填写的内容"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评价要素")
        verbose_name_plural = _("评价要素")
        ordering = ["scheme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="eval_section_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_deduction(self) -> bool:
        return self.kind == SectionKind.DEDUCTION


class Indicator(models.Model):
    """One line of the score sheet, scored from 0 to ``max_score``.

    A *manual* indicator is scored by the supervisor with a written reason. A
    *computed* one measures ``computed_kind`` over the institution's subtree and maps
    the raw value to a score with ``formula`` (see ``evaluation.scoring``):

    * linear: ``max × (raw − zero_at) / (full_at − zero_at)``, clipped to [0, max]
      (``full_at < zero_at`` means lower is better);
    * bands: ``bands`` is ``[[threshold, score], …]``; higher-is-better takes the
      score of the highest threshold ≤ raw, lower-is-better the lowest threshold
      ≥ raw; no band reached scores 0.

    In a deduction section the score is the number of points deducted.
    """

    scheme = models.ForeignKey(
        IndicatorScheme,
        verbose_name=_("指标方案"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    section = models.ForeignKey(
        Section, verbose_name=_("评价要素"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("指标代码"), max_length=20)
    name = models.CharField(_("指标名称"), max_length=80)
    criteria = models.TextField(_("评分标准"), blank=True)
    method = models.CharField(_("评分方式"), max_length=10, choices=ScoringMethod.choices)
    computed_kind = models.CharField(
        _("计算指标"), max_length=30, choices=ComputedKind.choices, blank=True
    )
    max_score = _score_field(_("满分"), validators=[MinValueValidator(0.01)])
    weight = _score_field(
        _("权重"),
        default=1,
        validators=[NON_NEGATIVE],
        help_text=_("在本要素内的相对权重；扣分项不使用"),
    )
    formula = models.CharField(_("计分公式"), max_length=10, choices=Formula.choices, blank=True)
    zero_at = models.DecimalField(
        _("零分值"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    full_at = models.DecimalField(
        _("满分值"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    bands = models.JSONField(_("分档"), default=list, blank=True, help_text=_("[[阈值, 得分], …]"))
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER_BETTER
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "section__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="eval_indicator_code_unique"),
            models.CheckConstraint(
                condition=models.Q(method="manual", computed_kind="")
                | (models.Q(method="computed") & ~models.Q(computed_kind="")),
                name="eval_indicator_computed_has_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_computed(self) -> bool:
        return self.method == ScoringMethod.COMPUTED

    def clean(self) -> None:
        from .scoring import indicator_problems

        problems = indicator_problems(self)
        if problems:
            from django.core.exceptions import ValidationError

            raise ValidationError(problems)


# --- The period ------------------------------------------------------------------------


class AppraisalPeriod(models.Model):
    """One round of appraisal by one supervising office.

    open (自评估、评分) → scoring (评分中) → published (结果已向各机构发布) → closed.
    ``evaluation.services`` performs the transitions; their bodies only stamp.
    """

    regulator = models.ForeignKey(
        Institution,
        verbose_name=_("考核机构"),
        on_delete=models.PROTECT,
        related_name="appraisal_periods",
        limit_choices_to={"kind": InstitutionKind.REGULATOR},
    )
    code = models.CharField(
        _("考核期代码"), max_length=20, help_text=_("如 2026Q3、2026H1、2026；导入评分时使用")
    )
    name = models.CharField(_("考核期名称"), max_length=60)
    kind = models.CharField(_("考核周期"), max_length=10, choices=PeriodKind.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    self_assessment_due = models.DateField(
        _("自评估报送截止日"), null=True, blank=True, help_text=_("逾期报送视为未按时报送")
    )
    scheme = models.OneToOneField(
        IndicatorScheme,
        verbose_name=_("指标方案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="period",
        editable=False,
    )
    status = FSMField(_("状态"), max_length=10, choices=P.choices, default=P.OPEN, protected=True)
    notice_number = models.CharField(_("通报文号"), max_length=60, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True, editable=False)
    computed_at = models.DateTimeField(_("系统指标计算时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核期")
        verbose_name_plural = _("考核期")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["regulator", "code"], name="eval_period_code_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="eval_period_dates_ordered",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_scorable(self) -> bool:
        return self.status in (P.OPEN, P.SCORING)

    @property
    def is_published(self) -> bool:
        return self.status in (P.PUBLISHED, P.CLOSED)

    @transition(field=status, source=P.OPEN, target=P.SCORING)
    def start_scoring(self) -> None:
        """评分中: the scheme is fixed; the supervisor scores and recomputes."""

    @transition(field=status, source=[P.OPEN, P.SCORING], target=P.PUBLISHED)
    def publish(self, *, by) -> None:
        """已发布: totals, ranks, grades and key supervision are fixed and each
        institution sees its own sheet; the circulation notice can be printed."""
        self.published_at = timezone.now()
        self.published_by = by

    @transition(field=status, source=P.PUBLISHED, target=P.CLOSED)
    def close(self) -> None:
        """已结束: archived; the results stay visible."""
        self.closed_at = timezone.now()


class ScoreSheetQuerySet(models.QuerySet):
    def with_final_key_supervision(self) -> ScoreSheetQuerySet:
        """``key_supervision_final``: the supervisor's decision, or the proposal while
        undecided — the SQL twin of ``ScoreSheet.final_key_supervision``, so lists
        can filter on it."""
        return self.annotate(
            key_supervision_final=Coalesce("key_supervision", "key_supervision_proposed")
        )

    def key_supervised(self) -> ScoreSheetQuerySet:
        return self.with_final_key_supervision().filter(key_supervision_final=True)


class ScoreSheet(models.Model):
    """One appraised institution in one period: its scores (``scores``), the totals
    and rank the services keep up to date, and the key-supervision flag for the next
    period — proposed by the rules, confirmed or overridden by the supervisor."""

    period = models.ForeignKey(
        AppraisalPeriod, verbose_name=_("考核期"), on_delete=models.CASCADE, related_name="sheets"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("被考核机构"),
        on_delete=models.PROTECT,
        related_name="appraisal_sheets",
    )
    element_total = _score_field(_("要素得分"), default=0)
    deduction = _score_field(_("扣分"), default=0)
    total = _score_field(_("总分"), default=0)
    unscored_count = models.PositiveSmallIntegerField(_("未评分指标"), default=0)
    rank = models.PositiveSmallIntegerField(_("排名"), null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=10, blank=True)
    grade_band = models.ForeignKey(
        GradeBand,
        verbose_name=_("等级"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_commended = models.BooleanField(_("通报表扬"), default=False)
    is_disclosed = models.BooleanField(_("通报披露"), default=False)
    # Facts behind the key-supervision rules, kept whether or not the scheme scores
    # them (a scheme without a "major complaints" line must still propose).
    major_complaints = models.PositiveIntegerField(_("重大投诉"), default=0)
    overdue_count = models.PositiveIntegerField(_("逾期件数"), default=0)
    key_supervision_proposed = models.BooleanField(_("系统建议重点监管"), default=False)
    proposal_reasons = models.TextField(_("建议理由"), blank=True)
    key_supervision = models.BooleanField(
        _("列为下期重点监管"),
        null=True,
        blank=True,
        help_text=_("未确认时按系统建议；与建议不同时须填写理由"),
    )
    key_supervision_reason = models.TextField(_("确认或调整理由"), blank=True)
    key_supervision_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    key_supervision_decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)

    objects = ScoreSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核评分表")
        verbose_name_plural = _("考核评分表")
        ordering = ["period", "rank", "institution__path"]
        constraints = [
            models.UniqueConstraint(fields=["period", "institution"], name="eval_sheet_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.institution}"

    @property
    def final_key_supervision(self) -> bool:
        if self.key_supervision is None:
            return self.key_supervision_proposed
        return self.key_supervision


class IndicatorScore(models.Model):
    """One indicator of one sheet: the measured raw value (computed indicators), the
    score and who gave it when and why."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("考核评分表"), on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("考核指标"), on_delete=models.CASCADE, related_name="scores"
    )
    raw_value = models.DecimalField(
        _("原始值"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    score = _score_field(_("得分"), null=True, blank=True, validators=[NON_NEGATIVE])
    reason = models.TextField(_("评分理由"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评分人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["sheet", "indicator__section__order", "indicator__order", "indicator__pk"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "indicator"], name="eval_score_unique"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0),
                name="eval_score_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} · {self.indicator.code}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """A random name with the extension of the detected type; the uploaded name is
    kept only as text for display."""
    return f"evaluation/evidence/{timezone.now():%Y/%m}/{instance.pk.hex}.{instance.extension}"


class Evidence(models.Model):
    """A file supporting a manual score (检查记录、整改报告、照片). Private: under
    MEDIA_ROOT, served only by the permission-checked view, addressed by a UUID."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("考核评分表"), on_delete=models.CASCADE, related_name="evidence"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("考核指标"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=120, editable=False)
    content_type = models.CharField(_("文件类型"), max_length=80, editable=False)
    size = models.PositiveIntegerField(_("文件大小"), editable=False)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评分依据")
        verbose_name_plural = _("评分依据")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name or str(self.pk)

    @property
    def extension(self) -> str:
        from .validators import EXTENSIONS

        return EXTENSIONS.get(self.content_type, "bin")

    @property
    def download_name(self) -> str:
        return f"{self.pk.hex}.{self.extension}"


# --- The institution's side -------------------------------------------------------------


class SelfAssessment(models.Model):
    """自评估: the institution reports on each section in its own words with its own
    score, by ``period.self_assessment_due``; the supervisor reads it beside the
    official sheet."""

    period = models.ForeignKey(
        AppraisalPeriod,
        verbose_name=_("考核期"),
        on_delete=models.CASCADE,
        related_name="self_assessments",
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=SelfAssessmentStatus.choices,
        default=SelfAssessmentStatus.DRAFT,
    )
    problems_and_measures = models.TextField(_("发现的问题及整改措施"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("自评估")
        verbose_name_plural = _("自评估")
        ordering = ["period", "institution__path"]
        constraints = [
            models.UniqueConstraint(fields=["period", "institution"], name="eval_self_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.institution}"

    @property
    def on_time(self) -> bool:
        """Submitted, and on or before the due date (local date of submission)."""
        if self.submitted_at is None:
            return False
        due = self.period.self_assessment_due
        return due is None or timezone.localdate(self.submitted_at) <= due


class SelfAssessmentEntry(models.Model):
    self_assessment = models.ForeignKey(
        SelfAssessment, verbose_name=_("自评估"), on_delete=models.CASCADE, related_name="entries"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("评价要素"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("工作情况"), blank=True)
    own_score = _score_field(_("自评得分"), null=True, blank=True, validators=[NON_NEGATIVE])

    class Meta:
        verbose_name = _("自评估内容")
        verbose_name_plural = _("自评估内容")
        ordering = ["section__order", "section__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "section"], name="eval_self_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.self_assessment} · {self.section}"


# --- Follow-up --------------------------------------------------------------------------


class Inspection(models.Model):
    """专项检查 / 综合检查 of an institution under key supervision: planned, carried
    out with findings, and a deadline for the rectification."""

    regulator = models.ForeignKey(
        Institution,
        verbose_name=_("检查机构"),
        on_delete=models.PROTECT,
        related_name="inspections_made",
        limit_choices_to={"kind": InstitutionKind.REGULATOR},
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("被检查机构"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    source_sheet = models.ForeignKey(
        ScoreSheet,
        verbose_name=_("依据的考核结果"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    kind = models.CharField(_("检查类型"), max_length=16, choices=InspectionKind.choices)
    subject = models.CharField(_("检查事项"), max_length=120)
    planned_on = models.DateField(_("计划日期"))
    inspected_on = models.DateField(_("实施日期"), null=True, blank=True)
    findings = models.TextField(_("发现的问题"), blank=True)
    rectification_due = models.DateField(_("整改期限"), null=True, blank=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    rectification_note = models.TextField(_("整改情况"), blank=True)
    # The supervisory measure (专项/全面检查) this inspection carries out; the measure's
    # page lists its inspections through the reverse accessor.
    measure = models.ForeignKey(
        "supervision.Measure",
        verbose_name=_("对应监管措施"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = _("专项检查与综合检查")
        ordering = ["-planned_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.institution} · {self.get_kind_display()}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.rectification_due
            and self.inspected_on
            and self.rectification_due < self.inspected_on
        ):
            raise ValidationError({"rectification_due": _("整改期限不能早于实施日期。")})


class AppraisalLog(models.Model):
    """Audit trail: every transition, recompute, score and decision, who and when."""

    period = models.ForeignKey(
        AppraisalPeriod, verbose_name=_("考核期"), on_delete=models.CASCADE, related_name="log"
    )
    sheet = models.ForeignKey(
        ScoreSheet,
        verbose_name=_("考核评分表"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="log",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("动作"), max_length=20, choices=AppraisalAction.choices)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("考核操作记录")
        verbose_name_plural = _("考核操作记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.period} {self.get_action_display()}"
