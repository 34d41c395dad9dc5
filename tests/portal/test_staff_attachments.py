"""Staff see the consumer's evidence on the complaint page and download it through an
access-checked, logged view."""

import hashlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from complaints.models import Complaint, PiiAccessLog

from .helpers import submit


def test_staff_download_is_scoped_and_logged(client, county, form_data, jpeg_bytes):
    photo = SimpleUploadedFile("x.jpg", jpeg_bytes, content_type="image/jpeg")
    assert submit(client, form_data(), {"files": [photo]}).status_code == 201
    c = Complaint.objects.get()
    a = c.attachments.get()
    url = reverse("complaints:attachment", args=[c.pk, a.pk])

    staff = Client()
    staff.force_login(county.a_manager)
    detail = staff.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert url in detail
    r = staff.get(url)
    assert r.status_code == 200
    assert r["Content-Type"] == "image/jpeg"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in r["Content-Security-Policy"]
    # Re-encoded without metadata (complaints.attachments): the same picture, and the
    # stored hash is the hash of what is served.
    served = b"".join(r.streaming_content)
    with Image.open(io.BytesIO(served)) as image:
        assert (image.format, image.size) == ("JPEG", (40, 30))
    assert hashlib.sha256(served).hexdigest() == a.sha256
    log = PiiAccessLog.objects.get(kind="attachment")
    assert (log.user, log.complaint, log.kind) == (county.a_manager, c, "attachment")

    other = Client()
    other.force_login(county.b_manager)
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # anonymous: to the login page
    # Another complaint's number with this attachment's id: not found.
    assert staff.get(reverse("complaints:attachment", args=[c.pk + 999, a.pk])).status_code == 404
