"""Thin views: check the desk permission, parse input, call a selector or a service,
render. Pages of the desk answer 404 to users without it, and every object or
institution outside the user's scope is 404 too (ids cannot be probed)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaints import pii
from complaints import rows as complaint_rows
from complaints.rules import can_see_complaint
from complaints.selectors import complaint_detail_for_user
from config.routers import replica_reads
from institutions import access
from institutions.access.views import check_object, requires
from supervision import rules as sv_access

from . import selectors, services
from .forms import (
    CirculateForm,
    EnforcementCloseForm,
    EnforcementOpenForm,
    LibraryFilterForm,
    MajorFilterForm,
    RootForm,
    StatisticsForm,
    TypicalCaseForm,
)

PAGE_SIZE = 25


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_string(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _institution_param(request, name: str):
    """An institution id from the query string, fetched through the access policy
    (404 when missing or not visible); None when absent."""
    raw = request.GET.get(name)
    if not raw:
        return None
    return access.institution_get_for_user(request.user, raw)


#: How old a board's ``as_of`` may be and still set the list's clock: a board page
#: left open over lunch, not an instant nobody's board was counted at.
AS_OF_WINDOW = timedelta(days=1)


def _as_of_param(request):
    """The board's ``as_of`` (an aware ISO 8601 instant within the last
    ``AS_OF_WINDOW``); None when absent, not one, or outside it. Outside it, the
    list's local-day bounds could also fall off the calendar (year 1 or 9999)."""
    try:
        as_of = parse_datetime(request.GET.get("as_of", ""))
    except ValueError:
        return None
    if as_of is None or not timezone.is_aware(as_of):
        return None
    now = timezone.now()
    return as_of if now - AS_OF_WINDOW <= as_of <= now else None


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- The desk --------------------------------------------------------------------------


@requires("supervision.view_board")
@require_GET
def board(request):
    """督查看板."""
    root = _institution_param(request, "root")
    # Counts a few seconds behind are fine here: read them from the replica, if any.
    with replica_reads():
        board = selectors.supervision_board(request.user, root=root)
    return render(
        request,
        "supervision/board.html",
        {"board": board, "form": RootForm(request.GET or None, user=request.user)},
    )


@requires("supervision.view_board")
@require_GET
def board_cases(request):
    """The complaints behind one number of the board."""
    try:
        metric = selectors.metric(request.GET.get("metric", ""))
    except KeyError:
        raise Http404 from None
    root = _institution_param(request, "root")
    institution = _institution_param(request, "institution")
    own_level = request.GET.get("own") == "1"
    # The board's number was counted at as_of: the list evaluates its deadlines on
    # that clock, and names the number beside its own count when they differ.
    as_of = _as_of_param(request)
    cell = {
        "metric_key": metric.key,
        "root": root,
        "institution": institution,
        "own_level": own_level,
    }
    qs = selectors.board_complaints(request.user, now=as_of, **cell)
    counted = selectors.board_cell(request.user, as_of=as_of, **cell) if as_of else None
    page = _page(request, qs)
    return render(
        request,
        "supervision/board_cases.html",
        {
            "metric": metric,
            "root": selectors.board_root(request.user, root),
            "institution": institution,
            "own_level": own_level,
            "page": page,
            "as_of": as_of,
            "counted": counted,
            "rows": complaint_rows.present(complaint_rows.for_rows(page.object_list)),
            "query_string": _query_string(request),
        },
    )


@requires("supervision.view_board")
@require_GET
def major_list(request):
    """重大投诉."""
    root = _institution_param(request, "root")
    form = MajorFilterForm(request.GET or None, user=request.user)
    open_only = bool(form.is_valid() and form.cleaned_data.get("open_only"))
    qs = selectors.major_complaints(request.user, root=root, open_only=open_only)
    page = _page(request, qs)
    return render(
        request,
        "supervision/major_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(c, pii.party_for_list(c)) for c in page],
            "query_string": _query_string(request),
        },
    )


@requires("supervision.view_board")
@require_GET
def urge_list(request):
    """督办逾期."""
    root = _institution_param(request, "root")
    form = RootForm(request.GET or None, user=request.user)
    page = _page(request, selectors.overdue_urges(request.user, root=root))
    return render(
        request,
        "supervision/urge_list.html",
        {
            "form": form,
            "page": page,
            "urges": pii.urges_for_list(page),
            "query_string": _query_string(request),
        },
    )


@requires("supervision.view_board")
@require_GET
def statistics(request):
    """统计分析."""
    root = _institution_param(request, "root")
    form = StatisticsForm(request.GET or None, user=request.user)
    start, end = form.period()
    breakdowns = [
        ("by_kind", _("按类型（咨询/投诉/举报）"), ""),
        ("by_source", _("按投诉来源"), "intake_source"),
        ("by_business", _("按业务类别（B）"), "business"),
        ("by_cause", _("按投诉原因（C）"), "cause"),
        ("by_complexity", _("按复杂程度"), "complexity"),
        # Who rated the answer: the consumer on the portal, or staff by phone.
        ("by_rating", _("按满意度评价来源"), ""),
    ]
    # Figures a few seconds behind are fine here: read them from the replica, if any.
    with replica_reads():
        comparison = selectors.statistics_compared(request.user, start=start, end=end, root=root)
        tables = [
            (name, title, param, comparison.breakdown(name)) for name, title, param in breakdowns
        ]
        hotspots = selectors.complaint_hotspots(
            request.user, start=start, end=end, root=root, threshold=form.threshold()
        )
    root_inst = comparison.current.root
    return render(
        request,
        "supervision/statistics.html",
        {
            "form": form,
            "cmp": comparison,
            "current": comparison.current,
            "previous": comparison.previous,
            "breakdowns": tables,
            "hotspots": hotspots,
            # The complaint list's institution filter is a subtree by path; an office's
            # jurisdiction is the list's own scope.
            "list_institution": None if root_inst is None or root_inst.is_regulator else root_inst,
        },
    )


# --- The case archive ------------------------------------------------------------------


@requires("supervision.view_library")
@require_GET
def library(request):
    """案例库."""
    form = LibraryFilterForm(request.GET or None)
    page = _page(request, selectors.typical_case_library(request.user, form.filters()))
    return render(
        request,
        "supervision/library.html",
        {
            "form": form,
            "page": page,
            "can_author": sv_access.is_case_author(request.user),
            "query_string": _query_string(request),
        },
    )


def _case_context(request, case, *, circulate_form=None):
    user = request.user
    can_change = user.has_perm("supervision.change_typicalcase", case)
    return {
        "case": case,
        "party": selectors.masked_party(case.complaint),
        "can_change": can_change,
        "can_open_complaint": can_see_complaint(user, case.complaint),
        "circulations": selectors.circulation_status(case) if can_change else [],
        "circulate_form": circulate_form or (CirculateForm(user=user) if can_change else None),
        "receipt": selectors.read_receipt_for(user, case),
        "can_confirm": user.has_perm("supervision.confirm_read", case),
    }


@requires(None)
@require_GET
def case_detail(request, pk: int):
    case = selectors.typical_case_detail(request.user, pk)
    return render(request, "supervision/case_detail.html", _case_context(request, case))


@requires("supervision.add_typicalcase", per_object=True)
@require_http_methods(["GET", "POST"])
def case_create(request, complaint_pk: int):
    complaint = complaint_detail_for_user(request.user, complaint_pk)
    check_object(request, complaint)
    initial = {
        "title": " · ".join(
            x
            for x in (complaint.business and complaint.business.name, complaint.category.name)
            if x
        ),
        "handling_process": services.mask_personal_data(
            "\n".join(x for x in (complaint.findings, complaint.measures) if x), complaint
        ),
    }
    form = TypicalCaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.typical_case_create(
                actor=request.user, complaint_id=complaint.pk, data=form.to_data()
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("案例已保存，个人信息已脱敏。"))
            return redirect("supervision:case_detail", pk=case.pk)
    return render(
        request,
        "supervision/case_form.html",
        {"form": form, "complaint": complaint, "party": selectors.masked_party(complaint)},
    )


@requires("supervision.change_typicalcase", per_object=True)
@require_http_methods(["GET", "POST"])
def case_update(request, pk: int):
    case = selectors.typical_case_detail(request.user, pk)
    check_object(request, case)
    initial = {
        f: getattr(case, f)
        for f in ("title", "category", "cause_analysis", "handling_process", "lessons", "published")
    }
    form = TypicalCaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.typical_case_update(actor=request.user, case_id=case.pk, data=form.to_data())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("案例已修改。"))
            return redirect("supervision:case_detail", pk=case.pk)
    return render(
        request,
        "supervision/case_form.html",
        {
            "form": form,
            "case": case,
            "complaint": case.complaint,
            "party": selectors.masked_party(case.complaint),
        },
    )


@requires("supervision.circulate_typicalcase", per_object=True)
@require_POST
def case_circulate(request, pk: int):
    case = selectors.typical_case_detail(request.user, pk)
    check_object(request, case)
    form = CirculateForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            created = services.typical_case_circulate(
                actor=request.user,
                case_id=case.pk,
                institutions=form.cleaned_data["institutions"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("已通报 %(n)d 个机构，并通知其消保管理员。") % {"n": len(created)}
            )
            return redirect("supervision:case_detail", pk=case.pk)
    ctx = _case_context(request, case, circulate_form=form)
    return render(request, "supervision/case_detail.html", ctx, status=422)


@requires("supervision.confirm_read", per_object=True)
@require_POST
def case_confirm_read(request, pk: int):
    case = selectors.typical_case_detail(request.user, pk)
    check_object(request, case)
    try:
        services.typical_case_confirm_read(user=request.user, case_id=case.pk)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("已确认阅知。"))
    return redirect("supervision:case_detail", pk=case.pk)


# --- Enforcement cases (诉转案) ----------------------------------------------------------


@requires("supervision.view_enforcementcase")
@require_GET
def enforcement_list(request):
    root = _institution_param(request, "root")
    form = RootForm(request.GET or None, user=request.user)
    page = _page(request, selectors.enforcement_cases(request.user, root=root))
    return render(
        request,
        "supervision/enforcement_list.html",
        {"form": form, "page": page, "query_string": _query_string(request)},
    )


@requires("supervision.add_enforcementcase", per_object=True)
@require_http_methods(["GET", "POST"])
def enforcement_create(request, complaint_pk: int):
    complaint = complaint_detail_for_user(request.user, complaint_pk)
    check_object(request, complaint)
    form = EnforcementOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.enforcement_open(
                actor=request.user, complaint_id=complaint.pk, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已立案：%(no)s") % {"no": case.case_no})
            return redirect("supervision:enforcement_detail", pk=case.pk)
    return render(
        request, "supervision/enforcement_form.html", {"form": form, "complaint": complaint}
    )


def _enforcement(request, pk: int):
    qs = sv_access.enforcement_list_for_user(request.user).select_related(
        "complaint", "institution", "office", "opened_by", "closed_by"
    )
    return sv_access.enforcement_get_for_user(request.user, pk, queryset=qs)


@requires(None)
@require_GET
def enforcement_detail(request, pk: int):
    case = _enforcement(request, pk)
    return render(
        request,
        "supervision/enforcement_detail.html",
        {
            "case": case,
            "close_form": EnforcementCloseForm()
            if case.status == "open"
            and request.user.has_perm("supervision.change_enforcementcase", case)
            else None,
        },
    )


@requires("supervision.change_enforcementcase", per_object=True)
@require_POST
def enforcement_close(request, pk: int):
    case = _enforcement(request, pk)
    check_object(request, case)
    form = EnforcementCloseForm(request.POST)
    if form.is_valid():
        try:
            services.enforcement_close(
                actor=request.user, case_id=case.pk, result=form.cleaned_data["result"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已结案。"))
            return redirect("supervision:enforcement_detail", pk=case.pk)
    return render(
        request,
        "supervision/enforcement_detail.html",
        {"case": case, "close_form": form},
        status=422,
    )
