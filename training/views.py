"""Thin views of the training records: declare the permission, parse, call a
selector or the service, render. Anything outside the user's scope is 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from institutions import access, tree
from institutions.access.views import check_object, requires
from institutions.enums import InstitutionKind

from . import rules, selectors, services
from .errors import TrainingError
from .forms import PeriodForm, SessionForm

PAGE_SIZE = 25


def _units(user):
    """The institutions whose totals head the list: an office's banks, or a
    manager's own institution and the branches directly below it."""
    visible = access.institutions_visible_to(user).filter(is_active=True)
    home = user.institution
    if home is not None and home.kind == InstitutionKind.REGULATOR:
        return list(visible.filter(tree.bank_roots_q()).order_by("path"))
    if home is None:
        return list(visible.filter(tree.bank_roots_q()).order_by("path"))
    return list(visible.filter(pk=home.pk)) + list(visible.filter(parent=home).order_by("path"))


@requires("training.view_trainingsession")
@require_GET
def session_list(request):
    form = PeriodForm(request.GET or None)
    starts_on, ends_on = form.period()
    units = _units(request.user)
    figures = selectors.training_figures(institutions=units, starts_on=starts_on, ends_on=ends_on)
    page = Paginator(
        selectors.training_list(request.user, starts_on=starts_on, ends_on=ends_on), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/list.html",
        {
            "form": form,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "totals": [(u, figures[u.pk]) for u in units],
            "page": page,
            "query_string": query.urlencode(),
            "can_record": request.user.has_perm("training.add_trainingsession"),
        },
    )


@requires("training.add_trainingsession")
@require_http_methods(["GET", "POST"])
def session_create(request):
    form = SessionForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        named_inst = data.get("named_institution")
        try:
            session = services.training_record(
                actor=request.user,
                data=services.SessionData(
                    organiser_id=data["organiser"].pk,
                    held_on=data["held_on"],
                    topic=data["topic"],
                    hours=data["hours"],
                    content=data["content"],
                    staff_ids=[u.pk for u in data["staff"]],
                    named=[(n, named_inst.pk) for n in data["named"]] if named_inst else [],
                    materials=data["materials"],
                ),
            )
        except TrainingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.messages)
        else:
            messages.success(request, _("培训记录已登记。"))
            return redirect("training:detail", pk=session.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "training/form.html", {"form": form}, status=status)


@requires("training.view_trainingsession", per_object=True)
@require_GET
def session_detail(request, pk: int):
    session = rules.training_get_for_user(request.user, pk)
    check_object(request, session)
    organiser_side = request.user.has_perm("training.change_trainingsession", session)
    return render(
        request,
        "training/detail.html",
        {
            "session": session,
            "trainees": selectors.trainees_for(request.user, session),
            "materials": session.materials.all() if organiser_side else None,
        },
    )


@requires("training.change_trainingsession", per_object=True)
@require_GET
def material_download(request, pk: int, material_pk: int):
    """A course file, to those on the organiser's side only (a sign-in sheet names
    everyone present)."""
    session = rules.training_get_for_user(request.user, pk)
    check_object(request, session)
    material = session.materials.filter(pk=material_pk).first()
    if material is None:
        raise Http404
    try:
        content = material.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    ext = material.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        content,
        content_type=material.content_type,
        as_attachment=True,
        filename=f"training-{session.pk}-{material.pk}.{ext}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store"
    return response


@requires("training.view_trainingsession")
@require_GET
def staff_history(request, user_pk: int):
    """One staff member's training history (their sessions, hours in total)."""
    staff = selectors.staff_get_for_user(request.user, user_pk)
    rows = list(selectors.staff_history(staff))
    return render(
        request,
        "training/staff.html",
        {"staff": staff, "rows": rows, "total_hours": sum(r.session.hours for r in rows)},
    )


@requires("training.view_trainingsession")
@require_GET
def institution_totals(request, pk: int):
    """An institution's (subtree's) sessions, trainees and person-hours in a period,
    with the trainee rows behind them."""
    inst = access.institution_get_for_user(request.user, pk)
    form = PeriodForm(request.GET or None)
    starts_on, ends_on = form.period()
    figures = selectors.training_figures(institutions=[inst], starts_on=starts_on, ends_on=ends_on)[
        inst.pk
    ]
    return render(
        request,
        "training/institution.html",
        {
            "inst": inst,
            "form": form,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "figures": figures,
            "rows": selectors.institution_trainees(
                request.user, inst, starts_on=starts_on, ends_on=ends_on
            ),
        },
    )
