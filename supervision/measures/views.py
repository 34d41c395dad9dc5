"""Thin views of measures and rectification items: declare the permission, parse,
call a service, the workflow or a selector, render. Anything outside the user's
scope is 404, missing and forbidden alike."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutions import access as inst_access
from institutions.access.views import check_object, requires

from ..selectors import rectification as selectors
from . import rules as access
from . import services
from .enums import RectificationSource
from .errors import MeasureError
from .files import document_response
from .forms import (
    STEP_FORMS,
    ItemForm,
    MeasureFilterForm,
    MeasureForm,
    RectificationFilterForm,
)
from .workflow import STEPS, available_steps, rectification_act

PAGE_SIZE = 25


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_string(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _refused(form, exc: MeasureError) -> None:
    if exc.status == 403:
        raise exc
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, exc.messages)


def _int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# --- Measures ----------------------------------------------------------------------------


@requires("supervision.view_measures")
@require_GET
def measure_list(request):
    form = MeasureFilterForm(request.GET or None, user=request.user)
    kind, root = "", None
    if form.is_valid():
        kind, root = form.cleaned_data["kind"], form.cleaned_data["root"]
    return render(
        request,
        "supervision/measures/measure_list.html",
        {
            "form": form,
            "page": _page(request, selectors.measure_list(request.user, kind=kind, root=root)),
            "query_string": _query_string(request),
            "can_record": request.user.has_perm("supervision.record_measure"),
        },
    )


@requires("supervision.record_measure")
@require_http_methods(["GET", "POST"])
def measure_new(request):
    initial = {
        "taken_on": timezone.localdate(),
        "institution": _int(request.GET.get("institution")),
    }
    form = MeasureForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            measure = services.measure_record(
                actor=request.user,
                data=services.MeasureData(
                    institution_id=d["institution"].pk,
                    kind=d["kind"],
                    taken_on=d["taken_on"],
                    basis=d["basis"],
                    content=d["content"],
                    complaint_numbers=d["complaint_numbers"],
                    enforcement_case_id=d["enforcement_case"].pk if d["enforcement_case"] else None,
                    files=d["files"],
                    requirement=d["requirement"],
                    working_days=d["working_days"],
                    due_on=d["due_on"],
                ),
            )
        except MeasureError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("已登记监管措施。"))
            return redirect("supervision:measure_detail", pk=measure.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "supervision/measures/measure_form.html", {"form": form}, status=status)


def _measure(request, pk):
    qs = access.measure_list_for_user(request.user).select_related(
        "institution", "office", "recorded_by", "enforcement_case"
    )
    return access.measure_get_for_user(request.user, pk, queryset=qs)


@requires(None)
@require_GET
def measure_detail(request, pk: int):
    measure = _measure(request, pk)
    items = access.rectification_list_for_user(request.user).filter(measure=measure)
    return render(
        request,
        "supervision/measures/measure_detail.html",
        {
            "measure": measure,
            "complaints": measure.complaints.order_by("pk"),
            "documents": measure.documents.all(),
            "items": items.select_related("institution"),
            "can_open_item": request.user.has_perm(
                "supervision.open_rectification", measure.institution
            ),
        },
    )


@requires(None)
@require_GET
def measure_file(request, pk: int, doc_pk: int):
    measure = _measure(request, pk)
    doc = measure.documents.filter(pk=doc_pk).first()
    if doc is None:
        raise Http404
    return document_response(doc, name=f"measure-{measure.pk}")


# --- Rectification items -----------------------------------------------------------------


@requires("supervision.view_rectification")
@require_GET
def rectification_list(request):
    form = RectificationFilterForm(request.GET or None, user=request.user)
    status, overdue, root = "", False, None
    if form.is_valid():
        d = form.cleaned_data
        status, overdue, root = d["status"], d["overdue"], d["root"]
    qs = selectors.rectification_list(request.user, status=status, overdue=overdue, root=root)
    return render(
        request,
        "supervision/measures/item_list.html",
        {
            "form": form,
            "page": _page(request, qs),
            "query_string": _query_string(request),
            "is_office": inst_access.is_regulator(request.user),
            "can_open": request.user.has_perm("supervision.open_rectification"),
            "today": timezone.localdate(),
        },
    )


def _item_initial(request) -> dict:
    """The new-item form as a page links to it: ``?source=hotspot&institution=…&
    cause=…&business_line=…&period=…`` from a hot-spot cell, ``?source=measure&
    measure=…``, ``?source=complaint&complaint=…&institution=…``."""
    get = request.GET
    source = get.get("source", "")
    return {
        "source": source if source in RectificationSource.values else "",
        "institution": _int(get.get("institution")),
        "measure": _int(get.get("measure")),
        "complaint": _int(get.get("complaint")),
        "cause": _int(get.get("cause")),
        "business_line": _int(get.get("business_line")),
        "period": get.get("period", "")[:40],
        "source_ref": get.get("ref", "")[:300],
    }


@requires("supervision.open_rectification")
@require_http_methods(["GET", "POST"])
def rectification_new(request):
    form = ItemForm(request.POST or None, user=request.user, initial=_item_initial(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.rectification_open(
                actor=request.user,
                data=services.ItemData(
                    institution_id=d["institution"].pk,
                    source=d["source"],
                    requirement=d["requirement"],
                    working_days=d["working_days"],
                    due_on=d["due_on"],
                    measure_id=d["measure"],
                    complaint_id=d["complaint"],
                    source_ref=d["source_ref"],
                    cause_id=d["cause"],
                    business_line_id=d["business_line"],
                    period=d["period"],
                ),
            )
        except MeasureError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("已下发整改事项。"))
            return redirect("supervision:rectification_detail", pk=item.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "supervision/measures/item_form.html", {"form": form}, status=status)


def _item(request, pk):
    qs = access.rectification_list_for_user(request.user).select_related(
        "institution", "overseer", "measure", "complaint", "cause", "business_line", "opened_by"
    )
    return access.rectification_get_for_user(request.user, pk, queryset=qs)


def _detail(request, item, *, failed=None, status=200):
    forms = [
        (
            step,
            failed[1]
            if failed and failed[0] == step.name
            else STEP_FORMS[step.name](prefix=step.name),
        )
        for step in available_steps(request.user, item)
    ]
    return render(
        request,
        "supervision/measures/item_detail.html",
        {
            "item": item,
            "step_forms": forms,
            "open_step": failed[0] if failed else "",
            "documents": item.documents.select_related("uploaded_by"),
            "events": item.events.select_related("actor"),
        },
        status=status,
    )


@requires(None)
@require_GET
def rectification_detail(request, pk: int):
    return _detail(request, _item(request, pk))


@requires("supervision.view_rectification", per_object=True)
@require_POST
def rectification_step(request, pk: int, action: str):
    item = _item(request, pk)
    check_object(request, item)
    step = STEPS.get(action)
    if step is None:
        raise Http404
    form = STEP_FORMS[action](request.POST, request.FILES or None, prefix=action)
    if form.is_valid():
        try:
            rectification_act(
                actor=request.user, item_id=item.pk, action=action, **form.cleaned_data
            )
        except MeasureError as exc:
            _refused(form, exc)
            return _detail(request, _item(request, pk), failed=(action, form), status=exc.status)
        messages.success(request, _("已%(step)s。") % {"step": step.label})
        return redirect("supervision:rectification_detail", pk=item.pk)
    return _detail(request, item, failed=(action, form), status=422)


@requires(None)
@require_GET
def rectification_file(request, pk: int, doc_pk: int):
    item = _item(request, pk)
    doc = item.documents.filter(pk=doc_pk).first()
    if doc is None:
        raise Http404
    return document_response(doc, name=f"rectification-{item.pk}")
