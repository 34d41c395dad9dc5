"""django-import-export resources, with Chinese column names:

* ``IndicatorResource`` — a scheme's indicators (export, and import into a scheme that
  can still change: the template or an open period's);
* ``ManualScoreResource`` — the manual scores of a period (export a blank or filled
  sheet, score it in a spreadsheet, import it back with a preview). Every row is
  checked (period, institution and indicator codes, manual indicator, 0 ≤ score ≤
  max, a reason) and any bad row stops the whole file; the write itself goes
  through ``services.scores_record_many`` (permission, lock, log, totals);
* ``ResultResource`` — the results of a period (export only; numbers stay numbers
  in xlsx).
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, widgets

from evaluation import rules as access
from institutions.resources import SafeResource

from .enums import (
    ComputedKind,
    Direction,
    Formula,
    PeriodStatus,
    ScoringMethod,
)
from .errors import AppraisalError
from .models import Indicator, IndicatorScheme, IndicatorScore, ScoreSheet, Section
from .scoring import format_bands, indicator_problems, parse_bands
from .services.scores import parse_score, scores_record_many

NUMBER = widgets.DecimalWidget(coerce_to_string=False)


class ScoreWidget(widgets.DecimalWidget):
    """Exported as a number; imported as typed, so that ``services.parse_score`` gives
    the one Chinese message for anything that is not a score."""

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        return value


class ChoiceWidget(widgets.Widget):
    """A choice written as its Chinese label (人工评分) or its code (manual);
    exported as the label. An unknown word is an error, never a silent default."""

    def __init__(self, choices, *, allow_blank: bool = False):
        super().__init__()
        self.choices = choices
        self.allow_blank = allow_blank

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text and self.allow_blank:
            return ""
        for code, label in self.choices.choices:
            if text in (code, str(label)):
                return code
        raise ValueError(_("无法识别的取值：“%(value)s”") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return str(self.choices(value).label)


class BandsWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        try:
            return parse_bands(str(value or ""))
        except (ArithmeticError, ValueError):
            raise ValueError(
                _("分档格式应为“阈值:得分;阈值:得分”，而不是“%(value)s”") % {"value": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return format_bands(value)


# --- The scheme ---------------------------------------------------------------------------


class IndicatorResource(SafeResource):
    scheme = fields.Field(attribute="scheme__code", column_name="方案代码", readonly=True)
    section = fields.Field(attribute="section__code", column_name="要素代码", readonly=True)
    code = fields.Field(attribute="code", column_name="指标代码")
    name = fields.Field(attribute="name", column_name="指标名称")
    method = fields.Field(
        attribute="method", column_name="评分方式", widget=ChoiceWidget(ScoringMethod)
    )
    computed_kind = fields.Field(
        attribute="computed_kind",
        column_name="计算指标",
        widget=ChoiceWidget(ComputedKind, allow_blank=True),
    )
    max_score = fields.Field(attribute="max_score", column_name="满分", widget=NUMBER)
    weight = fields.Field(attribute="weight", column_name="权重", widget=NUMBER)
    formula = fields.Field(
        attribute="formula",
        column_name="计分公式",
        widget=ChoiceWidget(Formula, allow_blank=True),
    )
    zero_at = fields.Field(attribute="zero_at", column_name="零分值", widget=NUMBER)
    full_at = fields.Field(attribute="full_at", column_name="满分值", widget=NUMBER)
    bands = fields.Field(attribute="bands", column_name="分档", widget=BandsWidget())
    direction = fields.Field(
        attribute="direction", column_name="方向", widget=ChoiceWidget(Direction)
    )
    criteria = fields.Field(attribute="criteria", column_name="评分标准")
    order = fields.Field(attribute="order", column_name="排序", widget=widgets.IntegerWidget())

    class Meta:
        model = Indicator
        fields = (
            "scheme",
            "section",
            "code",
            "name",
            "method",
            "computed_kind",
            "max_score",
            "weight",
            "formula",
            "zero_at",
            "full_at",
            "bands",
            "direction",
            "criteria",
            "order",
        )
        export_order = fields
        import_id_fields = ("scheme", "code")
        clean_model_instances = False
        skip_unchanged = True
        report_skipped = True

    def before_import(self, dataset, **kwargs):
        self._user = kwargs.get("user")
        self._schemes: dict[str, IndicatorScheme] = {}

    def _scheme(self, code: str) -> IndicatorScheme:
        if code not in self._schemes:
            scheme = (
                IndicatorScheme.objects.filter(access.scheme_q(self._user), code=code)
                .distinct()
                .first()
            )
            if scheme is None:
                raise ValueError(_("没有代码为“%(code)s”的指标方案。") % {"code": code})
            period = getattr(scheme, "period", None) if not scheme.is_template else None
            if period is not None and period.status != PeriodStatus.OPEN:
                raise ValueError(
                    _("指标方案“%(code)s”所属考核期已开始评分，不能再修改。") % {"code": code}
                )
            if not self._user.has_perm("evaluation.change_indicator", period):
                raise ValueError(_("您无权修改指标方案。"))
            self._schemes[code] = scheme
        return self._schemes[code]

    def get_instance(self, instance_loader, row):
        scheme = self._scheme(str(row.get("方案代码") or "").strip())
        return Indicator.objects.filter(
            scheme=scheme, code=str(row.get("指标代码") or "").strip()
        ).first()

    def init_instance(self, row=None):
        scheme = self._scheme(str(row.get("方案代码") or "").strip())
        return Indicator(scheme=scheme)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        section_code = str(row.get("要素代码") or "").strip()
        section = Section.objects.filter(scheme=instance.scheme, code=section_code).first()
        if section is None:
            raise ValidationError(
                {"section": _("方案中没有代码为“%(code)s”的评价要素。") % {"code": section_code}}
            )
        instance.section = section
        for name in ("zero_at", "full_at"):
            if getattr(instance, name) == "":
                setattr(instance, name, None)
        if instance.method == ScoringMethod.MANUAL:
            instance.computed_kind, instance.formula = "", ""
        problems = indicator_problems(instance)
        if instance.max_score is None or instance.max_score <= 0:
            problems["max_score"] = _("满分必须大于 0。")
        if problems:
            raise ValidationError(problems)


# --- Manual scores ------------------------------------------------------------------------


class ManualScoreResource(SafeResource):
    period = fields.Field(attribute="sheet__period__code", column_name="考核期代码", readonly=True)
    institution = fields.Field(
        attribute="sheet__institution__code", column_name="机构代码", readonly=True
    )
    institution_name = fields.Field(
        attribute="sheet__institution__name", column_name="机构名称", readonly=True
    )
    indicator = fields.Field(attribute="indicator__code", column_name="指标代码", readonly=True)
    indicator_name = fields.Field(
        attribute="indicator__name", column_name="指标名称", readonly=True
    )
    max_score = fields.Field(
        attribute="indicator__max_score", column_name="满分", readonly=True, widget=NUMBER
    )
    score = fields.Field(attribute="score", column_name="得分", widget=ScoreWidget())
    reason = fields.Field(attribute="reason", column_name="评分理由")

    class Meta:
        model = IndicatorScore
        fields = (
            "period",
            "institution",
            "institution_name",
            "indicator",
            "indicator_name",
            "max_score",
            "score",
            "reason",
        )
        export_order = fields
        import_id_fields = ("period", "institution", "indicator")
        clean_model_instances = False
        skip_unchanged = True
        report_skipped = True

    def filter_export(self, queryset, **kwargs):
        return queryset.filter(indicator__method=ScoringMethod.MANUAL).select_related(
            "sheet__period", "sheet__institution", "indicator"
        )

    def before_import(self, dataset, **kwargs):
        self._user = kwargs.get("user")
        self._pending: dict[int, list[tuple]] = defaultdict(list)
        self._periods = {}

    def get_instance(self, instance_loader, row):
        """The score row named by 考核期代码/机构代码/指标代码, among the periods the
        user keeps; anything else is an error of that row (never a new row)."""
        period_code = str(row.get("考核期代码") or "").strip()
        inst_code = str(row.get("机构代码") or "").strip()
        indicator_code = str(row.get("指标代码") or "").strip()
        score = (
            IndicatorScore.objects.filter(
                sheet__in=access.sheet_list_for_staff(self._user, ScoreSheet.objects.all()),
                sheet__period__code=period_code,
                sheet__institution__code=inst_code,
                indicator__code=indicator_code,
            )
            .select_related("sheet__period", "sheet__institution", "indicator")
            .first()
        )
        if score is None:
            raise ValueError(
                _("找不到考核期“%(period)s”中机构“%(inst)s”的指标“%(code)s”，请核对代码。")
                % {"period": period_code, "inst": inst_code, "code": indicator_code}
            )
        period = score.sheet.period
        if not self._user.has_perm("evaluation.score", period):
            raise ValueError(_("您无权为考核期“%(period)s”评分。") % {"period": period_code})
        if not access.period_is_open_for_scoring(period):
            raise ValueError(
                _("考核期“%(period)s”已发布，不能再导入评分。") % {"period": period_code}
            )
        return score

    def init_instance(self, row=None):  # get_instance never returns None
        raise ValueError(_("不能通过导入新增评分行。"))

    def import_instance(self, instance, row, **kwargs):
        raw = row.get("得分")
        super().import_instance(instance, row, **kwargs)
        indicator = instance.indicator
        if indicator.method != ScoringMethod.MANUAL:
            raise ValidationError(
                {"score": _("“%(code)s”为系统计算指标，不能导入评分。") % {"code": indicator.code}}
            )
        if raw is None or str(raw).strip() == "":
            raise ValidationError({"score": _("得分不能为空。")})
        try:
            instance.score = parse_score(raw, max_score=indicator.max_score)
        except AppraisalError as exc:
            raise ValidationError({"score": exc.messages}) from None
        instance.reason = str(instance.reason or "").strip()
        if not instance.reason:
            raise ValidationError({"reason": _("评分理由不能为空。")})

    def save_instance(self, instance, is_create, row, **kwargs):
        """Collected, not saved: the confirmed import writes through the service."""
        period = instance.sheet.period
        self._periods[period.pk] = period
        self._pending[period.pk].append(
            (
                instance.sheet.institution.code,
                instance.indicator.code,
                instance.score,
                instance.reason,
            )
        )

    def after_import(self, dataset, result, **kwargs):
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        for period_pk, rows in self._pending.items():
            scores_record_many(actor=self._user, period=self._periods[period_pk], rows=rows)


# --- Results ------------------------------------------------------------------------------


class YesNoWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return _("是") if value else _("否")


class ResultResource(SafeResource):
    period = fields.Field(attribute="period__name", column_name="考核期")
    institution_code = fields.Field(attribute="institution__code", column_name="机构代码")
    institution = fields.Field(attribute="institution__name", column_name="机构名称")
    element_total = fields.Field(attribute="element_total", column_name="要素得分", widget=NUMBER)
    deduction = fields.Field(attribute="deduction", column_name="扣分", widget=NUMBER)
    total = fields.Field(attribute="total", column_name="总分", widget=NUMBER)
    rank = fields.Field(
        attribute="rank", column_name="排名", widget=widgets.IntegerWidget(coerce_to_string=False)
    )
    grade = fields.Field(attribute="grade", column_name="等级")
    major = fields.Field(
        attribute="major_complaints",
        column_name="重大投诉",
        widget=widgets.IntegerWidget(coerce_to_string=False),
    )
    overdue = fields.Field(
        attribute="overdue_count",
        column_name="逾期件数",
        widget=widgets.IntegerWidget(coerce_to_string=False),
    )
    key_supervision = fields.Field(
        attribute="final_key_supervision", column_name="下期重点监管", widget=YesNoWidget()
    )
    reasons = fields.Field(attribute="proposal_reasons", column_name="系统建议理由")
    decision_reason = fields.Field(attribute="key_supervision_reason", column_name="确认理由")

    class Meta:
        model = ScoreSheet
        fields = (
            "period",
            "institution_code",
            "institution",
            "element_total",
            "deduction",
            "total",
            "rank",
            "grade",
            "major",
            "overdue",
            "key_supervision",
            "reasons",
            "decision_reason",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("period", "institution").order_by(
            "period__starts_on", "rank", "institution__path"
        )


def results_xlsx(sheets) -> bytes:
    """The results of ``sheets`` as an xlsx file (native numbers)."""
    from import_export.formats.base_formats import XLSX

    dataset = ResultResource().export(sheets, force_native_type=True)
    return XLSX().export_data(dataset)
