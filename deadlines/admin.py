"""Admin for the calendar and the deadline rules (reference data: no institution
scope, the permissions in deadlines.rules decide)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin

from institutions.admin_access import ScopedAdmin, ScopedAdminMixin

from . import snapshot
from .context_processors import calendar_warning_message
from .enums import CalendarSource, RuleComplexity
from .models import CalendarDay, CalendarYear, SlaRule, SlaRuleSet, SlaRuleSetBinding
from .resources import CalendarDayResource


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedAdminMixin, ImportExportModelAdmin):
    """The stored exceptions to an ordinary week. Each December the next year's
    schedule is imported here (日期, 是否工作日, 名称) with a preview first."""

    resource_classes = [CalendarDayResource]
    list_display = ("date", "weekday", "is_workday", "name", "source", "modified_at")
    list_filter = ("is_workday", "source")
    search_fields = ("name",)
    date_hierarchy = "date"
    ordering = ("-date",)
    list_per_page = 100
    fields = ("date", "is_workday", "name", "source")
    readonly_fields = ("source",)

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return obj.weekday_name

    def has_import_permission(self, request) -> bool:
        return request.user.has_perm("deadlines.add_calendarday") and request.user.has_perm(
            "deadlines.change_calendarday"
        )

    def save_model(self, request, obj, form, change) -> None:
        obj.source = CalendarSource.MANUAL
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        # The admin does not use the site's base template, so the banner is repeated
        # here, where the administrator can act on it.
        warning = calendar_warning_message(
            timezone.localdate(timezone=timezone.get_default_timezone())
        )
        if warning and request.method == "GET":
            messages.warning(request, warning)
        return super().changelist_view(request, extra_context)


@admin.register(CalendarYear)
class CalendarYearAdmin(ScopedAdmin):
    """Which years hold the published schedule; a year not loaded makes every deadline
    that touches it provisional."""

    list_display = ("year", "loaded", "source", "note", "modified_at")
    list_filter = ("loaded", "source")
    ordering = ("-year",)
    fields = ("year", "loaded", "note", "source")
    readonly_fields = ("source",)
    actions = ("mark_loaded", "mark_not_loaded")

    def save_model(self, request, obj, form, change) -> None:
        obj.source = CalendarSource.MANUAL
        super().save_model(request, obj, form, change)

    @admin.action(description=_("标记为已发布"), permissions=["change"])
    def mark_loaded(self, request, queryset) -> None:
        count = queryset.update(loaded=True, source=CalendarSource.MANUAL)
        snapshot.changed()  # update() sends no signals
        self.message_user(
            request,
            ngettext(
                "已将 %(count)d 个年度标记为已发布。", "已将 %(count)d 个年度标记为已发布。", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("标记为未发布（期限按临时计算）"), permissions=["change"])
    def mark_not_loaded(self, request, queryset) -> None:
        count = queryset.update(loaded=False, source=CalendarSource.MANUAL)
        snapshot.changed()
        self.message_user(
            request,
            ngettext(
                "已将 %(count)d 个年度标记为未发布。", "已将 %(count)d 个年度标记为未发布。", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


class SlaRuleInlineFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        """A rule set must give every complaint a deadline: a rule for both
        complexities, or one for any complexity."""
        super().clean()
        if any(self.errors):
            return
        complexities = {
            form.cleaned_data.get("complexity")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        if RuleComplexity.ANY not in complexities and not {
            RuleComplexity.SIMPLE,
            RuleComplexity.COMPLEX,
        }.issubset(complexities):
            raise ValidationError(
                _("规则组必须同时包含“一般投诉”和“复杂投诉”的规则，或包含一条“不区分”的规则。")
            )


class SlaRuleInline(admin.TabularInline):
    model = SlaRule
    formset = SlaRuleInlineFormSet
    extra = 0
    fields = (
        "complexity",
        "unit",
        "base_days",
        "first_extension_days",
        "second_extension_days",
        "extension_approver",
        "start_of_business",
        "close_of_business",
        "after_hours_next_day",
        "note",
    )


@admin.register(SlaRuleSet)
class SlaRuleSetAdmin(ScopedAdmin):
    list_display = ("name", "code", "is_default")
    search_fields = ("name", "code")
    inlines = [SlaRuleInline]


@admin.register(SlaRuleSetBinding)
class SlaRuleSetBindingAdmin(ScopedAdmin):
    """Where a rule set applies: an intake source wins over an institution, and the
    nearest institution up the tree wins over one further up."""

    list_display = ("__str__", "rule_set", "intake_source", "institution")
    list_filter = ("rule_set", "intake_source")
    list_select_related = ("rule_set", "institution")
    autocomplete_fields = ("institution",)
