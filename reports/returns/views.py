"""The regulator return page: choose the format, period and scope; the file is
computed, checked and downloaded in the one request, or refused with what is wrong
(the codes still to map, or figures that disagree with the statistics page)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from institutions.access import can_use_admin
from institutions.access.views import requires

from .codes import missing_official_codes, taxonomy_mapping
from .forms import ReturnForm
from .generate import return_generate
from .render import FORMATS
from .render import render as render_return


@requires("reports.download_return")
def return_index(request):
    """GET without parameters shows the form; with them, the file or the refusal."""
    bound = "definition" in request.GET
    form = ReturnForm(request.GET if bound else None, user=request.user)
    ctx = {"form": form, "missing_total": missing_official_codes().count()}
    if not bound:
        return render(request, "reports/returns/index.html", ctx)
    if not form.is_valid():
        return render(request, "reports/returns/index.html", ctx, status=400)
    data = form.cleaned_data
    ret = return_generate(
        user=request.user, definition=data["definition"], period=data["period"], root=data["root"]
    )
    if not ret.ok:
        ctx.update(ret=ret, can_edit_codes=can_use_admin(request.user))
        return render(request, "reports/returns/index.html", ctx, status=422)
    fmt = data["format"]
    response = HttpResponse(render_return(ret, fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"{ret.filename_stem}.{fmt}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires("reports.download_return")
def return_codes(request):
    """Our taxonomy beside the official JR/T 0169-2018 codes, the missing ones
    marked; the office edits them in the admin (the link is shown to who may)."""
    only_missing = request.GET.get("missing") == "1"
    codes = missing_official_codes() if only_missing else taxonomy_mapping()
    ctx = {
        "codes": codes,
        "only_missing": only_missing,
        "missing_total": missing_official_codes().count(),
        "can_edit_codes": request.user.has_perm("complaints.change_taxonomycode"),
    }
    return render(request, "reports/returns/codes.html", ctx)
