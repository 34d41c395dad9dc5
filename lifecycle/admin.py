"""The data lifecycle in the admin: the retention policy (one row), the dry-run report
and the run (system administrators), legal holds and PIPL requests (administrators
and the supervising office). Every write goes through lifecycle.services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint
from complaints.rules import complaint_q, complaints_visible_to
from institutions.access import can_use_admin
from institutions.errors import DomainError

from .models import (
    Anonymisation,
    LegalHold,
    PiplRequest,
    RetentionBatch,
    RetentionPolicy,
    RetentionRun,
)
from .policy import current_policy
from .rules import can_run_retention
from .services.holds import (
    legal_hold_lift,
    legal_hold_place,
    pipl_request_answer,
    pipl_request_record,
)
from .services.runs import retention_dry_run, retention_run_request


class LifecycleAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return can_use_admin(request.user)


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(LifecycleAdmin):
    """One row: the changelist opens it."""

    fields = (
        "complaint_years",
        "access_log_months",
        "notice_months",
        "report_pack_years",
        "in_force",
        "updated_by",
        "updated_at",
    )
    readonly_fields = ("in_force", "updated_by", "updated_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        policy, _created = RetentionPolicy.objects.get_or_create(pk=1)
        return redirect("admin:lifecycle_retentionpolicy_change", policy.pk)

    @admin.display(description=_("现行保存期限"))
    def in_force(self, obj) -> str:
        p = current_policy()
        return gettext(
            "投诉个人信息：终结后%(c)d年；访问记录：%(a)d个月；通知与消息：%(n)d个月；季度报表：%(r)d年"
        ) % {
            "c": p.complaint_years,
            "a": p.access_log_months,
            "n": p.notice_months,
            "r": p.report_pack_years,
        }

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class BatchInline(admin.TabularInline):
    model = RetentionBatch
    extra = 0
    can_delete = False
    fields = ("seq", "kind", "rows", "files", "complaint_ids", "started_at", "finished_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(LifecycleAdmin):
    list_display = (
        "created_at",
        "mode",
        "status",
        "requested_by",
        "complaints",
        "files",
        "access_logs",
        "notices",
        "report_packs",
        "finished_at",
    )
    list_filter = ("mode", "status")
    list_select_related = ("requested_by",)
    inlines = [BatchInline]
    exclude = ("report",)
    change_list_template = "admin/lifecycle/retentionrun/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "report"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="lifecycle_retentionrun_preview",
            ),
            path(
                "start/",
                self.admin_site.admin_view(self.start_view),
                name="lifecycle_retentionrun_start",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request):
        """The dry-run report: computed now and recorded as a dry run."""
        if not can_run_retention(request.user):
            raise PermissionDenied
        run = retention_dry_run(requested_by=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("保存期限执行预览"),
            "run": run,
            "report": run.report,
            "running": RetentionRun.objects.filter(
                mode="run", status__in=("pending", "running")
            ).exists(),
        }
        return TemplateResponse(request, "admin/lifecycle/retention_preview.html", context)

    def start_view(self, request):
        if not can_run_retention(request.user):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:lifecycle_retentionrun_preview")
        run = retention_run_request(requested_by=request.user)
        self.message_user(
            request,
            gettext("已开始执行保存期限任务，完成后可在本页查看各批次。"),
            messages.SUCCESS,
        )
        return redirect("admin:lifecycle_retentionrun_change", run.pk)


@admin.register(RetentionBatch)
class RetentionBatchAdmin(LifecycleAdmin):
    list_display = ("run", "seq", "kind", "rows", "files", "started_at", "finished_at")
    list_filter = ("kind",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Anonymisation)
class AnonymisationAdmin(RetentionBatchAdmin):
    list_display = ("complaint", "anonymised_at", "batch")
    list_filter = ()
    list_select_related = ("complaint",)
    search_fields = ("complaint__tracking_no",)


class ServiceWriteAdmin(LifecycleAdmin):
    """An admin whose every write is a service call. The call runs in the form's
    ``clean``, so a refusal (``DomainError``) is shown on the form and nothing is
    written; the admin's own save then only points the object at the written row.
    Subclasses implement ``write(request, instance, data)``: the service call, or
    None when the submission changes nothing."""

    def write(self, request, instance, data):
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        write = self.write

        class Checked(form):  # type: ignore[misc, valid-type]
            def clean(self):
                data = super().clean()
                if self.errors:
                    return data
                try:
                    self._saved = write(request, self.instance, data)
                except DomainError as exc:
                    raise forms.ValidationError(str(exc)) from exc
                return data

        return Checked

    def save_model(self, request, obj, form, change):
        saved = getattr(form, "_saved", None)
        if saved is not None:
            obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        pass


class LegalHoldForm(forms.ModelForm):
    lift = forms.BooleanField(label=_("解除保全"), required=False)

    class Meta:
        model = LegalHold
        fields = ("complaint", "reason", "note", "lift_note")


@admin.register(LegalHold)
class LegalHoldAdmin(ServiceWriteAdmin):
    form = LegalHoldForm
    list_display = (
        "complaint",
        "reason",
        "note",
        "placed_by",
        "placed_at",
        "lifted_at",
        "lifted_by",
    )
    list_filter = ("reason", ("lifted_at", admin.EmptyFieldListFilter))
    list_select_related = ("complaint", "placed_by", "lifted_by")
    search_fields = ("complaint__tracking_no",)
    raw_id_fields = ("complaint",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(complaint_q(request.user, "complaint"))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("complaint", "reason", "note")
        return (
            "complaint",
            "reason",
            "note",
            "placed_by",
            "placed_at",
            "lifted_by",
            "lifted_at",
            "lift",
            "lift_note",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fixed = ("complaint", "reason", "note", "placed_by", "placed_at", "lifted_by", "lifted_at")
        return fixed + (("lift_note",) if obj.lifted_at else ())

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "complaint":
            kwargs["queryset"] = complaints_visible_to(request.user, Complaint.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def write(self, request, instance, data):
        if instance.pk is None:
            return legal_hold_place(
                actor=request.user,
                complaint=data["complaint"],
                reason=data["reason"],
                note=data.get("note", ""),
            )
        if data.get("lift"):
            return legal_hold_lift(
                actor=request.user, hold=instance, note=data.get("lift_note", "")
            )
        return None


class OverdueFilter(admin.SimpleListFilter):
    title = _("是否逾期")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("已逾期未答复")), ("open", _("办理中"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(answered_on__isnull=True, due_on__lt=today)
        if self.value() == "open":
            return queryset.filter(answered_on__isnull=True)
        return queryset


class PiplRequestForm(forms.ModelForm):
    class Meta:
        model = PiplRequest
        fields = (
            "kind",
            "complaints",
            "received_on",
            "summary",
            "outcome",
            "outcome_note",
            "answered_on",
        )


@admin.register(PiplRequest)
class PiplRequestAdmin(ServiceWriteAdmin):
    form = PiplRequestForm
    list_display = (
        "pk",
        "kind",
        "received_on",
        "due_on",
        "overdue",
        "outcome",
        "answered_on",
        "handled_by",
    )
    list_filter = (OverdueFilter, "kind", "outcome")
    list_select_related = ("handled_by",)
    raw_id_fields = ("complaints",)
    date_hierarchy = "received_on"

    @admin.display(description=_("逾期"), boolean=True)
    def overdue(self, obj) -> bool:
        return obj.is_overdue

    def get_queryset(self, request):
        visible = complaints_visible_to(request.user, Complaint.objects.all())
        qs = super().get_queryset(request)
        if can_run_retention(request.user):
            return qs
        return qs.filter(complaints__in=visible).distinct()

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("kind", "complaints", "received_on", "summary")
        return (
            "kind",
            "complaints",
            "received_on",
            "due_on",
            "summary",
            "recorded_by",
            "outcome",
            "outcome_note",
            "answered_on",
            "handled_by",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fixed = (
            "kind",
            "complaints",
            "received_on",
            "due_on",
            "summary",
            "recorded_by",
            "handled_by",
        )
        return fixed + (("outcome", "outcome_note", "answered_on") if obj.answered_on else ())

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "complaints":
            kwargs["queryset"] = complaints_visible_to(request.user, Complaint.objects.all())
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def write(self, request, instance, data):
        if instance.pk is None:
            return pipl_request_record(
                actor=request.user,
                kind=data["kind"],
                complaints=list(data["complaints"]),
                received_on=data["received_on"],
                summary=data["summary"],
            )
        if data.get("outcome") or data.get("answered_on"):
            if not data.get("answered_on"):
                raise DomainError(gettext("请填写答复日期。"))
            return pipl_request_answer(
                actor=request.user,
                request=instance,
                outcome=data.get("outcome", ""),
                note=data.get("outcome_note", ""),
                answered_on=data["answered_on"],
            )
        return None

    def response_add(self, request, obj, post_url_continue=None):
        return redirect(reverse("admin:lifecycle_piplrequest_changelist"))
