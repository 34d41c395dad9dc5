"""Thin views: parse input, call a selector or the workflow, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.forms import FileField
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from complaints import rules as complaint_access
from institutions import access
from institutions.access.views import requires
from institutions.forms import NO_CHOICE

from . import (
    answer_templates,
    bulk,
    downloads,
    exports,
    pdf,
    pii,
    printform,
    rows,
    selectors,
    services,
    workflow,
)
from .errors import WorkflowError
from .forms import (
    ACTION_FORMS,
    AnswerTemplateForm,
    BulkActionForm,
    DispatchForm,
    IntakeEvidenceForm,
    IntakeForm,
    ListFilterForm,
    eligible_handlers,
    filters_from_form,
    staff_label,
)

PAGE_SIZE = 25


@login_required
def home(request):
    """我的工作台."""
    user = request.user
    ctx = {"institution": user.institution}
    if user.institution_id:
        ctx["queues"] = selectors.work_queues(user)

        def first_rows(filters: selectors.ComplaintFilters):
            qs = selectors.complaint_list_for_user(user, filters, sort="due")
            return _present(user, rows.for_rows(qs)[:10])

        ctx["due_today"] = first_rows(selectors.ComplaintFilters(due_today=True))
        ctx["overdue"] = first_rows(selectors.ComplaintFilters(overdue=True))
        ctx["mine"] = first_rows(
            selectors.ComplaintFilters(
                mine=True, status=["assigned", "in_progress", "registered", "resolved"]
            )
        )
        ctx["can_register"] = complaint_access.can_register(user)
    return render(request, "complaints/home.html", ctx)


def _present(user, values) -> list[dict]:
    """List rows, those waiting for the user's approval marked (one query more)."""
    values = list(values)
    awaiting = selectors.awaiting_approval_among(user, [v["pk"] for v in values])
    return rows.present(values, awaiting=awaiting)


def _list_query(params: QueryDict) -> str:
    """The list's filters as a query string, without the page number."""
    query = params.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def complaint_list(request):
    form = ListFilterForm(request.GET or None, user=request.user)
    filters, sort = filters_from_form(form)
    qs = selectors.complaint_list_for_user(request.user, filters, sort=sort)
    paginator = selectors.BoundedPaginator(
        qs,
        PAGE_SIZE,
        rows=rows.for_rows,
        count_in_order=selectors.count_in_list_order(filters),
    )
    page = paginator.get_page(request.GET.get("page"))
    query_string = _list_query(request.GET)
    selectable = bulk.may_bulk_act(request.user)
    return render(
        request,
        "complaints/list.html",
        {
            "form": form,
            "page": page,
            "rows": _present(request.user, page),
            "query_string": query_string,
            "selectable": selectable,
            "bulk_form": (
                BulkActionForm(initial={"query": query_string}, user=request.user)
                if selectable
                else None
            ),
        },
    )


def _back_to_list(query: str):
    # Re-encoded: only a query string of our own list, never another address.
    return redirect(reverse("complaints:list") + "?" + QueryDict(query).urlencode())


@requires(None)  # each complaint is checked by complaint_act
@require_POST
def complaint_bulk(request):
    """批量分办 / 批量归档: each ticked complaint through the workflow (complaints.bulk);
    says how many were done and why each refused one was refused."""
    if not bulk.may_bulk_act(request.user):
        raise Http404
    form = BulkActionForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_list(request.POST.get("query", ""))
    action = form.cleaned_data["action"]
    result = bulk.complaint_bulk_act(
        actor=request.user,
        action=action,
        complaint_ids=form.cleaned_data["pks"],
        **form.action_data(),
    )
    label = workflow.ACTIONS[action].label
    if result.done:
        messages.success(
            request,
            _("批量%(a)s：已完成 %(n)d 件。") % {"a": label, "n": len(result.done)},
        )
    for refused in result.refused:
        messages.error(
            request,
            _("%(no)s 未%(a)s：%(reason)s")
            % {"no": refused.tracking_no or "—", "a": label, "reason": refused.reason},
        )
    return _back_to_list(form.cleaned_data.get("query") or "")


@requires(None)  # the rows come from the list's scoping selector
@require_POST
def complaint_export(request):
    """导出 Excel with the list's filters (the list's query string, posted back)."""
    query = QueryDict(request.POST.get("query", ""))
    form = ListFilterForm(query or None, user=request.user)
    filters, sort = filters_from_form(form)
    export = exports.export_request(
        owner=request.user, query=_list_query(query), filters=filters, sort=sort
    )
    if export.state == export.State.DONE:
        return redirect("complaints:export_download", pk=export.pk)
    return redirect("complaints:export_status", pk=export.pk)


@requires(None)  # the owner's own export (exports.export_get_for_owner)
@require_GET
def export_status(request, pk: int):
    """The progress of a large export; htmx asks for the box again until it is done."""
    export = exports.export_get_for_owner(request.user, pk)
    template = "complaints/_export_progress.html" if request.htmx else "complaints/export.html"
    return render(request, template, {"export": export})


@requires(None)  # the owner's own export (exports.export_get_for_owner)
@require_GET
def export_download(request, pk: int):
    export = exports.export_get_for_owner(request.user, pk)
    if export.state != export.State.DONE or not export.file or export.expires_at < timezone.now():
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


#: Lookups of earlier complaints one user may make per minute: the page asks once a
#: pause in typing (static/js/intake.js); far more is a script walking numbers.
EARLIER_PER_MINUTE = 30


def _too_many_lookups(user) -> bool:
    key = f"complaints:earlier:{user.pk}:{int(timezone.now().timestamp()) // 60}"
    cache.add(key, 0, timeout=120)
    return cache.incr(key) > EARLIER_PER_MINUTE


@requires("complaints.add_complaint")
@require_GET
def earlier_complaints(request):
    """The customer's earlier complaints while a teller types the phone or ID number
    on the intake form (an HTML fragment under the field, static/js/intake.js)."""
    if _too_many_lookups(request.user):
        return HttpResponse(status=429)
    qs = selectors.earlier_complaints_for_user(
        request.user,
        phone=request.GET.get("complainant_phone", ""),
        id_number=request.GET.get("id_number", ""),
    )
    return render(request, "complaints/_earlier.html", {"earlier": rows.present(rows.for_rows(qs))})


@login_required
def complaint_create(request):
    user = request.user
    if not complaint_access.can_register(user):
        raise Http404
    is_regulator = bool(user.institution and user.institution.is_regulator)
    form = IntakeForm(request.POST or None, user=user)
    dispatch = DispatchForm(request.POST or None, user=user, prefix="d") if is_regulator else None
    evidence = IntakeEvidenceForm(request.POST or None, request.FILES or None, prefix="e")
    posted = request.method == "POST"
    if (
        posted
        and form.is_valid()
        and evidence.is_valid()
        and (dispatch is None or dispatch.is_valid())
    ):
        data = {**form.cleaned_data, **evidence.cleaned_data}
        try:
            if dispatch is not None and dispatch.cleaned_data.get("dispatch_institution"):
                data["dispatch_note"] = dispatch.cleaned_data.get("dispatch_note", "")
                complaint, warnings = services.complaint_dispatch(
                    actor=user,
                    data=data,
                    institution=dispatch.cleaned_data["dispatch_institution"],
                    handler=dispatch.cleaned_data["dispatch_handler"],
                )
            else:
                complaint, warnings = services.complaint_register(actor=user, data=data)
        except WorkflowError as e:
            messages.error(request, e.message)
        else:
            for w in warnings:
                messages.warning(request, w)
            messages.success(
                request,
                _("投诉已登记，编号 %(no)s。请告知客户此编号。") % {"no": complaint.tracking_no},
            )
            return redirect("complaints:detail", pk=complaint.pk)
    return render(
        request,
        "complaints/intake.html",
        {
            "form": form,
            "dispatch": dispatch,
            "evidence": evidence,
            "duplicates": form.duplicates,
            # A browser cannot keep chosen files across a refused POST: say so.
            "files_dropped": posted and bool(request.FILES),
        },
    )


#: The session key under which a refused action form waits for the detail page.
KEPT_FORM = "complaints:refused_action_form"


def _kept_form(request, complaint) -> tuple[str, object]:
    """The action form refused on the last POST for this complaint, bound to what was
    submitted (so its field errors show again), and its action; or ("", None)."""
    kept = request.session.pop(KEPT_FORM, None)
    if not kept or kept.get("pk") != complaint.pk or kept.get("action") not in ACTION_FORMS:
        return "", None
    form = _action_form(kept["action"], complaint, request.user, data=MultiValueDict(kept["data"]))
    form.is_valid()
    return kept["action"], form


def _action_form(action: str, complaint, user, data=None):
    """The detail page shows one form per offered action, several with the same
    fields (version, reason, note): each gets its own ids (id_<action>-<field>) so a
    label points at its own field. Only the ids change, not the field names, so
    complaint_act, the API and anyone posting plain names read the same data."""
    return ACTION_FORMS[action](data, complaint=complaint, user=user, auto_id=f"id_{action}-%s")


def _shown(view: pii.ComplaintView, complaint) -> dict:
    """What the detail page and the print form show of the complaint, every text
    through the view's masks (complaints.pii)."""
    timeline = view.timeline(selectors.timeline_for(complaint))
    return {
        "c": complaint,
        "party": view.party,
        "text": view.text,
        "timeline": timeline,
        "earlier_answers": selectors.earlier_answers(complaint, timeline),
        "extension": selectors.approved_extension(complaint),
        "extensions": view.extensions(complaint.extensions.all()),
        # The case file; the uploaded names pass the same masks as the free text.
        "attachments": view.attachments(selectors.case_file(complaint)),
    }


def _detail_context(request, complaint, *, view=None):
    open_action, bound_form = _kept_form(request, complaint)
    forms = []
    for action in workflow.available_actions(request.user, complaint):
        if bound_form is not None and action.name == open_action:
            form = bound_form
        else:
            form = _action_form(action.name, complaint, request.user)
        forms.append((action, form))
    view = view or pii.complaint_for_detail(request, complaint)
    return {
        **_shown(view, complaint),
        "action_forms": forms,
        "open_action": open_action,
        "urges": view.urges(complaint.urges.select_related("urged_by")[:20]),
        "answer_templates": (
            answer_templates.offered(complaint, view.party)
            if any(action.name == "answer" for action, _form in forms)
            else []
        ),
    }


@login_required
def complaint_detail(request, pk: int):
    complaint = selectors.complaint_page_for_user(request.user, pk)
    return render(request, "complaints/detail.html", _detail_context(request, complaint))


def _back_to_form(request, complaint, action: str, form):
    """Post/Redirect/Get, refusals included: the submitted fields wait in the session
    for the detail page, which shows the form open with its errors; a refresh then
    reloads the page instead of posting again."""
    request.session[KEPT_FORM] = {
        "pk": complaint.pk,
        "action": action,
        "data": {
            name: request.POST.getlist(form.add_prefix(name))
            for name, field in form.fields.items()
            if not isinstance(field, FileField)  # files cannot wait in a session
        },
    }
    return redirect(reverse("complaints:detail", args=[complaint.pk]) + f"#action-{action}")


@login_required
@require_POST
def complaint_act(request, pk: int, action: str):
    complaint = selectors.complaint_detail_for_user(request.user, pk)  # 404 first
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES, complaint=complaint, user=request.user)
    if form.is_valid():
        try:
            done = workflow.complaint_act(
                actor=request.user,
                complaint_id=complaint.pk,
                action=action,
                expected_version=form.cleaned_data["version"],
                **form.action_data(),
            )
        except WorkflowError as e:
            messages.error(request, e.message)
            return _back_to_form(request, complaint, action, form)
        messages.success(request, _("已完成：%(a)s") % {"a": workflow.ACTIONS[action].label})
        if not complaint_access.can_see_complaint(request.user, done):
            # Escalated out of the actor's sight: the detail page would now be a 404.
            messages.info(
                request,
                _("投诉 %(no)s 已移交%(inst)s办理，您已无权继续查看。")
                % {"no": done.tracking_no, "inst": done.handling_institution.name},
            )
            return redirect("complaints:list")
        return redirect("complaints:detail", pk=pk)
    messages.error(request, _("请修正表单中的错误。"))
    for name, field in form.fields.items():
        if isinstance(field, FileField):  # files cannot wait in the session: say why here
            for error in form.errors.get(name, []):
                messages.error(request, error)
    return _back_to_form(request, complaint, action, form)


@login_required
@require_POST
def complaint_reveal(request, pk: int):
    complaint = selectors.complaint_page_for_user(request.user, pk)
    if not complaint_access.may_reveal_pii(request.user, complaint):
        raise Http404
    # The whole page in full (htmx swaps its main part in place): the party and
    # every text, logged with the fields that showed more than the detail level.
    view = pii.complaint_revealed(request, complaint)
    return render(request, "complaints/detail.html", _detail_context(request, complaint, view=view))


@login_required
@require_GET
def complaint_attachment(request, pk: int, attachment_pk: int):
    """An evidence file, only through its complaint's scope (missing and not visible
    alike are 404). Served with the type decided from its content at upload,
    ``nosniff`` and a sandboxing CSP, never cached; each download is written to the
    personal-data access log."""
    complaint = selectors.complaint_detail_for_user(request.user, pk)
    attachment = selectors.attachment_for(complaint, attachment_pk)
    return downloads.attachment_response(
        request, complaint, attachment, download=request.GET.get("download") == "1"
    )


@login_required
def complaint_print(request, pk: int):
    complaint = selectors.complaint_detail_for_user(request.user, pk)
    view = pii.complaint_for_detail(request, complaint)
    return render(
        request, "complaints/print.html", {"c": complaint, "form": _print_form(view, complaint)}
    )


@login_required
@require_GET
def complaint_print_pdf(request, pk: int):
    """The same form as a PDF, masked and logged exactly as the print page."""
    complaint = selectors.complaint_detail_for_user(request.user, pk)
    view = pii.complaint_for_detail(request, complaint)
    response = HttpResponse(
        pdf.render(_print_form(view, complaint)), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{complaint.tracking_no}.pdf"
    )
    return response


def _print_form(view: pii.ComplaintView, complaint) -> printform.PrintForm:
    shown = _shown(view, complaint)
    return printform.build(
        complaint=complaint,
        party=shown["party"],
        text=shown["text"],
        timeline=shown["timeline"],
        earlier_answers=shown["earlier_answers"],
        attachments=shown["attachments"],
    )


@login_required
@require_GET
def staff_options(request):
    """<option>s of the staff of a complained-about institution (the intake form
    reloads them when the institution changes)."""
    try:
        inst = access.institution_get_for_user(request.user, int(request.GET.get("institution")))
    except (TypeError, ValueError):
        return _options(request, [])
    staff = selectors.complained_staff_candidates(inst)
    return _options(request, [(u.pk, staff_label(u)) for u in staff])


def _options(request, options: list[tuple[int, str]]):
    return render(request, "complaints/_options.html", {"empty": NO_CHOICE, "options": options})


@login_required
@require_GET
def handler_options(request):
    """<option>s of eligible handlers for an institution (htmx)."""
    try:
        inst = access.institution_get_for_user(request.user, int(request.GET.get("institution")))
    except (TypeError, ValueError):
        return _options(request, [])
    exclude = request.GET.get("exclude")
    handlers = eligible_handlers(request.user, inst)
    if exclude and exclude.isdigit():
        handlers = handlers.exclude(pk=int(exclude))
    return _options(request, [(u.pk, staff_label(u)) for u in handlers])


# --- 答复模板 (answer templates), kept by managers ----------------------------------------


@requires("complaints.manage_answer_templates")
@require_GET
def answer_template_list(request):
    """The answer templates of the manager's scope (own institution and below; the
    office: its jurisdiction)."""
    return render(
        request,
        "complaints/answer_templates.html",
        {"templates": answer_templates.templates_managed_by(request.user)},
    )


@requires("complaints.manage_answer_templates")
def answer_template_edit(request, pk: int | None = None):
    """Add or change a template; one outside the manager's scope is 404."""
    template = None
    if pk is not None:
        template = get_object_or_404(answer_templates.templates_managed_by(request.user), pk=pk)
    form = AnswerTemplateForm(request.POST or None, instance=template, user=request.user)
    if request.method == "POST" and form.is_valid():
        answer_templates.template_save(actor=request.user, template=form.instance)
        messages.success(request, _("答复模板已保存。"))
        return redirect("complaints:answer_templates")
    return render(
        request, "complaints/answer_template_form.html", {"form": form, "template": template}
    )
