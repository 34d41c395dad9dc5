"""Thin views: fetch through the access policy, validate with a form, call a service
or a selector, render. A campaign or activity outside the user's scope is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from complaints.rules import complaints_visible_to
from publicity.rules import (
    activity_get_for_user,
    campaign_get_for_user,
    campaign_list_for_user,
    photo_get_for_user,
)

from . import selectors, services
from .exports import XLSX_CONTENT_TYPE, summary_workbook
from .forms import (
    ActivityFilterForm,
    ActivityForm,
    CampaignForm,
    MediaReportFormSet,
    SummaryGroupingForm,
    media_reports_from,
)
from .metrics import METRICS
from .models import Activity, Campaign

PAGE_SIZE = 25


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Campaigns -------------------------------------------------------------------------


@login_required
def campaign_list(request):
    _require(request.user, "publicity.view_campaign")
    return render(
        request,
        "publicity/campaign_list.html",
        {"page": _page(request, selectors.campaign_list_with_counts(user=request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    _require(request.user, "publicity.add_campaign")
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(user=request.user, data=form.to_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("宣传活动已创建。"))
            return redirect("publicity:campaign_detail", pk=campaign.pk)
    return render(request, "publicity/campaign_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_update(request, pk: int):
    campaign = campaign_get_for_user(request.user, pk)
    _require(request.user, "publicity.change_campaign", campaign)
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(user=request.user, campaign=campaign, data=form.to_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("宣传活动已修改。"))
            return redirect("publicity:campaign_detail", pk=campaign.pk)
    return render(request, "publicity/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_detail(request, pk: int):
    campaign = campaign_get_for_user(
        request.user, pk, queryset=Campaign.objects.select_related("organiser")
    )
    activities = selectors.activity_list(user=request.user, campaign=campaign)
    return render(
        request,
        "publicity/campaign_detail.html",
        {
            "campaign": campaign,
            "participants": campaign.participants.order_by("path"),
            "page": _page(request, activities),
            "can_record": request.user.has_perm("publicity.add_activity", campaign),
            "can_change": request.user.has_perm("publicity.change_campaign", campaign),
        },
    )


def _summary(request, pk: int):
    campaign = campaign_get_for_user(
        request.user, pk, queryset=Campaign.objects.select_related("organiser")
    )
    _require(request.user, "publicity.view_campaign_summary", campaign)
    grouping_form = SummaryGroupingForm(request.GET or None)
    summary = selectors.campaign_summary(
        user=request.user, campaign=campaign, grouping=grouping_form.grouping()
    )
    return summary, grouping_form


@login_required
def campaign_summary(request, pk: int):
    summary, grouping_form = _summary(request, pk)
    return render(
        request,
        "publicity/campaign_summary.html",
        {
            "summary": summary,
            "campaign": summary.campaign,
            "grouping_form": grouping_form,
            "metrics": METRICS,
            "t": summary.total,
            "printed_at": timezone.localtime(),
        },
    )


@login_required
def campaign_summary_xlsx(request, pk: int):
    summary, _form = _summary(request, pk)
    response = HttpResponse(summary_workbook(summary), content_type=XLSX_CONTENT_TYPE)
    filename = _("%(theme)s汇总表.xlsx") % {"theme": summary.campaign.theme}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- Activities ------------------------------------------------------------------------


@login_required
def activity_list(request):
    _require(request.user, "publicity.view_activity")
    filters = ActivityFilterForm(
        request.GET or None,
        user=request.user,
        campaigns=campaign_list_for_user(request.user),
    )
    activities = filters.apply(selectors.activity_list(user=request.user))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "publicity/activity_list.html",
        {"page": _page(request, activities), "filters": filters, "query_string": query.urlencode()},
    )


def _activity_form_page(request, *, campaign, activity=None):
    """The record and correct pages share one form, formset and template."""
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        instance=activity,
        user=request.user,
        campaign=campaign,
    )
    formset = MediaReportFormSet(request.POST or None, instance=activity, prefix="media")
    # "&", not "and": validate both, so that every error shows at once.
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        arguments = {
            "user": request.user,
            "data": form.to_data(),
            "media_reports": media_reports_from(formset),
            "photos": form.cleaned_data["photos"],
        }
        try:
            if activity is None:
                activity = services.activity_record(campaign=campaign, **arguments)
                messages.success(request, _("活动已登记。"))
            else:
                activity = services.activity_update(activity=activity, **arguments)
                messages.success(request, _("活动已修改。"))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("publicity:activity_detail", pk=activity.pk)
    return render(
        request,
        "publicity/activity_form.html",
        {"form": form, "formset": formset, "campaign": campaign, "activity": activity},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request, campaign_pk: int):
    campaign = campaign_get_for_user(request.user, campaign_pk)
    _require(request.user, "publicity.add_activity", campaign)
    return _activity_form_page(request, campaign=campaign)


@login_required
@require_http_methods(["GET", "POST"])
def activity_update(request, pk: int):
    activity = activity_get_for_user(
        request.user, pk, queryset=Activity.objects.select_related("campaign")
    )
    _require(request.user, "publicity.change_activity", activity)
    return _activity_form_page(request, campaign=activity.campaign, activity=activity)


@login_required
def activity_detail(request, pk: int):
    activity = selectors.activity_detail(user=request.user, pk=pk)
    return render(
        request,
        "publicity/activity_detail.html",
        {
            "activity": activity,
            "can_change": request.user.has_perm("publicity.change_activity", activity),
            # Only the linked records this viewer may see (the policy decides).
            "linked_complaints": complaints_visible_to(
                request.user, activity.linked_complaints.all()
            ).only("pk", "tracking_no"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request, pk: int):
    activity = activity_get_for_user(
        request.user, pk, queryset=Activity.objects.select_related("campaign")
    )
    _require(request.user, "publicity.delete_activity", activity)
    if request.method == "POST":
        campaign_pk = activity.campaign_id
        services.activity_delete(user=request.user, activity=activity)
        messages.success(request, _("活动记录已删除。"))
        return redirect("publicity:campaign_detail", pk=campaign_pk)
    return render(request, "publicity/activity_confirm_delete.html", {"activity": activity})


# --- Photos ----------------------------------------------------------------------------


@login_required
def photo_view(request, pk):
    """A photo, only through its activity's scope. Served with the type detected at
    upload, ``nosniff`` and a sandboxing CSP, so the browser never runs it as a page."""
    photo = photo_get_for_user(request.user, pk)
    try:
        content = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        content,
        content_type=photo.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=photo.download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def photo_delete(request, pk):
    photo = photo_get_for_user(request.user, pk)
    activity_pk = photo.activity_id
    services.activity_photo_delete(user=request.user, photo=photo)
    messages.success(request, _("照片已删除。"))
    return redirect("publicity:activity_detail", pk=activity_pk)
