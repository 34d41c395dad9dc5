"""Helpers the appraisal admin pages share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def messages_from(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
