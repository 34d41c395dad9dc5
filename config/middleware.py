"""Response headers every page needs, set in one place (docs/security.md).

``SecurityHeadersMiddleware`` adds, on the way out:

- ``Content-Security-Policy`` (``settings.CONTENT_SECURITY_POLICY``) to every HTML
  response: scripts, styles, images, frames and form targets from our own origin only,
  no inline script or style. A view that sets its own policy (attachments send a
  sandbox) keeps it. ``CONTENT_SECURITY_POLICY_REPORT_ONLY`` sends the same policy as
  ``Content-Security-Policy-Report-Only`` instead, for trying a stricter one out.
- ``Cache-Control: no-store`` to every response for a signed-in user (pages, htmx
  fragments, API answers, exports and downloads alike), unless the view decided its
  own caching: whatever a signed-in user receives may carry personal data, and
  neither the browser's cache nor a proxy should keep it. Deciding by the user rather
  than by the URL leaves no new page to forget. Static files never reach this
  middleware (WhiteNoise, placed before it, answers them), so they stay cacheable.

Django 5.2 has no built-in CSP (6.0 will); this is the small part of it we need.
"""

from __future__ import annotations

from django.conf import settings

CSP = "Content-Security-Policy"
CSP_REPORT_ONLY = "Content-Security-Policy-Report-Only"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        is_html = response.get("Content-Type", "").startswith("text/html")
        own = response.has_header(CSP) or response.has_header(CSP_REPORT_ONLY)
        if policy and is_html and not own:
            header = CSP_REPORT_ONLY if settings.CONTENT_SECURITY_POLICY_REPORT_ONLY else CSP
            response[header] = policy
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response
