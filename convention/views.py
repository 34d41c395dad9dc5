"""Thin views of the convention: declare the permission, parse, call a selector or
a service, render. A version of another office is 404."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from institutions.access.views import requires

from . import rules, selectors, services
from .errors import ConventionError
from .forms import PublishForm, SignForm


@requires("convention.view_conventionversion")
@require_GET
def index(request):
    """The office: the version in force and who has (not) signed it; an institution:
    the text in force and its own signatures."""
    user = request.user
    current = selectors.current_version(rules.office_of(user))
    is_office = user.has_perm("convention.add_conventionversion")
    rows = selectors.signature_status(user, current) if current and is_office else []
    only_unsigned = request.GET.get("show") == "unsigned"
    return render(
        request,
        "convention/index.html",
        {
            "current": current,
            "is_office": is_office,
            "versions": selectors.versions_for_user(user),
            "rows": [r for r in rows if r.signature is None] if only_unsigned else rows,
            "unsigned_count": sum(1 for r in rows if r.signature is None),
            "only_unsigned": only_unsigned,
            "signatures": selectors.signatures_for_user(user)[:200] if not is_office else [],
        },
    )


@requires("convention.add_conventionversion")
@require_http_methods(["GET", "POST"])
def publish(request):
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.convention_publish(actor=request.user, **form.cleaned_data)
        except ConventionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.messages)
        else:
            messages.success(request, _("公约已发布。"))
            return redirect("convention:version", pk=version.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "convention/form.html", {"form": form, "title": _("发布公约")}, status=status
    )


@requires("convention.view_conventionversion")
@require_GET
def version_detail(request, pk: int):
    version = selectors.version_get_for_user(request.user, pk)
    return render(
        request,
        "convention/version.html",
        {
            "version": version,
            "signatures": selectors.signatures_for_user(request.user).filter(version=version),
        },
    )


@requires("convention.add_conventionsignature")
@require_http_methods(["GET", "POST"])
def sign(request):
    versions = selectors.versions_for_user(request.user).filter(active=True)
    initial = {"institution": request.GET.get("institution")} if request.method == "GET" else None
    form = SignForm(request.POST or None, initial=initial, user=request.user, versions=versions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.convention_sign(
                actor=request.user,
                data=services.SignatureData(
                    institution_id=data["institution"].pk,
                    version_id=data["version"].pk,
                    signed_on=data["signed_on"],
                    signer_name=data["signer_name"],
                    signer_title=data["signer_title"],
                ),
            )
        except ConventionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.messages)
        else:
            messages.success(request, _("签署情况已登记。"))
            return redirect("convention:index")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "convention/form.html", {"form": form, "title": _("登记签署")}, status=status
    )
