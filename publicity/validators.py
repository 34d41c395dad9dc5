"""Checks on uploaded photos: by content, never by file name or declared type.

Pillow is asked to identify the file with only the allowed decoders enabled, so an
SVG, an HTML page or a text file renamed ``.jpg`` is refused, and the stored content
type and extension come from what the bytes are, not from what the browser said.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

#: Pillow format → (content type served, extension stored). Never SVG (it can carry
#: script); never formats browsers render inconsistently.
PHOTO_FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
#: Content type → extension of the stored file.
EXTENSIONS: dict[str, str] = dict(PHOTO_FORMATS.values())
DEFAULT_PHOTO_MAX_BYTES = 10 * 1024 * 1024

NOT_AN_IMAGE = _("“%(name)s”不是有效的图片文件，只能上传 JPEG、PNG、GIF 或 WebP 格式的照片。")
TOO_LARGE = _("照片“%(name)s”超过 %(limit)s 的大小限制。")
TOO_MANY_PIXELS = _("照片“%(name)s”的像素尺寸过大，请压缩后再上传。")


def photo_max_bytes() -> int:
    """The size limit, from ``settings.PUBLICITY_PHOTO_MAX_BYTES`` (default 10 MB)."""
    return int(getattr(settings, "PUBLICITY_PHOTO_MAX_BYTES", DEFAULT_PHOTO_MAX_BYTES))


@dataclass(frozen=True)
class PhotoInfo:
    content_type: str
    extension: str
    width: int
    height: int
    size: int


def inspect_photo(file) -> PhotoInfo:
    """Return what the upload really is, or raise ValidationError with a Chinese
    message naming the file. The file position is restored for the caller."""
    name = getattr(file, "name", "") or ""
    params = {"name": name.rsplit("/", 1)[-1][:80]}
    limit = photo_max_bytes()
    size = file.size
    if size > limit:
        raise ValidationError(
            TOO_LARGE, code="photo_too_large", params={**params, "limit": filesizeformat(limit)}
        )
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=list(PHOTO_FORMATS)) as image:
                image_format = image.format
                width, height = image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            TOO_MANY_PIXELS, code="photo_too_many_pixels", params=params
        ) from None
    except Exception:  # any decoder failure means "not an image we accept"
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image", params=params) from None
    finally:
        file.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image", params=params)
    content_type, extension = PHOTO_FORMATS[image_format]
    return PhotoInfo(content_type, extension, width, height, size)
