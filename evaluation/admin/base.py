"""Helpers the appraisal admin pages share."""

from __future__ import annotations

from django.http import HttpResponse

from institutions.errors import DomainError

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def refusal_text(exc: DomainError) -> str:
    """A service's refusal as the admin shows it (every reason, one message). A page
    shows a business refusal (``AppraisalError``) on the page it came from; a
    permission refusal is the 403 page, except in a bulk action, which reports each
    period it could not act on."""
    return "；".join(exc.messages)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
