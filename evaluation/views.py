"""The appraisal outside the admin: an institution's own published results and its
self-assessment, the printable circulation notice, and evidence files. Views parse
and render; reads come from ``selectors``, writes from ``services``, every object
from the access policy (404 for missing and not visible alike)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from evaluation import rules as access
from institutions.access.views import check_object, requires

from . import selectors
from .errors import AppraisalError
from .forms import SelfAssessmentForm
from .models import ScoreSheet, SelfAssessment
from .services.self_assessment import self_assessment_save
from .validators import INLINE_TYPES


@requires("evaluation.view_results", denied=PermissionDenied)
def home(request):
    """考核评价: a manager's results and self-assessment tasks; the office's staff get
    their periods with links to the admin overview and the notice."""
    context = {
        "results": selectors.results_for_user(user=request.user),
        "tasks": selectors.self_assessment_tasks(user=request.user),
        "periods": selectors.periods_for_staff(user=request.user)
        if request.user.has_perm("evaluation.score")
        else None,
    }
    return render(request, "evaluation/home.html", context)


@requires(None)
def sheet_detail(request, pk: int):
    """One sheet: the institution's own published one (with its rank among all), or
    any of the office's. Another institution's sheet is 404."""
    sheet = access.sheet_get_for_user(
        request.user,
        pk,
        queryset=ScoreSheet.objects.select_related("period__scheme", "institution"),
    )
    detail = selectors.sheet_detail(sheet=sheet)
    return render(request, "evaluation/sheet.html", {"detail": detail, "sheet": sheet})


@requires("evaluation.self_assess", per_object=True, denied=PermissionDenied)
@require_http_methods(["GET", "POST"])
def self_assessment(request, pk: int):
    period = access.self_assessment_period_get_for_user(request.user, pk)
    check_object(request, period)
    institution = selectors.appraised_for_user(user=request.user, period=period)
    if institution is None or period.scheme_id is None:
        raise Http404
    own = (
        SelfAssessment.objects.filter(period=period, institution=institution)
        .prefetch_related("entries")
        .first()
    )
    sections = period.scheme.sections.all()
    locked = not access.self_assessment_is_open(period, own)
    form = SelfAssessmentForm(request.POST or None, sections=sections, own=own)
    if request.method == "POST" and not locked and form.is_valid():
        submit = "submit" in request.POST
        try:
            self_assessment_save(
                actor=request.user,
                period=period,
                entries=form.entries(),
                problems_and_measures=form.cleaned_data["problems_and_measures"],
                submit=submit,
            )
        except AppraisalError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("自评估已报送。") if submit else _("自评估草稿已保存。"))
            return redirect("evaluation:self_assessment", pk=period.pk)
    return render(
        request,
        "evaluation/self_assessment.html",
        {
            "period": period,
            "institution": institution,
            "own": own,
            "form": form,
            "locked": locked,
            "late": period.self_assessment_due
            and timezone.localdate() > period.self_assessment_due,
        },
    )


@requires(None)
def notice(request, pk: int):
    """通报 of a published period, printable."""
    period = access.notice_period_get_for_user(request.user, pk)
    return render(
        request,
        "evaluation/notice.html",
        {"notice": selectors.notice(period=period), "period": period, "printed_at": timezone.now()},
    )


@requires(None)
def evidence_file(request, pk):
    """An evidence file for the office's staff only, served with the type detected
    at upload, ``nosniff`` and a sandboxing CSP; only images are shown inline."""
    evidence = access.evidence_get_for_user(request.user, pk)
    try:
        content = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        content,
        content_type=evidence.content_type,
        as_attachment=evidence.content_type not in INLINE_TYPES,
        filename=evidence.download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
