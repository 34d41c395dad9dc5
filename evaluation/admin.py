"""The office's appraisal tables in the admin.

Every page starts from ``evaluation.rules`` (the periods of the user's
own office); every write goes through ``evaluation.services``: the score sheet's
inline calls ``score_record`` per changed line, the key-supervision fields call
``key_supervision_decide``, the period pages and actions call ``period_recompute`` /
``period_publish`` / ``period_create_next``. A published period is read-only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from evaluation import rules as access
from institutions.admin_access import ScopedAdmin, ScopedAdminMixin

from . import scoring, selectors, services
from .enums import SCORABLE_STATES, PeriodStatus, ScoringMethod
from .models import (
    AppraisalLog,
    AppraisalPeriod,
    Evidence,
    GradeBand,
    GradeScale,
    Indicator,
    IndicatorScheme,
    IndicatorScore,
    Inspection,
    ScoreSheet,
    Section,
    SelfAssessment,
    SelfAssessmentEntry,
)
from .resources import IndicatorResource, ManualScoreResource, results_xlsx
from .validators import inspect_evidence

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _messages_from(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Grades -------------------------------------------------------------------------------


class GradeBandInline(admin.TabularInline):
    model = GradeBand
    extra = 0
    fields = ("label", "min_score", "is_commended", "is_disclosed", "proposes_key_supervision")


@admin.register(GradeScale)
class GradeScaleAdmin(ScopedAdmin):
    """Grade labels and thresholds (A ≥ 90, B ≥ 75, C ≥ 60, D below, or 优秀…)."""

    list_display = ("name", "bands_display")
    inlines = [GradeBandInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bands")

    @admin.display(description=_("等级"))
    def bands_display(self, obj):
        return "，".join(f"{b.label}≥{b.min_score:g}" for b in obj.bands.all())


# --- Schemes ------------------------------------------------------------------------------


def _scheme_editable(scheme: IndicatorScheme | None) -> bool:
    """The template, and the scheme of a period that has not started scoring."""
    if scheme is None or scheme.is_template:
        return True
    period = getattr(scheme, "period", None)
    return period is None or period.status == PeriodStatus.OPEN


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ("order", "code", "name", "kind", "weight", "topics")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = (
        "order",
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
    )
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            scheme_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(scheme_id=scheme_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SchemeEditableMixin:
    def _scheme_of(self, obj):
        return obj if isinstance(obj, IndicatorScheme) else getattr(obj, "scheme", None)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _scheme_editable(
            self._scheme_of(obj)
        )

    def has_add_permission(self, request, obj=None):
        args = (request, obj) if isinstance(self, admin.options.InlineModelAdmin) else (request,)
        return super().has_add_permission(*args) and _scheme_editable(self._scheme_of(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _scheme_editable(
            self._scheme_of(obj)
        )


class EditableSectionInline(SchemeEditableMixin, SectionInline):
    pass


class EditableIndicatorInline(SchemeEditableMixin, IndicatorInline):
    pass


@admin.register(IndicatorScheme)
class IndicatorSchemeAdmin(SchemeEditableMixin, ScopedAdmin):
    """A scheme is edited while its period is open (the template at any time); once
    scoring starts it is fixed. New periods copy the previous period's scheme."""

    list_display = ("name", "code", "is_template", "period_display", "grade_scale")
    fields = ("code", "name", "grade_scale", "key_supervision_overdue_threshold", "note")
    inlines = [EditableSectionInline, EditableIndicatorInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("grade_scale", "period")
        return qs.filter(access.scheme_q(request.user)).distinct()

    def has_add_permission(self, request, obj=None):
        return False  # schemes are copied by the periods

    @admin.display(description=_("考核期"))
    def period_display(self, obj):
        period = getattr(obj, "period", None)
        return period.name if period else "—"


@admin.register(Indicator)
class IndicatorAdmin(SchemeEditableMixin, ScopedAdminMixin, ImportExportModelAdmin):
    """All indicators, filterable by scheme; import and export with Chinese columns."""

    resource_classes = [IndicatorResource]
    list_display = ("code", "name", "scheme", "section", "method", "max_score", "weight")
    list_filter = ("scheme", "method")
    list_select_related = ("scheme", "section")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        schemes = IndicatorScheme.objects.filter(access.scheme_q(request.user))
        return qs.filter(scheme__in=schemes)

    def has_add_permission(self, request):
        return False  # added in the scheme's page or by import

    def has_import_permission(self, request):
        return request.user.has_perm("evaluation.change_indicator")

    def has_export_permission(self, request):
        return request.user.has_perm("evaluation.view_indicator")


# --- Periods ------------------------------------------------------------------------------


class PeriodForm(forms.ModelForm):
    class Meta:
        model = AppraisalPeriod
        fields = (
            "regulator",
            "kind",
            "code",
            "name",
            "starts_on",
            "ends_on",
            "self_assessment_due",
            "notice_number",
        )


@admin.register(AppraisalPeriod)
class AppraisalPeriodAdmin(ScopedAdmin):
    """Periods of the user's office, each with its overview page (totals, ranks,
    grades, key supervision) and the actions recompute / publish / export."""

    form = PeriodForm
    scope_fields = ("regulator",)
    list_display = ("name", "code", "kind", "starts_on", "ends_on", "status", "overview_link")
    list_filter = ("status", "kind")
    readonly_fields = ("status", "scheme", "computed_at", "published_at", "published_by")
    actions = ("recompute_selected", "publish_selected", "export_selected")

    def get_fields(self, request, obj=None):
        fields = list(PeriodForm.Meta.fields)
        return fields if obj is None else [*fields, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status not in SCORABLE_STATES:
            return (*PeriodForm.Meta.fields, *self.readonly_fields)
        fixed = ("regulator", "kind", "starts_on", "ends_on") if obj else ()
        return (*fixed, *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.period_setup(actor=request.user, period=obj)

    @admin.display(description=_("考核总览"))
    def overview_link(self, obj):
        return format_html(
            '<a href="{}" data-testid="overview-{}">{}</a>',
            reverse("admin:evaluation_appraisalperiod_overview", args=[obj.pk]),
            obj.code,
            gettext("打开考核总览"),
        )

    # --- Pages ----------------------------------------------------------------------

    def get_urls(self):
        pages = {
            "overview": self.overview_view,
            "recompute": self.recompute_view,
            "start_scoring": self.start_scoring_view,
            "publish": self.publish_view,
            "close": self.close_view,
            "next": self.next_view,
            "export": self.export_view,
        }
        return [
            *(
                path(
                    f"<int:pk>/{name.replace('_', '-')}/",
                    self.admin_site.admin_view(view),
                    name=f"evaluation_appraisalperiod_{name}",
                )
                for name, view in pages.items()
            ),
            *super().get_urls(),
        ]

    def _period(self, request, pk) -> AppraisalPeriod:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return access.period_get_for_user(
            request.user, pk, queryset=AppraisalPeriod.objects.select_related("scheme", "regulator")
        )

    def overview_view(self, request, pk):
        period = self._period(request, pk)
        previous, previous_list = selectors.key_supervision_from_previous(period=period)
        sheets = list(selectors.period_overview(period=period))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("%(name)s考核总览") % {"name": period.name},
            "period": period,
            "sheets": sheets,
            "key_supervision": [s for s in sheets if s.final_key_supervision],
            "previous": previous,
            "previous_list": previous_list,
            "problems": services.publish_problems(period) if period.is_scorable else [],
            "can_score": request.user.has_perm("evaluation.score", period),
            "next_period": selectors.next_period(period=period),
            "log": period.log.select_related("actor")[:10],
        }
        return TemplateResponse(request, "admin/evaluation/period_overview.html", context)

    def _run(self, request, pk, fn, success: str):
        if request.method != "POST":
            return redirect("admin:evaluation_appraisalperiod_overview", pk)
        period = self._period(request, pk)
        try:
            result = fn(actor=request.user, period=period)
        except ValidationError as exc:
            self.message_user(request, _messages_from(exc), messages.ERROR)
            return redirect("admin:evaluation_appraisalperiod_overview", pk)
        self.message_user(request, success, messages.SUCCESS)
        target = result.pk if isinstance(result, AppraisalPeriod) else pk
        return redirect("admin:evaluation_appraisalperiod_overview", target)

    def recompute_view(self, request, pk):
        return self._run(request, pk, services.period_recompute, gettext("系统指标已重新计算。"))

    def start_scoring_view(self, request, pk):
        return self._run(request, pk, services.period_start_scoring, gettext("已开始评分。"))

    def publish_view(self, request, pk):
        return self._run(request, pk, services.period_publish, gettext("考核结果已发布。"))

    def close_view(self, request, pk):
        return self._run(request, pk, services.period_close, gettext("考核期已结束。"))

    def next_view(self, request, pk):
        return self._run(request, pk, services.period_create_next, gettext("已创建下一考核期。"))

    def export_view(self, request, pk):
        period = self._period(request, pk)
        content = results_xlsx(period.sheets.with_final_key_supervision())
        return _xlsx_response(content, f"appraisal-{period.code}.xlsx")

    # --- Actions --------------------------------------------------------------------

    def _each(self, request, queryset, fn, done: str):
        for period in queryset:
            try:
                fn(actor=request.user, period=period)
            except (ValidationError, PermissionDenied) as exc:
                text = _messages_from(exc) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{period.name}：{text}", messages.ERROR)
            else:
                self.message_user(request, f"{period.name}：{done}", messages.SUCCESS)

    @admin.action(description=_("重新计算系统指标"), permissions=["change"])
    def recompute_selected(self, request, queryset):
        self._each(request, queryset, services.period_recompute, gettext("系统指标已重新计算。"))

    @admin.action(description=_("发布考核结果"), permissions=["change"])
    def publish_selected(self, request, queryset):
        self._each(request, queryset, services.period_publish, gettext("考核结果已发布。"))

    @admin.action(description=_("导出考核结果（Excel）"), permissions=["view"])
    def export_selected(self, request, queryset):
        sheets = ScoreSheet.objects.filter(period__in=queryset).with_final_key_supervision()
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return _xlsx_response(results_xlsx(sheets), f"appraisal-results-{stamp}.xlsx")


# --- Score sheets -------------------------------------------------------------------------


class ScoreForm(forms.ModelForm):
    """One line of the sheet. A computed line is shown, not edited; a manual line
    needs a score within 0–max and a reason (checked here so the error shows on the
    line; the service checks again)."""

    class Meta:
        model = IndicatorScore
        fields = ("score", "reason")
        widgets = {"reason": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.indicator.method == ScoringMethod.COMPUTED:
            for field in self.fields.values():
                field.disabled = True

    def clean(self):
        data = super().clean()
        if not self.instance.pk or self.instance.indicator.method != ScoringMethod.MANUAL:
            return data
        if not self.has_changed():
            return data
        score, reason = data.get("score"), (data.get("reason") or "").strip()
        if score is None:
            raise ValidationError({"score": gettext("请填写得分。")})
        try:
            services.parse_score(score, max_score=self.instance.indicator.max_score)
        except ValidationError as exc:
            raise ValidationError({"score": exc.messages}) from None
        if not reason:
            raise ValidationError({"reason": gettext("请填写评分理由。")})
        return data


class SheetInlineMixin:
    """Lines of a sheet change only while its period is scorable, by its scorer."""

    def _sheet_open(self, request, obj) -> bool:
        return obj is None or (
            obj.period.is_scorable and request.user.has_perm("evaluation.score", obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._sheet_open(request, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._sheet_open(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._sheet_open(request, obj)


class IndicatorScoreInline(SheetInlineMixin, admin.TabularInline):
    model = IndicatorScore
    form = ScoreForm
    extra = 0
    can_delete = False
    fields = (
        "section_name",
        "indicator_display",
        "method_display",
        "raw_value_display",
        "score",
        "reason",
        "scored",
    )
    readonly_fields = (
        "section_name",
        "indicator_display",
        "method_display",
        "raw_value_display",
        "scored",
    )
    verbose_name = _("指标得分")
    verbose_name_plural = _("评分表")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("indicator__section", "scored_by")
            .order_by("indicator__section__order", "indicator__order", "indicator__pk")
        )

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("评价要素"))
    def section_name(self, obj):
        return obj.indicator.section.name

    @admin.display(description=_("考核指标"))
    def indicator_display(self, obj):
        return format_html(
            "<strong>{}</strong> {}<br><span class='help'>{}</span>",
            obj.indicator.code,
            obj.indicator.name,
            obj.indicator.criteria,
        )

    @admin.display(description=_("评分方式 / 满分"))
    def method_display(self, obj):
        return f"{obj.indicator.get_method_display()} / {obj.indicator.max_score:g}"

    @admin.display(description=_("原始值"))
    def raw_value_display(self, obj):
        return scoring.raw_value_text(obj.indicator.computed_kind, obj.raw_value)

    @admin.display(description=_("评分人"))
    def scored(self, obj):
        if not obj.scored_at:
            return "—"
        who = obj.scored_by.get_full_name() if obj.scored_by else ""
        return f"{who} {timezone.localtime(obj.scored_at):%Y-%m-%d %H:%M}"


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ("indicator", "file", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:  # kept files are replaced by deleting and adding
            for field in self.fields.values():
                field.disabled = True

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and self.instance._state.adding:
            inspect_evidence(file)
        return file


class EvidenceInline(SheetInlineMixin, admin.TabularInline):
    model = Evidence
    form = EvidenceForm
    extra = 0
    fields = ("indicator", "file_link", "file", "description", "uploaded_by", "uploaded_at")
    readonly_fields = ("file_link", "uploaded_by", "uploaded_at")
    verbose_name_plural = _("评分依据（PDF、图片、Word/Excel，≤10 MB）")

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            formset.form.base_fields["indicator"].queryset = Indicator.objects.filter(
                scheme_id=obj.period.scheme_id, method=ScoringMethod.MANUAL
            )
        return formset

    @admin.display(description=_("已上传文件"))
    def file_link(self, obj):
        if obj._state.adding:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("evaluation:evidence", args=[obj.pk]), obj.original_name
        )


class SheetForm(forms.ModelForm):
    key_supervision = forms.TypedChoiceField(
        label=_("列为下期重点监管"),
        choices=[("", _("按系统建议（未确认）")), ("1", _("是")), ("0", _("否"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )

    class Meta:
        model = ScoreSheet
        fields = ("key_supervision", "key_supervision_reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        value = self.instance.key_supervision
        self.initial["key_supervision"] = "" if value is None else ("1" if value else "0")

    def clean(self):
        data = super().clean()
        decision = data.get("key_supervision")
        reason = (data.get("key_supervision_reason") or "").strip()
        if (
            decision is not None
            and decision != self.instance.key_supervision_proposed
            and not reason
        ):
            raise ValidationError(
                {"key_supervision_reason": gettext("与系统建议不一致时，须填写调整理由。")}
            )
        return data


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ScopedAdmin):
    """One institution's sheet: every indicator inline (manual ones scored here with
    a reason and evidence), the totals, and the key-supervision proposal to confirm
    or override — with the institution's self-assessment beside it."""

    form = SheetForm
    scope_fields = ("period__regulator",)
    list_display = (
        "institution",
        "period",
        "rank",
        "total",
        "grade",
        "unscored_count",
        "proposed_display",
        "final_display",
    )
    list_filter = ("period", "grade", "key_supervision_proposed")
    list_select_related = ("institution", "period")
    search_fields = ("institution__name", "institution__code")
    inlines = [IndicatorScoreInline, EvidenceInline]
    fieldsets = (
        (
            _("考核结果"),
            {
                "fields": (
                    "period",
                    "institution",
                    "element_total",
                    "deduction",
                    "total",
                    "rank",
                    "grade",
                    "unscored_count",
                    "computed_at",
                )
            },
        ),
        (
            _("下期重点监管"),
            {
                "fields": (
                    "major_complaints",
                    "overdue_count",
                    "key_supervision_proposed",
                    "proposal_reasons",
                    "key_supervision",
                    "key_supervision_reason",
                    "key_supervision_decided_by",
                    "key_supervision_decided_at",
                )
            },
        ),
        (_("机构自评估（与正式评分对照）"), {"fields": ("comparison",)}),
    )
    readonly_fields = (
        "period",
        "institution",
        "element_total",
        "deduction",
        "total",
        "rank",
        "grade",
        "unscored_count",
        "computed_at",
        "major_complaints",
        "overdue_count",
        "key_supervision_proposed",
        "proposal_reasons",
        "key_supervision_decided_by",
        "key_supervision_decided_at",
        "comparison",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and request.user.has_perm("evaluation.score", obj) and obj.period.is_scorable

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.period.is_scorable:
            return (*self.readonly_fields, "key_supervision", "key_supervision_reason")
        return self.readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("period__scheme", "institution")

    @admin.display(description=_("系统建议"), boolean=True)
    def proposed_display(self, obj):
        return obj.key_supervision_proposed

    @admin.display(description=_("下期重点监管"), boolean=True)
    def final_display(self, obj):
        return obj.final_key_supervision

    @admin.display(description=_("自评估与正式评分"))
    def comparison(self, obj):
        detail = selectors.sheet_detail(sheet=obj)
        own = detail.self_assessment
        if own is None:
            return gettext("本机构尚未填写自评估。")
        status = own.get_status_display()
        if own.submitted_at:
            status += " " + timezone.localtime(own.submitted_at).strftime("%Y-%m-%d %H:%M")
            status += gettext("（按时）") if own.on_time else gettext("（逾期）")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td class='num'>{}</td><td class='num'>{}</td><td>{}</td></tr>",
            (
                (
                    s.section.name,
                    s.score,
                    s.own_entry.own_score
                    if s.own_entry and s.own_entry.own_score is not None
                    else "—",
                    s.own_entry.text if s.own_entry else "",
                )
                for s in detail.sections
            ),
        )
        return format_html(
            "<p>{}</p><table data-testid='self-vs-official'><thead><tr><th>{}</th><th>{}</th>"
            "<th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table><p>{}：{}</p>",
            status,
            gettext("评价要素"),
            gettext("正式评分"),
            gettext("自评得分"),
            gettext("自评情况"),
            rows,
            gettext("发现的问题及整改措施"),
            own.problems_and_measures or "—",
        )

    def save_model(self, request, obj, form, change):
        """Only the key-supervision decision is written from the form, by the service."""
        if {"key_supervision", "key_supervision_reason"} & set(form.changed_data):
            decision = form.cleaned_data.get("key_supervision")
            if decision is not None:
                services.key_supervision_decide(
                    actor=request.user,
                    sheet=obj,
                    key_supervision=decision,
                    reason=form.cleaned_data.get("key_supervision_reason", ""),
                )

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these lists, which formset.save() would set.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is IndicatorScore:
            for line in formset.forms:
                if (
                    line.instance.pk
                    and line.has_changed()
                    and not line.instance.indicator.is_computed
                ):
                    services.score_record(
                        actor=request.user,
                        score=line.instance,
                        value=line.cleaned_data["score"],
                        reason=line.cleaned_data["reason"],
                    )
                    formset.changed_objects.append((line.instance, line.changed_data))
            return
        if formset.model is Evidence:
            for line in formset.deleted_forms:
                if not line.instance._state.adding:
                    line.instance.file.delete(save=False)
                    line.instance.delete()
                    formset.deleted_objects.append(line.instance)
            for line in formset.forms:
                if (
                    line in formset.deleted_forms
                    or not line.instance._state.adding
                    or not line.has_changed()
                ):
                    continue
                evidence = services.evidence_attach(
                    actor=request.user,
                    sheet=form.instance,
                    indicator=line.cleaned_data["indicator"],
                    file=line.cleaned_data["file"],
                    description=line.cleaned_data.get("description", ""),
                )
                formset.new_objects.append(evidence)
            return
        super().save_formset(request, form, formset, change)

    def response_change(self, request, obj):
        """After 保存 / 保存并继续编辑: one message with the sheet's new total and grade,
        then the period's overview (保存) or the sheet again."""
        if "_save" not in request.POST and "_continue" not in request.POST:
            return super().response_change(request, obj)
        obj.refresh_from_db(fields=["total", "grade", "unscored_count"])
        messages.success(
            request,
            gettext(
                "已保存%(institution)s的评分表：总分 %(total)s，等级 %(grade)s，未评分 %(n)d 项。"
            )
            % {
                "institution": obj.institution.name,
                "total": f"{obj.total:.2f}",
                "grade": obj.grade or "—",
                "n": obj.unscored_count,
            },
        )
        if "_continue" in request.POST:
            return HttpResponseRedirect(request.get_full_path())
        return HttpResponseRedirect(
            reverse("admin:evaluation_appraisalperiod_overview", args=[obj.period_id])
        )


@admin.register(IndicatorScore)
class IndicatorScoreAdmin(ScopedAdminMixin, ImportExportModelAdmin):
    """Every score as a list; the manual ones are exported and imported here
    (考核期代码, 机构代码, 指标代码, 得分, 评分理由) with a preview. Scores are edited on
    the institution's sheet."""

    resource_classes = [ManualScoreResource]
    scope_fields = ("sheet__period__regulator",)
    list_display = ("sheet", "indicator", "raw_value_display", "score", "scored_by", "scored_at")
    list_filter = ("sheet__period", "indicator__method", "indicator__section__name")
    list_select_related = ("sheet__period", "sheet__institution", "indicator", "scored_by")
    search_fields = ("sheet__institution__name", "indicator__code", "indicator__name")

    @admin.display(description=_("原始值"), ordering="raw_value")
    def raw_value_display(self, obj):
        return scoring.raw_value_text(obj.indicator.computed_kind, obj.raw_value)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request):
        return request.user.has_perm("evaluation.score")

    def has_export_permission(self, request):
        return request.user.has_perm("evaluation.view_indicatorscore")


# --- The institution's side, follow-up, audit ----------------------------------------------


class SelfAssessmentEntryInline(admin.TabularInline):
    model = SelfAssessmentEntry
    extra = 0
    fields = ("section", "own_score", "text")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ScopedAdmin):
    """Read-only: the institutions fill their self-assessment on their own pages."""

    scope_fields = ("period__regulator",)
    list_display = ("institution", "period", "status", "submitted_at", "on_time_display")
    list_filter = ("period", "status")
    list_select_related = ("institution", "period")
    fields = (
        "period",
        "institution",
        "status",
        "submitted_at",
        "submitted_by",
        "problems_and_measures",
    )
    readonly_fields = fields
    inlines = [SelfAssessmentEntryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("按时报送"), boolean=True)
    def on_time_display(self, obj):
        return obj.on_time


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = (
            "regulator",
            "institution",
            "source_sheet",
            "kind",
            "subject",
            "planned_on",
            "inspected_on",
            "findings",
            "rectification_due",
            "rectified_on",
            "rectification_note",
        )


@admin.register(Inspection)
class InspectionAdmin(ScopedAdmin):
    """专项检查 / 综合检查 planned for the institutions under key supervision, with
    findings and the rectification deadline."""

    form = InspectionForm
    scope_fields = ("regulator",)
    list_display = (
        "institution",
        "kind",
        "subject",
        "planned_on",
        "inspected_on",
        "rectification_due",
        "rectified_on",
    )
    list_filter = ("kind",)
    list_select_related = ("institution",)
    autocomplete_fields = ("institution",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source_sheet":
            kwargs["queryset"] = (
                access.sheet_list_for_staff(request.user, ScoreSheet.objects)
                .key_supervised()
                .select_related("period", "institution")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AppraisalLog)
class AppraisalLogAdmin(ScopedAdmin):
    scope_fields = ("period__regulator",)
    list_display = ("created_at", "period", "sheet", "actor", "action", "note")
    list_filter = ("action", "period")
    list_select_related = ("period", "sheet__institution", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
