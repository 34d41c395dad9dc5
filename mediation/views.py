"""Thin views of the mediation desk: declare the permission, parse, call the
workflow or a selector, render. A case outside the user's scope is 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaints.selectors import complaint_detail_for_user
from institutions.access.views import check_object, requires

from . import rules as access
from . import selectors, services
from .errors import MediationError
from .forms import STEP_FORMS, ApplicationForm, DirectApplicationForm, ListFilterForm
from .models import MediationCase
from .workflow import STEPS, available_steps, mediation_act

PAGE_SIZE = 25


def _case(request, pk: int) -> MediationCase:
    qs = access.mediation_list_for_user(request.user).select_related(
        "institution", "office", "complaint", "mediator", "opened_by"
    )
    return access.mediation_get_for_user(request.user, pk, queryset=qs)


def _refused(form, exc: MediationError) -> None:
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, exc.messages)


@requires("mediation.view_mediationcase")
@require_GET
def case_list(request):
    form = ListFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = Paginator(selectors.mediation_cases(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mediation/list.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "can_open": request.user.has_perm("mediation.add_mediationcase"),
        },
    )


def _open(request, form, complaint=None):
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        institution = data.get("institution")
        try:
            case = services.mediation_open(
                actor=request.user,
                complaint_id=complaint.pk if complaint else None,
                data=services.Application(
                    applied_on=data["applied_on"],
                    request=data["request"],
                    procedure=data["procedure"],
                    mode=data["mode"],
                    applicant_name=data.get("applicant_name", ""),
                    applicant_phone=data.get("applicant_phone", ""),
                    institution_id=institution.pk if institution else None,
                ),
            )
        except MediationError as exc:
            if exc.status == 403:
                raise
            _refused(form, exc)
        else:
            messages.success(request, _("已受理调解申请：%(no)s") % {"no": case.case_no})
            return redirect("mediation:detail", pk=case.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "mediation/open.html", {"form": form, "complaint": complaint}, status=status
    )


@requires("mediation.add_mediationcase", per_object=True)
@require_http_methods(["GET", "POST"])
def open_from_complaint(request, complaint_pk: int):
    complaint = complaint_detail_for_user(request.user, complaint_pk)
    check_object(request, complaint)
    return _open(request, ApplicationForm(request.POST or None), complaint)


@requires("mediation.add_mediationcase")
@require_http_methods(["GET", "POST"])
def open_direct(request):
    return _open(request, DirectApplicationForm(request.POST or None, user=request.user))


def _step_form(step, case, user, data=None):
    kwargs = {}
    if step.name == "consent":
        parties = [
            p
            for p, column in (
                ("consumer", "consumer_consent"),
                ("institution", "institution_consent"),
            )
            if getattr(case, column) is None
            and (p == "institution" or user.has_perm("mediation.manage_mediationcase", case))
        ]
        kwargs["parties"] = parties
    if step.name == "assign_mediator":
        kwargs["case"] = case
    return STEP_FORMS[step.name](data, prefix=step.name, **kwargs)


def _detail(request, case, *, failed=None, status=200):
    forms = []
    for step in available_steps(request.user, case):
        form = (
            failed[1] if failed and failed[0] == step.name else _step_form(step, case, request.user)
        )
        forms.append((step, form))
    return render(
        request,
        "mediation/detail.html",
        {
            "case": case,
            "step_forms": forms,
            "open_step": failed[0] if failed else "",
            "sessions": case.sessions.select_related("recorded_by"),
            "agreement": getattr(case, "agreement", None),
            "performance": case.performance.select_related("recorded_by"),
            "events": case.events.select_related("actor"),
        },
        status=status,
    )


@requires("mediation.view_mediationcase", per_object=True)
@require_GET
def detail(request, pk: int):
    case = _case(request, pk)
    check_object(request, case)
    return _detail(request, case)


@requires("mediation.view_mediationcase", per_object=True)
@require_POST
def act(request, pk: int, action: str):
    case = _case(request, pk)
    check_object(request, case)
    step = STEPS.get(action)
    if step is None:
        raise Http404
    form = _step_form(step, case, request.user, request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            mediation_act(actor=request.user, case_id=case.pk, action=action, **data)
        except MediationError as exc:
            if exc.status == 403:
                raise
            _refused(form, exc)
            return _detail(request, _case(request, pk), failed=(action, form), status=exc.status)
        messages.success(request, _("已%(step)s。") % {"step": step.label})
        return redirect("mediation:detail", pk=case.pk)
    return _detail(request, case, failed=(action, form), status=422)


# --- Printable documents -----------------------------------------------------------------


@requires("mediation.view_mediationcase", per_object=True)
@require_GET
def print_application(request, pk: int):
    case = _case(request, pk)
    check_object(request, case)
    return render(request, "mediation/print_application.html", {"case": case})


@requires("mediation.view_mediationcase", per_object=True)
@require_GET
def print_session(request, pk: int, session_pk: int):
    case = _case(request, pk)
    check_object(request, case)
    session = case.sessions.select_related("recorded_by").filter(pk=session_pk).first()
    if session is None:
        raise Http404
    return render(request, "mediation/print_session.html", {"case": case, "session": session})


@requires("mediation.view_mediationcase", per_object=True)
@require_GET
def print_agreement(request, pk: int):
    case = _case(request, pk)
    check_object(request, case)
    agreement = getattr(case, "agreement", None)
    if agreement is None:
        raise Http404
    return render(request, "mediation/print_agreement.html", {"case": case, "agreement": agreement})
