"""Appraisal periods: the list, the overview page and the workflow pages and
actions (recompute, start scoring, publish, close, next, export)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluation import rules as access
from institutions.admin_access import ScopedAdmin

from .. import selectors
from ..errors import AppraisalError, DomainError
from ..models import AppraisalPeriod, ScoreSheet
from ..resources import results_xlsx
from ..services.periods import (
    period_close,
    period_create_next,
    period_publish,
    period_setup,
    period_start_scoring,
    publish_problems,
)
from ..services.totals import period_recompute
from .base import refusal_text, xlsx_response
from .forms import PeriodForm


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
        if obj is not None and not access.period_is_open_for_scoring(obj):
            return (*PeriodForm.Meta.fields, *self.readonly_fields)
        fixed = ("regulator", "kind", "starts_on", "ends_on") if obj else ()
        return (*fixed, *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            period_setup(actor=request.user, period=obj)

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
        scorable = access.period_is_open_for_scoring(period)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("%(name)s考核总览") % {"name": period.name},
            "period": period,
            "sheets": sheets,
            "key_supervision": [s for s in sheets if s.final_key_supervision],
            "previous": previous,
            "previous_list": previous_list,
            "problems": publish_problems(period) if scorable else [],
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
        except AppraisalError as exc:
            self.message_user(request, refusal_text(exc), messages.ERROR)
            return redirect("admin:evaluation_appraisalperiod_overview", pk)
        self.message_user(request, success, messages.SUCCESS)
        target = result.pk if isinstance(result, AppraisalPeriod) else pk
        return redirect("admin:evaluation_appraisalperiod_overview", target)

    def recompute_view(self, request, pk):
        return self._run(request, pk, period_recompute, gettext("系统指标已重新计算。"))

    def start_scoring_view(self, request, pk):
        return self._run(request, pk, period_start_scoring, gettext("已开始评分。"))

    def publish_view(self, request, pk):
        return self._run(request, pk, period_publish, gettext("考核结果已发布。"))

    def close_view(self, request, pk):
        return self._run(request, pk, period_close, gettext("考核期已结束。"))

    def next_view(self, request, pk):
        return self._run(request, pk, period_create_next, gettext("已创建下一考核期。"))

    def export_view(self, request, pk):
        period = self._period(request, pk)
        content = results_xlsx(period.sheets.with_final_key_supervision())
        return xlsx_response(content, f"appraisal-{period.code}.xlsx")

    # --- Actions --------------------------------------------------------------------

    def _each(self, request, queryset, fn, done: str):
        for period in queryset:
            try:
                fn(actor=request.user, period=period)
            except DomainError as exc:
                self.message_user(request, f"{period.name}：{refusal_text(exc)}", messages.ERROR)
            else:
                self.message_user(request, f"{period.name}：{done}", messages.SUCCESS)

    @admin.action(description=_("重新计算系统指标"), permissions=["change"])
    def recompute_selected(self, request, queryset):
        self._each(request, queryset, period_recompute, gettext("系统指标已重新计算。"))

    @admin.action(description=_("发布考核结果"), permissions=["change"])
    def publish_selected(self, request, queryset):
        self._each(request, queryset, period_publish, gettext("考核结果已发布。"))

    @admin.action(description=_("导出考核结果（Excel）"), permissions=["view"])
    def export_selected(self, request, queryset):
        sheets = ScoreSheet.objects.filter(period__in=queryset).with_final_key_supervision()
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return xlsx_response(results_xlsx(sheets), f"appraisal-results-{stamp}.xlsx")
