"""Checks on evidence files: by content, never by file name or declared type.

Accepted: PDF, JPEG/PNG/GIF/WebP images (identified by Pillow with only those
decoders), and Word/Excel documents (a zip holding ``[Content_Types].xml`` and the
``word/`` or ``xl/`` part). Everything else — SVG, HTML, scripts, a text file renamed
``.pdf`` — is refused. The stored content type and extension come from the bytes.
"""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

IMAGE_FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
PDF = ("application/pdf", "pdf")
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
#: Content type → extension of the stored file.
EXTENSIONS: dict[str, str] = dict([*IMAGE_FORMATS.values(), PDF, DOCX, XLSX])
#: Shown in the browser (with nosniff and a sandboxing CSP); others are downloaded.
INLINE_TYPES = {content_type for content_type, _ext in IMAGE_FORMATS.values()}
DEFAULT_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

NOT_ACCEPTED = _(
    "“%(name)s”的文件类型不被接受，只能上传 PDF、图片（JPEG/PNG/GIF/WebP）或 Word/Excel 文档。"
)
TOO_LARGE = _("文件“%(name)s”超过 %(limit)s 的大小限制。")


def evidence_max_bytes() -> int:
    """``settings.EVALUATION_EVIDENCE_MAX_BYTES`` (default 10 MB)."""
    return int(getattr(settings, "EVALUATION_EVIDENCE_MAX_BYTES", DEFAULT_EVIDENCE_MAX_BYTES))


@dataclass(frozen=True)
class EvidenceInfo:
    content_type: str
    extension: str
    size: int


def _image_type(file) -> tuple[str, str] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=list(IMAGE_FORMATS)) as image:
                image_format = image.format
                image.verify()
    except Exception:  # any decoder failure: not an image we accept
        return None
    return IMAGE_FORMATS.get(image_format)


def _office_type(file) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    return None


def inspect_evidence(file) -> EvidenceInfo:
    """What the upload really is, or ValidationError naming the file. The file
    position is restored for the caller."""
    name = (getattr(file, "name", "") or "").rsplit("/", 1)[-1][:80]
    limit = evidence_max_bytes()
    if file.size > limit:
        raise ValidationError(
            TOO_LARGE,
            code="evidence_too_large",
            params={"name": name, "limit": filesizeformat(limit)},
        )
    try:
        file.seek(0)
        head = file.read(8)
        file.seek(0)
        if head.startswith(b"%PDF-"):
            kind = PDF
        elif head.startswith(b"PK\x03\x04"):
            kind = _office_type(file)
        else:
            kind = _image_type(file)
    finally:
        file.seek(0)
    if kind is None:
        raise ValidationError(NOT_ACCEPTED, code="evidence_type", params={"name": name})
    return EvidenceInfo(content_type=kind[0], extension=kind[1], size=file.size)
