"""Serving an evidence file: one function for the page's view and the API's, so both
log the download and send the same protective headers."""

from __future__ import annotations

from django.http import FileResponse, Http404

from institutions.auth import client_ip

from . import services
from .enums import PiiAccessKind
from .models import Complaint, ComplaintAttachment


def attachment_response(
    request, complaint: Complaint, attachment: ComplaintAttachment, *, download: bool
) -> FileResponse:
    """The file of ``attachment`` (the caller fetched both through the user's scope).
    A reference to a recording kept elsewhere, a removed item or missing content is
    404. Every evidence file is treated as personal data: each download writes one
    row of the personal-data access log (who, which complaint, which file, from
    where). Served with the type decided from its content at upload, ``nosniff``, a
    sandboxing CSP and ``no-store``, under a name made of the tracking number (never
    the uploaded name)."""
    if not attachment.file or attachment.is_removed:
        raise Http404
    try:
        content = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    services.pii_access_record(
        user=request.user,
        complaint=complaint,
        kind=PiiAccessKind.ATTACHMENT,
        fields=["attachment"],
        ip=client_ip(request),
        note=f"attachment:{attachment.pk}",
    )
    response = FileResponse(
        content,
        content_type=attachment.content_type,
        as_attachment=download,
        filename=f"{complaint.tracking_no}-{attachment.pk}.{attachment.extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store"
    return response
