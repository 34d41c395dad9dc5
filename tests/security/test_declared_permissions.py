"""Every view of the office's desk and of the appraisal declares what it needs
(``institutions.access.views.requires``): a view added without a declaration fails
here, instead of relying on a check each view body must remember."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from institutions.access.views import requires

COVERED = ("supervision", "evaluation", "mediation", "training", "convention")


def _views(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _views(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and namespace in COVERED:
            yield f"{namespace}:{p.name}", p.callback


VIEWS = sorted(_views(get_resolver().url_patterns))


def test_the_covered_apps_have_views():
    assert {name.split(":")[0] for name, _ in VIEWS} == set(COVERED)


@pytest.mark.parametrize(("name", "view"), VIEWS, ids=[n for n, _ in VIEWS])
def test_view_declares_its_permission(name, view):
    assert hasattr(view, "required_permission"), f"{name} declares no permission"


def _portal_views(patterns, namespace="", prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _portal_views(
                p.url_patterns, p.namespace or namespace, prefix + str(p.pattern)
            )
        elif isinstance(p, URLPattern) and namespace == "portal":
            yield f"portal:{p.name}", prefix + str(p.pattern), p.callback


PORTAL_VIEWS = sorted(_portal_views(get_resolver().url_patterns))


def test_portal_office_pages_declare_their_permission():
    """The portal is public except its office pages (/portal/office/…): those declare
    a permission (and so need a login); the public ones cannot carry a declaration,
    which implies a login."""
    office = [(n, v) for n, route, v in PORTAL_VIEWS if route.startswith("portal/office/")]
    assert office, "no office pages found"
    for name, view in office:
        assert getattr(view, "required_permission", None), f"{name} declares no permission"
    for name, route, view in PORTAL_VIEWS:
        if not route.startswith("portal/office/"):
            assert not hasattr(view, "required_permission"), f"{name} is public but needs login"


def test_a_per_object_view_that_forgets_its_check_fails(rf, county):
    from django.core.exceptions import ImproperlyConfigured
    from django.http import HttpResponse

    @requires("supervision.change_typicalcase", per_object=True)
    def forgetful(request):
        return HttpResponse("ok")

    request = rf.get("/")
    request.user = county.regulator
    with pytest.raises(ImproperlyConfigured):
        forgetful(request)


def test_a_user_level_declaration_refuses_before_the_view_runs(rf, county):
    from django.http import Http404, HttpResponse

    ran = []

    @requires("supervision.view_board")
    def board(request):
        ran.append(True)
        return HttpResponse("ok")

    request = rf.get("/")
    request.user = county.a_teller
    with pytest.raises(Http404):
        board(request)
    assert ran == []
    request.user = county.regulator
    assert board(request).status_code == 200
