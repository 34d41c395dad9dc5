"""Quarterly report packs (queued, with progress) and the import of historical
complaints (preview, then all or nothing)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints import import_template, imports
from complaints.errors import WorkflowError
from reports.rules import (
    can_generate_reports,
    can_import_history,
    report_pack_get_for_user,
    report_packs_visible_to,
)

from . import services
from .forms import ImportForm, PackForm

IMPORT_DIR = Path(settings.MEDIA_ROOT) / "imports"
SESSION_KEY = "history_import"


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
    return render(request, "reports/index.html", {"form": form, "packs": packs})


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
    _require(can_import_history, request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    ctx = {"form": form, "columns": list(imports.COLUMNS), "required": imports.REQUIRED}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            rows = imports.read_table(upload.name, content)
        except ValueError as e:
            form.add_error("file", str(e))
            return render(request, "reports/import.html", ctx, status=422)
        result = imports.preview(actor=request.user, rows=rows)
        ctx.update(result=result, filename=upload.name)
        if result.ok:
            IMPORT_DIR.mkdir(parents=True, exist_ok=True)
            token = uuid.uuid4().hex
            (IMPORT_DIR / token).write_bytes(content)
            request.session[SESSION_KEY] = {"token": token, "name": upload.name}
            ctx["token"] = token
        return render(request, "reports/import.html", ctx, status=200 if result.ok else 422)
    return render(request, "reports/import.html", ctx)


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
@require_POST
def history_import_confirm(request):
    _require(can_import_history, request.user)
    pending = request.session.get(SESSION_KEY) or {}
    if not pending or request.POST.get("token") != pending.get("token"):
        messages.error(request, _("导入已失效，请重新上传文件。"))
        return redirect("reports:import")
    path = IMPORT_DIR / pending["token"]
    try:
        rows = imports.read_table(pending["name"], path.read_bytes())
        # Validated again: data may have changed since the preview.
        result = imports.preview(actor=request.user, rows=rows)
        if not result.ok:
            messages.error(request, _("数据已变化，请重新预览。"))
            return redirect("reports:import")
        created = imports.import_rows(
            actor=request.user, preview_result=result, source=pending["name"]
        )
    finally:
        path.unlink(missing_ok=True)
        request.session.pop(SESSION_KEY, None)
    messages.success(request, _("已导入 %(n)d 件历史投诉。") % {"n": len(created)})
    return redirect("complaints:list")
