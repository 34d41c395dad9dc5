"""Quarterly report packs (queued, with progress) and the import of historical
complaints (preview, then all or nothing)."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints import import_template, imports
from complaints.enums import ComplaintStatus
from complaints.errors import WorkflowError
from complaints.imports import hotline
from institutions.resources import neutralise
from reports.rules import (
    can_generate_reports,
    can_import_history,
    report_pack_get_for_user,
    report_packs_visible_to,
)

from . import history, services
from .forms import HotlineForm, ImportForm, PackForm

# The job page lists this many errors; the CSV has all that were kept.
ERRORS_SHOWN = 500


def _require(predicate, user):
    if not predicate(user):
        raise Http404


@login_required
def pack_index(request):
    _require(can_generate_reports, request.user)
    form = PackForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            pack = services.report_pack_request(user=request.user, **form.cleaned_data)
        except WorkflowError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("已开始生成报表，完成后可在此下载。"))
            return redirect("reports:pack", pk=pack.pk)
    packs = report_packs_visible_to(request.user).select_related("root", "requested_by")[:50]
    ctx = {
        "form": form,
        "packs": packs,
        "can_import_hotline": hotline.can_import_hotline(request.user),
    }
    return render(request, "reports/index.html", ctx)


@login_required
def pack_detail(request, pk):
    pack = report_pack_get_for_user(request.user, pk)
    template = "reports/_progress.html" if request.htmx else "reports/pack.html"
    return render(request, template, {"pack": pack})


@login_required
def pack_download(request, pk):
    pack = report_pack_get_for_user(request.user, pk)
    if pack.status != pack.Status.DONE or not pack.file:
        raise Http404
    response = FileResponse(
        pack.file.open("rb"),
        as_attachment=True,
        filename=f"季度报表-{pack.root.code}-{pack.year}Q{pack.quarter}.xlsx",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def history_import(request):
    """Upload a file; the worker validates it (the job page shows the progress)."""
    _require(can_import_history, request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = history.history_import_start(user=request.user, upload=form.cleaned_data["file"])
        return redirect("reports:import_job", pk=job.pk)
    ctx = {
        "form": form,
        "columns": list(imports.COLUMNS),
        "required": imports.REQUIRED,
        "jobs": history.history_imports_of(request.user)[:10],
    }
    return render(request, "reports/import.html", ctx, status=422 if form.errors else 200)


@login_required
def history_import_job(request, pk):
    job = history.history_import_get_for_user(request.user, pk)
    percent, step = history.live_progress(job)
    ctx = {
        "job": job,
        "percent": percent,
        "step": step,
        "errors_shown": job.errors[:ERRORS_SHOWN],
        "status_labels": dict(ComplaintStatus.choices),
    }
    if request.htmx and job.busy:
        return render(request, "reports/_import_progress.html", ctx)
    return render(request, "reports/import_job.html", ctx)


@login_required
@require_POST
def history_import_confirm(request, pk):
    job = history.history_import_get_for_user(request.user, pk)
    try:
        history.history_import_confirm(user=request.user, job=job)
    except WorkflowError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已开始导入，完成前请勿重复提交。"))
    return redirect("reports:import_job", pk=job.pk)


@login_required
@require_POST
def history_import_cancel(request, pk):
    job = history.history_import_get_for_user(request.user, pk)
    try:
        history.history_import_cancel(user=request.user, job=job)
    except WorkflowError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已取消导入，上传的文件已删除。"))
    return redirect("reports:import")


@login_required
def history_import_errors(request, pk):
    """Every kept error as CSV (the page shows the first ones)."""
    job = history.history_import_get_for_user(request.user, pk)
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 CSV with a BOM correctly
    writer = csv.writer(out)
    writer.writerow([_("行号"), _("列"), _("原因")])
    for row, column, message in job.errors:
        writer.writerow([row, neutralise(column), neutralise(message)])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "导入错误.csv")
    return response


@login_required
def history_import_template(request):
    """The xlsx template: header, an example row, the code lists (the importer's own
    column definitions; complaints.import_template)."""
    _require(can_import_history, request.user)
    response = HttpResponse(
        import_template.template_xlsx(request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, "历史投诉导入模板.xlsx")
    return response


@login_required
def hotline_import(request):
    """Upload a 12378 / 12363 transfer list: every order is registered (and
    dispatched when the row says to whom), or none; the errors name the rows."""
    _require(hotline.can_import_hotline, request.user)
    form = HotlineForm(request.POST or None, request.FILES or None)
    ctx = {"form": form, "columns": hotline.COLUMNS, "required": hotline.REQUIRED}
    if request.method != "POST":
        return render(request, "reports/hotline.html", ctx)
    if not form.is_valid():
        return render(request, "reports/hotline.html", ctx, status=400)
    upload = form.cleaned_data["file"]
    try:
        result = hotline.hotline_import(actor=request.user, name=upload.name, stream=upload.file)
    except hotline.HotlineRefused as refused:
        ctx.update(errors=refused.errors[:ERRORS_SHOWN], error_count=len(refused.errors))
        return render(request, "reports/hotline.html", ctx, status=422)
    messages.success(
        request,
        _("已导入 %(n)d 件热线转办，其中 %(d)d 件已分办。")
        % {"n": len(result.complaints), "d": result.dispatched},
    )
    return redirect("reports:hotline")
