"""Evidence files attached to a complaint: where they are kept and what is accepted.

Files are personal data (a photo of a receipt, an ID copy, the recording of the
counter conversation): they are kept in the ``private`` storage
(``settings.STORAGES["private"]``: a local directory no URL serves by default, an
S3-compatible bucket with ``ATTACHMENT_STORAGE=s3``, so several web servers share
one store) and reach a browser only through the access-checked views.

What a file is comes from its bytes, never from its name or the type the browser
declared, so an ``.exe`` or an HTML page renamed ``.jpg`` is refused:

* images: Pillow identifies them with only the allowed decoders enabled (JPEG, PNG,
  GIF, WebP; never SVG, which can carry script: SVG is refused, not sanitised), the
  pixel count is limited (a decompression bomb is refused before it is decoded), and
  the image is **re-encoded** without its metadata (EXIF with GPS position, camera,
  comments): the stored file is the re-encoded one;
* PDF: the header and an end-of-file marker;
* audio and video (the recorded reception area): the container's magic bytes —
  MP3 (ID3 tag or an MPEG audio frame), M4A/MP4/MOV (an ``ftyp`` box), WAV (RIFF
  WAVE), WebM (EBML with the ``webm`` doc type), Ogg and AMR (phone recorders).

ZIP-based office files (docx, xlsx) and archives are not accepted at all, so a zip
bomb is refused as "not an accepted type" without being opened. Each family has its
own size limit (``settings.COMPLAINT_ATTACHMENT_LIMITS``).
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

IMAGE, PDF_FAMILY, AUDIO, VIDEO = "image", "pdf", "audio", "video"
FAMILIES = (IMAGE, PDF_FAMILY, AUDIO, VIDEO)
#: What the consumer may send on the portal (no recordings from the public).
PORTAL_FAMILIES = (IMAGE, PDF_FAMILY)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_LIMITS = {
    IMAGE: 10 * 1024 * 1024,
    PDF_FAMILY: 20 * 1024 * 1024,
    AUDIO: 50 * 1024 * 1024,
    VIDEO: 300 * 1024 * 1024,
}
DEFAULT_MAX_PIXELS = 40_000_000

#: Pillow format → (content type, extension). Never SVG (it can carry script).
IMAGE_FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
PDF = ("application/pdf", "pdf")
ACCEPT = "image/jpeg,image/png,image/gif,image/webp,application/pdf"
STAFF_ACCEPT = (
    ACCEPT + ",audio/mpeg,audio/mp4,audio/x-m4a,audio/wav,audio/ogg,audio/amr,"
    "video/mp4,video/quicktime,video/webm"
)

NOT_ACCEPTED = _("“%(name)s”不是有效的图片或 PDF 文件，只能上传 JPEG、PNG、GIF、WebP 图片或 PDF。")
NOT_ACCEPTED_STAFF = _(
    "“%(name)s”不是可接受的文件：只能上传图片（JPEG、PNG、GIF、WebP）、PDF、"
    "录音（MP3、M4A、WAV、OGG、AMR）或录像（MP4、MOV、WebM）；按文件内容判断，与扩展名无关。"
)
TOO_LARGE = _("文件“%(name)s”超过 %(limit)s 的大小限制。")
TOO_MANY_PIXELS = _("图片“%(name)s”的像素尺寸过大，请压缩后再上传。")
EMPTY = _("文件“%(name)s”是空文件。")


class PrivateStorage(FileSystemStorage):
    """A file system storage rooted at ``settings.PRIVATE_MEDIA_ROOT`` (read when
    used, so tests can point it elsewhere) with no URL: nothing under it is ever
    served directly."""

    def __init__(self, **kwargs):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no URL; use the access-checked view")


def private_storage():
    """The storage of evidence files: ``STORAGES["private"]`` (the local private
    directory unless the settings chose S3-compatible object storage)."""
    return storages["private"]


def attachment_upload_to(instance, filename: str) -> str:
    """A random name under the upload's month: nothing of the uploaded name (which
    may hold personal data) reaches the file system. ``filename`` is the name the
    service chose (``upload.<extension from the content>``)."""
    ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"attachments/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}.{ext}"


def limits() -> dict[str, int]:
    """The size limit of each family of content: images by
    ``COMPLAINT_ATTACHMENT_MAX_BYTES``, the others by ``COMPLAINT_ATTACHMENT_LIMITS``."""
    configured = {
        **(getattr(settings, "COMPLAINT_ATTACHMENT_LIMITS", {}) or {}),
        IMAGE: getattr(settings, "COMPLAINT_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES),
    }
    return {family: int(configured.get(family, DEFAULT_LIMITS[family])) for family in FAMILIES}


def max_bytes() -> int:
    """The largest image (the portal's limit, shown in its help text)."""
    return limits()[IMAGE]


def max_pixels() -> int:
    return int(getattr(settings, "COMPLAINT_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS))


@dataclass(frozen=True)
class EvidenceInfo:
    content_type: str
    extension: str
    size: int
    family: str = IMAGE


def display_name(file) -> str:
    return (getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:80]


def _head(file, n: int = 64) -> bytes:
    file.seek(0)
    return file.read(n)


def _is_pdf(file) -> bool:
    head = _head(file, 1024)
    if not head.lstrip(b"\r\n\t ").startswith(b"%PDF-"):
        return False
    file.seek(max(0, file.size - 2048))
    return b"%%EOF" in file.read(2048)


#: ISO base media (``ftyp``) brands: audio-only ones, the rest are video.
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"F4A "}
_VIDEO_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"dash",
    b"M4V ",
    b"MSNV",
    b"qt  ",
    b"3gp4",
    b"3gp5",
    b"3gp6",
}


def _media(head: bytes) -> tuple[str, str, str] | None:
    """(content type, extension, family) of an audio or video container, or None."""
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _AUDIO_BRANDS:
            return "audio/mp4", "m4a", AUDIO
        if brand == b"qt  ":
            return "video/quicktime", "mov", VIDEO
        if brand in _VIDEO_BRANDS:
            return "video/mp4", "mp4", VIDEO
        return None
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav", "wav", AUDIO
    if head[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in head[:64]:
        return "video/webm", "webm", VIDEO
    if head[:4] == b"OggS":
        return "audio/ogg", "ogg", AUDIO
    if head[:6] == b"#!AMR\n":
        return "audio/amr", "amr", AUDIO
    if head[:3] == b"ID3":
        return "audio/mpeg", "mp3", AUDIO
    # An MPEG audio frame header: 11 sync bits, a valid version, layer III, bitrate.
    if len(head) >= 4 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        version, layer, bitrate = (head[1] >> 3) & 3, (head[1] >> 1) & 3, head[2] >> 4
        if version != 1 and layer == 1 and bitrate not in (0, 15):
            return "audio/mpeg", "mp3", AUDIO
    return None


def inspect_evidence(file, *, families: tuple[str, ...] = PORTAL_FAMILIES) -> EvidenceInfo:
    """What the upload really is, or ValidationError with a Chinese message naming
    the file. ``families`` are the kinds of content accepted here (the portal takes
    images and PDF; staff also recordings). The file position is restored."""
    params = {"name": display_name(file)}
    refused = NOT_ACCEPTED if set(families) <= set(PORTAL_FAMILIES) else NOT_ACCEPTED_STAFF
    allowed = limits()
    if not file.size:
        raise ValidationError(EMPTY, code="empty", params=params)
    largest = max(allowed[f] for f in families)
    if file.size > largest:
        raise ValidationError(
            TOO_LARGE, code="file_too_large", params={**params, "limit": filesizeformat(largest)}
        )
    info = _identify(file, families, params, refused)
    if info.size > allowed[info.family]:
        raise ValidationError(
            TOO_LARGE,
            code="file_too_large",
            params={**params, "limit": filesizeformat(allowed[info.family])},
        )
    return info


def _identify(file, families, params, refused) -> EvidenceInfo:
    try:
        if PDF_FAMILY in families and _is_pdf(file):
            return EvidenceInfo(*PDF, file.size, PDF_FAMILY)
        media = _media(_head(file))
        if media is not None:
            if media[2] not in families:
                raise ValidationError(refused, code="not_accepted", params=params)
            return EvidenceInfo(media[0], media[1], file.size, media[2])
        if IMAGE not in families:
            raise ValidationError(refused, code="not_accepted", params=params)
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=list(IMAGE_FORMATS)) as image:
                image_format = image.format
                width, height = image.size
                if width * height > max_pixels():
                    raise Image.DecompressionBombError("too many pixels")
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels", params=params) from None
    except Exception:  # any decoder failure: not a file we accept
        raise ValidationError(refused, code="not_accepted", params=params) from None
    finally:
        file.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(refused, code="not_accepted", params=params)
    return EvidenceInfo(*IMAGE_FORMATS[image_format], file.size, IMAGE)


def without_metadata(file, info: EvidenceInfo) -> ContentFile:
    """The image re-encoded from its pixels alone: EXIF (GPS position, camera,
    time), XMP, comments and text chunks are not copied. The orientation EXIF gave
    is applied first, so the photo still stands the right way up. Animated GIF and
    WebP keep their frames."""
    file.seek(0)
    out = io.BytesIO()
    with Image.open(
        file, formats=[f for f, v in IMAGE_FORMATS.items() if v[1] == info.extension]
    ) as im:
        fmt = im.format
        if getattr(im, "n_frames", 1) > 1 and fmt in ("GIF", "WEBP"):
            frames = [frame.copy() for frame in _frames(im)]
            frames[0].save(
                out, fmt, save_all=True, append_images=frames[1:], loop=im.info.get("loop", 0)
            )
        else:
            image = ImageOps.exif_transpose(im)
            if fmt == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
                image = image.convert("RGB")
            options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
            image.save(out, fmt, **options)
    file.seek(0)
    return ContentFile(out.getvalue())


def _frames(image):
    for n in range(image.n_frames):
        image.seek(n)
        yield image


def sha256_of(file) -> str:
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def prepared(file, info: EvidenceInfo):
    """The content to store: the image without its metadata, anything else as
    uploaded."""
    return without_metadata(file, info) if info.family == IMAGE else file
