"""Evidence files are judged by their bytes: each refusal below names a file whose
name or declared type lies about its content."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from complaints import attachments

from .helpers import jpeg_upload

STAFF = attachments.FAMILIES


def upload(name: str, data: bytes, content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def refused_code(file, families=STAFF) -> str:
    with pytest.raises(ValidationError) as exc:
        attachments.inspect_evidence(file, families=families)
    return exc.value.error_list[0].code


def test_html_renamed_jpg_is_refused():
    html = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
    assert refused_code(upload("receipt.jpg", html)) == "not_accepted"


def test_svg_with_script_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert refused_code(upload("logo.svg", svg, "image/svg+xml")) == "not_accepted"
    assert refused_code(upload("logo.png", svg, "image/png")) == "not_accepted"


def test_renamed_exe_is_refused():
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS"
    assert refused_code(upload("photo.jpg", exe)) == "not_accepted"
    assert refused_code(upload("voice.mp3", exe, "audio/mpeg")) == "not_accepted"


def test_zip_bomb_is_refused_without_being_opened():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\x00" * (20 * 1024 * 1024))
    assert len(buf.getvalue()) < 100_000  # 20 MiB that packs into a few KiB
    assert refused_code(upload("contract.docx", buf.getvalue(), "application/zip")) == (
        "not_accepted"
    )


def test_decompression_bomb_image_is_refused(settings):
    settings.COMPLAINT_IMAGE_MAX_PIXELS = 1_000_000
    buf = io.BytesIO()
    Image.new("1", (4000, 4000)).save(buf, "PNG")  # 16 Mpx in a few KiB
    assert len(buf.getvalue()) < 50_000
    assert refused_code(upload("scan.png", buf.getvalue(), "image/png")) == "too_many_pixels"


def test_oversized_image_is_refused_by_its_own_limit(settings):
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = 500  # the image limit
    photo = jpeg_upload(size=(400, 300))
    assert photo.size > 500
    assert refused_code(photo) == "file_too_large"


def test_per_type_limits_differ(settings):
    settings.COMPLAINT_ATTACHMENT_LIMITS = {"audio": 100, "video": 10_000, "pdf": 10_000}
    wav = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 200
    assert refused_code(upload("a.wav", wav, "audio/wav")) == "file_too_large"
    mp4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 200
    info = attachments.inspect_evidence(upload("v.mp4", mp4, "video/mp4"), families=STAFF)
    assert (info.content_type, info.family) == ("video/mp4", "video")


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg"),
        (b"\xff\xfb\x90\x64", "audio/mpeg"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", "audio/mp4"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "video/webm"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", "video/quicktime"),
        (b"#!AMR\n", "audio/amr"),
    ],
)
def test_audio_and_video_recognised_by_magic_bytes(head, content_type):
    # Named .txt and declared as text: the bytes decide.
    f = upload("recording.txt", head + b"\x00" * 64, "text/plain")
    assert attachments.inspect_evidence(f, families=STAFF).content_type == content_type


def test_portal_takes_no_recordings():
    f = upload("a.mp3", b"ID3\x04\x00" + b"\x00" * 64, "audio/mpeg")
    assert refused_code(f, families=attachments.PORTAL_FAMILIES) == "not_accepted"


def test_empty_file_is_refused():
    assert refused_code(upload("empty.jpg", b"")) == "empty"
