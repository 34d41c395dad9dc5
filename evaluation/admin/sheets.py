"""One institution's score sheet."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluation import rules as access
from institutions.admin_access import ScopedAdmin

from .. import selectors
from ..models import Evidence, IndicatorScore, ScoreSheet
from ..services.evidence import evidence_attach, evidence_delete
from ..services.scores import key_supervision_decide, score_record
from .forms import SheetForm
from .sheet_lines import EvidenceInline, IndicatorScoreInline


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
        return allowed and access.sheet_editable_by(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not access.period_is_open_for_scoring(obj.period):
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
                key_supervision_decide(
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
                    score_record(
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
                    evidence_delete(actor=request.user, evidence=line.instance)
                    formset.deleted_objects.append(line.instance)
            for line in formset.forms:
                if (
                    line in formset.deleted_forms
                    or not line.instance._state.adding
                    or not line.has_changed()
                ):
                    continue
                evidence = evidence_attach(
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
