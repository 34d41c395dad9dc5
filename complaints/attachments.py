"""Evidence files attached to a complaint: where they are kept and what is accepted.

Files are personal data (a photo of a receipt, a bank statement): they are stored
under ``settings.PRIVATE_MEDIA_ROOT``, a directory no URL serves, and reach a browser
only through the access-checked view ``complaints:attachment``. What a file is comes
from its bytes — Pillow identifies an image with only the allowed decoders enabled,
a PDF must start with its header and carry an end-of-file marker — never from its
name or from the type the browser declared, so an ``.exe`` renamed ``.jpg`` is
refused. The size limit is ``settings.COMPLAINT_ATTACHMENT_MAX_BYTES``.
"""

from __future__ import annotations

import os
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: Pillow format → (content type, extension). Never SVG (it can carry script).
IMAGE_FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
PDF = ("application/pdf", "pdf")
ACCEPT = "image/jpeg,image/png,image/gif,image/webp,application/pdf"

NOT_ACCEPTED = _("“%(name)s”不是有效的图片或 PDF 文件，只能上传 JPEG、PNG、GIF、WebP 图片或 PDF。")
TOO_LARGE = _("文件“%(name)s”超过 %(limit)s 的大小限制。")
TOO_MANY_PIXELS = _("图片“%(name)s”的像素尺寸过大，请压缩后再上传。")


class PrivateStorage(FileSystemStorage):
    """A file system storage rooted at ``settings.PRIVATE_MEDIA_ROOT`` (read when
    used, so tests can point it elsewhere) with no URL: nothing under it is ever
    served directly."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no URL; use the access-checked view")


def private_storage() -> PrivateStorage:
    return PrivateStorage()


def attachment_upload_to(instance, filename: str) -> str:
    """A random name under the upload's month: nothing of the uploaded name (which
    may hold personal data) reaches the file system. ``filename`` is the name the
    service chose (``upload.<extension from the content>``)."""
    ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"attachments/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}.{ext}"


def max_bytes() -> int:
    return int(getattr(settings, "COMPLAINT_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class EvidenceInfo:
    content_type: str
    extension: str
    size: int


def display_name(file) -> str:
    return (getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:80]


def _is_pdf(file) -> bool:
    file.seek(0)
    head = file.read(1024)
    if not head.lstrip(b"\r\n\t ").startswith(b"%PDF-"):
        return False
    file.seek(max(0, file.size - 2048))
    return b"%%EOF" in file.read(2048)


def inspect_evidence(file) -> EvidenceInfo:
    """What the upload really is, or ValidationError with a Chinese message naming
    the file. The file position is restored for the caller."""
    params = {"name": display_name(file)}
    limit = max_bytes()
    if file.size > limit:
        raise ValidationError(
            TOO_LARGE, code="file_too_large", params={**params, "limit": filesizeformat(limit)}
        )
    try:
        if _is_pdf(file):
            return EvidenceInfo(*PDF, file.size)
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=list(IMAGE_FORMATS)) as image:
                image_format = image.format
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels", params=params) from None
    except Exception:  # any decoder failure: not a file we accept
        raise ValidationError(NOT_ACCEPTED, code="not_accepted", params=params) from None
    finally:
        file.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(NOT_ACCEPTED, code="not_accepted", params=params)
    return EvidenceInfo(*IMAGE_FORMATS[image_format], file.size)
