"""Authentication helpers: who the client is, and when a session must end."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.backends import ModelBackend, UserModel
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client address for logs and the login throttle.

    X-Forwarded-For is only believed for the hops our own reverse proxies add
    (TRUSTED_PROXY_COUNT, default 0): a header the client sends itself would let it
    pick any address it likes.
    """
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if count > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


SESSION_STARTED_KEY = "_session_started_at"
SESSION_TOUCHED_KEY = "_session_touched_at"


def stamp_new_session(sender, request, user, **kwargs) -> None:
    """At login (user_logged_in), when the new session is written anyway: when it
    started and was last refreshed, so the first page after login writes nothing."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_TOUCHED_KEY] = now


class AbsoluteSessionTimeoutMiddleware:
    """Ends a session SESSION_ABSOLUTE_SECONDS after login, however active it is, and
    keeps an active session from running into its idle timeout.

    The idle timeout is Django's own: a session expires SESSION_COOKIE_AGE after it
    was last saved. Saving it on every request (SESSION_SAVE_EVERY_REQUEST) costs a
    database write per page; instead it is saved when it was last refreshed at least
    SESSION_REFRESH_SECONDS ago, so an active user's session (and cookie) is extended
    at most once a minute, and the idle timeout holds to within that minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.user.is_authenticated:
            session = request.session
            started = session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return self.get_response(request)
            touched = session.get(SESSION_TOUCHED_KEY)
            if touched is None or now - touched >= settings.SESSION_REFRESH_SECONDS:
                session[SESSION_TOUCHED_KEY] = now  # saved, with a new expiry
        return self.get_response(request)


class PasswordBackend(ModelBackend):
    """Django's user-name-and-password authentication, without its permission rows.

    What a user may do follows from their role and institution through the access
    policy (``institutions.access``, registered with django-rules); nobody is given
    permissions as database rows (the user admin offers no groups or permission
    lists). Django's ModelBackend would still read those empty tables, two queries on
    every page that asks a permission the policy denies (the navigation asks
    several). An active superuser is allowed everything before any backend is asked.
    """

    def get_user(self, user_id):
        # Every page asks the access policy, which starts from the user's
        # institution: read both in the statement that loads the user.
        try:
            user = UserModel._default_manager.select_related("institution").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        return set()
