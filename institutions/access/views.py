"""Declaring on each view the permission it needs, instead of a check each view body
must remember to call (the shape that produced django-helpdesk's advisories).

``@requires("supervision.view_board")`` checks before the view runs. A permission
that depends on the object (``per_object=True``) is checked when the view, having
fetched its object through the access policy, calls :func:`check_object`; a view so
declared that answers successfully without calling it raises ``ImproperlyConfigured``, so a
forgotten check fails every test that reaches the view. ``@requires(None)`` says the
view needs no permission beyond signing in because each object it shows comes from
an access-policy getter (404 when not visible). ``tests/security/test_declared_permissions.py``
fails for a view of the covered apps that declares nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.http import Http404, HttpRequest

__all__ = ["check_object", "requires"]


def requires(
    perm: str | None, *, per_object: bool = False, denied: type[Exception] = Http404
) -> Callable:
    """Declare (and enforce) the permission a view needs; implies ``login_required``.

    ``denied`` is what a refusal raises: ``Http404`` where the page's existence must
    not be confirmed (the default), ``PermissionDenied`` where the page is known to
    every user (a menu entry) and a clear refusal helps.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs):
            if perm and not per_object and not request.user.has_perm(perm):
                raise denied
            request.required_permission = (perm, denied)  # type: ignore[attr-defined]
            request.object_checked = False  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            # A refusal before the body ran (405 from require_POST) needs no check;
            # an answer that shows or does something does.
            checked = request.object_checked  # type: ignore[attr-defined]
            if perm and per_object and not checked and response.status_code < 400:
                raise ImproperlyConfigured(f"{view.__qualname__} never called check_object()")
            return response

        guarded.required_permission = perm  # type: ignore[attr-defined]
        guarded.per_object = per_object  # type: ignore[attr-defined]
        return login_required(guarded)

    return decorate


def check_object(request: HttpRequest, obj: Model) -> None:
    """Check the view's declared permission against the object it fetched."""
    perm, denied = request.required_permission  # type: ignore[attr-defined]
    request.object_checked = True  # type: ignore[attr-defined]
    if perm and not request.user.has_perm(perm, obj):
        raise denied
