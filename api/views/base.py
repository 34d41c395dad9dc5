"""What every API view shares: Chinese texts, the schema's error responses, and the
JSON 404 for any unknown URL under /api/."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from ..serializers import ErrorSerializer

ERROR_TEXT = {
    400: "invalid: field errors in `errors` (or parse_error, invalid_credentials)",
    401: "not_authenticated / authentication_failed",
    403: "permission_denied: the caller may see the object but not do this",
    404: "not_found: missing and out of scope answer the same",
    409: "transition_refused (state) or conflict (stale `version`)",
    412: "conflict: If-Match names an older version",
    413: "payload_too_large: the body is over the upload limit",
    422: "a business rule refused the action (stable code, see docs/api.md)",
    415: "unsupported_media_type: send the body as application/json",
    429: "locked_out / throttled",
}


def errors(*statuses: int) -> dict:
    """The documented error responses of an operation (bodies: api.exceptions)."""
    return {s: OpenApiResponse(ErrorSerializer, description=ERROR_TEXT[s]) for s in statuses}


class ChineseMixin:
    # Answer in Chinese whatever Accept-Language says: ``detail`` is the Chinese text
    # and ``detail_en`` the English one, so a client gets both every time. (A comment,
    # not a docstring: the schema would show it as every view's description.)

    def dispatch(self, request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)


class NotFoundView(ChineseMixin, APIView):
    """The last route under /api/: any other path answers a JSON 404, whatever the
    method, before authentication (so it tells nobody anything)."""

    schema = None
    permission_classes = ()
    authentication_classes = ()

    def initial(self, request, *args, **kwargs):
        raise NotFound()

    def finalize_response(self, request, response, *args, **kwargs):
        # No ``Allow`` header: nothing is here, not a resource that allows only OPTIONS.
        response = super().finalize_response(request, response, *args, **kwargs)
        del response["Allow"]
        return response
