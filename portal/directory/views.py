"""Public pages of the directory (no login) and the office's chase list (signed in,
declared permission). Views only parse and render; the reads are in selectors."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from convention.selectors import public_signatures
from institutions.access.views import requires
from institutions.enums import InstitutionKind

from . import poster as posters
from . import selectors
from .forms import DirectorySearchForm


def _channels(inst, office) -> dict:
    return {
        "inst": inst,
        "office": office,
        "hotlines": selectors.hotlines(office),
        "is_office": inst.kind == InstitutionKind.REGULATOR,
    }


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    """投诉渠道公示: the whole jurisdiction grouped by bank, or a search."""
    form = DirectorySearchForm(request.GET)
    if not form.is_valid():
        return render(
            request, "portal/directory/directory.html", {"form": form, "invalid": True}, status=400
        )
    query = form.cleaned_data["q"] or ""
    bank_pk = form.cleaned_data["bank"]
    bank = selectors.bank_get_public(bank_pk) if bank_pk else None
    found = selectors.directory_for(query=query, bank=bank)
    # 已签署《公约》 beside each institution that signed the convention in force
    # itself (its page also shows the signature of the bank above it). One query.
    groups = [group for section in found.sections for group in section.banks]
    listed = [m for g in groups for m in g.members]
    signed = public_signatures(listed, inherit=False)
    for inst in listed:
        inst.convention_signature = signed.get(inst.pk)
    return render(
        request,
        "portal/directory/directory.html",
        {"form": form, "directory": found, "query": query, "bank": bank},
    )


@require_GET
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    """One institution's published channels."""
    inst, office = selectors.institution_get_public(pk)
    context = _channels(inst, office)
    context["complain_url"] = f"{reverse('portal:complain')}?to={inst.pk}"
    context["convention_signature"] = public_signatures([inst]).get(inst.pk)
    return render(request, "portal/directory/institution.html", context)


@require_GET
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable A4 poster of an institution (not of the office itself)."""
    inst, office = selectors.institution_get_public(pk)
    if inst.kind == InstitutionKind.REGULATOR:
        raise Http404
    url = posters.complaint_url(inst)
    context = _channels(inst, office)
    context["qr_url"] = url
    context["qr_svg"] = posters.qr_svg(url, title=_("扫码网上投诉"))
    return render(request, "portal/directory/poster.html", context)


@require_GET
def poster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same poster as a one-page A4 PDF (for a print shop)."""
    inst, office = selectors.institution_get_public(pk)
    if inst.kind == InstitutionKind.REGULATOR:
        raise Http404
    body = posters.render_pdf(inst, office, selectors.hotlines(office))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"poster-{inst.pk}.pdf")
    return response


@requires("supervision.chase_directory")
@require_GET
def incomplete(request: HttpRequest) -> HttpResponse:
    """公示信息待补全: the office's list of institutions to chase."""
    page = Paginator(selectors.incomplete_for_user(request.user), selectors.STAFF_PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    rows = [
        (inst, [selectors.field_label(name) for name in selectors.missing_fields(inst)])
        for inst in page
    ]
    return render(
        request,
        "portal/directory/incomplete.html",
        {
            "page": page,
            "rows": rows,
            "query_string": "",
        },
    )
