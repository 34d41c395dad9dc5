"""The lines of a score sheet in the admin: the scores and the evidence files."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from evaluation import rules as access

from .. import scoring
from ..enums import ScoringMethod
from ..models import Evidence, Indicator, IndicatorScore
from .forms import EvidenceForm, ScoreForm


class SheetInlineMixin:
    """Lines of a sheet change only while its period is scorable, by its scorer
    (``rules.sheet_editable_by``)."""

    def _sheet_open(self, request, obj) -> bool:
        return access.sheet_editable_by(request.user, obj)

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
