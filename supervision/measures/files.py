"""Storing the documents of measures and the evidence of rectification: the same
checks as complaint evidence (type decided from the content, size limits, images
re-encoded without their metadata) and the same private storage, served only by
the access-checked views."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from complaints import attachments

from .errors import MeasureError
from .models import Measure, RectificationItem, SupervisoryDocument

if TYPE_CHECKING:
    from institutions.models import User

#: Notices, records and evidence: images and PDF.
FAMILIES = (attachments.IMAGE, attachments.PDF_FAMILY)
ACCEPT = attachments.ACCEPT
MAX_FILES = 10


def check_uploads(files: Iterable) -> list:
    """Every upload inspected before anything is stored: a refusal names the file."""
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise MeasureError(
            _("最多上传 %(n)s 个文件。") % {"n": MAX_FILES}, code="too_many_files", field="files"
        )
    checked = []
    for upload in files:
        try:
            checked.append((upload, attachments.inspect_evidence(upload, families=FAMILIES)))
        except ValidationError as exc:
            raise MeasureError(exc.messages[0], code="file_refused", field="files") from None
    return checked


def store(
    checked: list,
    *,
    uploaded_by: User,
    measure: Measure | None = None,
    item: RectificationItem | None = None,
) -> list[SupervisoryDocument]:
    stored = []
    for upload, info in checked:
        content = attachments.prepared(upload, info)
        doc = SupervisoryDocument(
            measure=measure,
            item=item,
            original_name=attachments.display_name(upload)[:120],
            content_type=info.content_type,
            extension=info.extension,
            size=content.size,
            sha256=attachments.sha256_of(content),
            uploaded_by=uploaded_by,
        )
        doc.file.save(f"upload.{info.extension}", content, save=False)
        doc.save()
        stored.append(doc)
    return stored


def document_response(doc: SupervisoryDocument, *, name: str) -> FileResponse:
    """The file (the caller fetched its owner through the user's scope), with the
    protective headers of complaint evidence, under a name we chose."""
    try:
        content = doc.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(
        content,
        content_type=doc.content_type,
        as_attachment=True,
        filename=f"{name}-{doc.pk}.{doc.extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store"
    return response
