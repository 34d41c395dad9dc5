"""The working-day calendar and the deadline rules.

The calendar stores only the days that differ from an ordinary Monday–Friday week,
plus the weekend days inside a named holiday (so an administrator sees the whole
国庆节 span): a date without a row is a working day from Monday to Friday and a rest
day at the weekend. ``CalendarYear`` says which years hold the State Council's
published schedule; for any other year the result of a computation is provisional.

Rules are data (``SlaRuleSet`` → ``SlaRule``); which set applies to a complaint is
chosen by ``SlaRuleSetBinding`` (intake source, then institution subtree, then the
default set), see ``deadlines.selectors.rule_for``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from institutions.enums import Role

from .enums import CalendarSource, DayUnit, IntakeSource, RuleComplexity

WEEKDAY_NAMES = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))


class CalendarDay(models.Model):
    """A day that is not an ordinary weekday/weekend day: a statutory holiday (also on
    a weekend inside the holiday span) or a make-up working day (调休上班)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(
        _("名称"), max_length=60, blank=True, help_text=_("节日名称，如“国庆节”，或“调休上班”")
    )
    source = models.CharField(
        _("来源"), max_length=10, choices=CalendarSource.choices, default=CalendarSource.MANUAL
    )
    modified_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日历日期")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = gettext("工作日") if self.is_workday else gettext("休息日")
        return f"{self.date.isoformat()} {self.name or ''}（{kind}）"

    @property
    def weekday_name(self) -> str:
        return str(WEEKDAY_NAMES[self.date.weekday()])


class CalendarYear(models.Model):
    """Whether a year's holiday schedule has been published and loaded. Deadlines that
    touch a year that is not loaded are computed Monday–Friday and marked provisional."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    loaded = models.BooleanField(
        _("已载入放假安排"),
        default=False,
        help_text=_("国务院办公厅公布的该年放假安排已完整录入本日历"),
    )
    source = models.CharField(
        _("来源"), max_length=10, choices=CalendarSource.choices, default=CalendarSource.MANUAL
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    modified_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarRevision(models.Model):
    """One row whose random token changes whenever the calendar changes.

    Every process (web, worker, beat) keeps the calendar in memory and compares this
    token, one primary-key lookup, before using it; a random token (not a counter)
    stays correct when a transaction that changed the calendar is rolled back.
    Maintained by ``deadlines.snapshot.changed`` (signals and bulk loaders).
    """

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("日历版本")
        verbose_name_plural = _("日历版本")

    def __str__(self) -> str:
        return self.token


class SlaRuleSet(models.Model):
    """A named group of deadline rules, e.g. the county's service promise (the default)
    or the CBIRC 2020 rules carried by a regulator transfer."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    description = models.TextField(_("说明"), blank=True)
    is_default = models.BooleanField(
        _("默认规则组"), default=False, help_text=_("没有按受理渠道或机构指定规则组时使用")
    )

    class Meta:
        verbose_name = _("时限规则组")
        verbose_name_plural = _("时限规则组")
        ordering = ["-is_default", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="sla_rule_set_one_default",
                violation_error_message=_("只能有一个默认规则组。"),
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language: the shipped sets' names
        (deadlines/data/sla-rule-set-names.csv) are in the catalogue; a name an
        administrator typed stays as typed."""
        return gettext(self.name) if self.name else ""


#: The shipped rule sets' names, for makemessages (SlaRuleSet.display_name).
SHIPPED_RULE_SET_NAMES = (
    gettext_noop("县域投诉处理服务承诺"),
    gettext_noop("银行业保险业消费投诉处理管理办法（2020）"),
    gettext_noop("银监发〔2012〕13号"),
)


class SlaRule(models.Model):
    """How long a complaint of one complexity may take under a rule set.

    Periods are counted as Chinese law counts them (the day of receipt is not counted)
    by ``deadlines.services.compute_due``; the docstring there is the specification.
    """

    rule_set = models.ForeignKey(
        SlaRuleSet, verbose_name=_("规则组"), on_delete=models.CASCADE, related_name="rules"
    )
    complexity = models.CharField(_("投诉复杂程度"), max_length=10, choices=RuleComplexity.choices)
    unit = models.CharField(
        _("计算单位"), max_length=12, choices=DayUnit.choices, default=DayUnit.WORKING_DAY
    )
    base_days = models.PositiveSmallIntegerField(
        _("时限（天）"), help_text=_("0 表示当日办结（当日营业终了前）")
    )
    first_extension_days = models.PositiveSmallIntegerField(
        _("第一次延期（天）"), default=0, help_text=_("0 表示不允许延期")
    )
    second_extension_days = models.PositiveSmallIntegerField(
        _("第二次延期（天）"), default=0, help_text=_("0 表示不允许第二次延期")
    )
    extension_approver = models.CharField(
        _("延期审批角色"), max_length=20, choices=Role.choices, default=Role.MANAGER
    )
    start_of_business = models.TimeField(
        _("营业开始时间"),
        default=datetime.time(8, 30),
        help_text=_("计算“到期前 N 个工作小时”提醒时使用"),
    )
    close_of_business = models.TimeField(
        _("营业终了时间"), default=datetime.time(17, 0), help_text=_("到期时间为该时刻")
    )
    after_hours_next_day = models.BooleanField(
        _("非工作时间受理顺延"),
        default=True,
        help_text=_("营业终了后或非工作日受理的，视为下一个工作日开始时受理"),
    )
    note = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("时限规则")
        verbose_name_plural = _("时限规则")
        ordering = ["rule_set", "complexity"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "complexity"],
                name="sla_rule_one_per_complexity",
                violation_error_message=_("同一规则组中每种复杂程度只能有一条规则。"),
            ),
            models.CheckConstraint(
                condition=Q(start_of_business__lt=models.F("close_of_business")),
                name="sla_rule_business_hours",
                violation_error_message=_("营业开始时间必须早于营业终了时间。"),
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(rule_set)s · %(complexity)s：%(limit)s") % {
            "rule_set": self.rule_set.display_name,
            "complexity": self.get_complexity_display(),
            "limit": self.describe(),
        }

    def describe(self) -> str:
        """The limit in words, for complaint pages and the duetime command."""
        if self.base_days == 0:
            return gettext("当日办结")
        if self.unit == DayUnit.WORKING_DAY:
            return gettext("%(days)d 个工作日") % {"days": self.base_days}
        return gettext("%(days)d 日（自然日）") % {"days": self.base_days}


class SlaRuleSetBinding(models.Model):
    """Chooses a rule set for an intake source or for an institution's subtree.

    Exactly one of the two is set. An intake-source binding wins over an institution
    binding (a regulator transfer carries the regulator's deadline wherever it goes);
    among institution bindings the nearest ancestor wins.
    """

    rule_set = models.ForeignKey(
        SlaRuleSet, verbose_name=_("规则组"), on_delete=models.PROTECT, related_name="bindings"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("机构（含下级机构）"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sla_bindings",
    )
    intake_source = models.CharField(
        _("受理渠道"), max_length=20, choices=IntakeSource.choices, blank=True
    )

    class Meta:
        verbose_name = _("时限规则组适用范围")
        verbose_name_plural = _("时限规则组适用范围")
        ordering = ["intake_source", "institution__path"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(institution__isnull=False) & Q(intake_source=""))
                | (Q(institution__isnull=True) & ~Q(intake_source="")),
                name="sla_binding_one_target",
                violation_error_message=_("请选择机构或受理渠道中的一项（只能选一项）。"),
            ),
            models.UniqueConstraint(
                fields=["institution"],
                condition=Q(institution__isnull=False),
                name="sla_binding_unique_institution",
                violation_error_message=_("该机构已指定规则组。"),
            ),
            models.UniqueConstraint(
                fields=["intake_source"],
                condition=~Q(intake_source=""),
                name="sla_binding_unique_intake_source",
                violation_error_message=_("该受理渠道已指定规则组。"),
            ),
        ]

    def __str__(self) -> str:
        target = self.institution or self.get_intake_source_display()
        return f"{target} → {self.rule_set}"

    def clean(self) -> None:
        # The check constraint says the same; this names the field in the form.
        if bool(self.institution_id) == bool(self.intake_source):
            raise ValidationError(_("请选择机构或受理渠道中的一项（只能选一项）。"))
