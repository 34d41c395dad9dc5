"""网上投诉: registration through the intake service, anti-abuse and uploads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.models import Complaint, ComplaintAttachment, TimelineEntry
from complaints.selectors import awaiting_assignment_q
from portal.models import ConsumerAccess
from portal.submission import services

from .helpers import captcha_answer, keys, submit


def test_submission_registers_through_intake_in_the_outlets_queue(client, county, form_data):
    r = submit(client, form_data())
    assert r.status_code == 201
    code, secret = keys(r)
    c = Complaint.objects.get()
    assert (c.intake_source, c.submitted_by_consumer, c.status) == ("online", True, "registered")
    assert c.complained_institution == c.handling_institution == county.a_out1
    assert c.accepting_institution == county.a_out1
    assert c.due_at is not None
    assert c.sla_rule is not None
    assert c.notify_consent is True
    assert c.answer_preference == "sms"
    # In the queue of the managers over the outlet (待分办), not in another bank's.
    assert Complaint.objects.filter(awaiting_assignment_q(county.a_manager), pk=c.pk).exists()
    assert not Complaint.objects.filter(awaiting_assignment_q(county.b_manager), pk=c.pk).exists()
    row = TimelineEntry.objects.get(complaint=c)
    assert (row.action, row.payload["by"], row.payload["intake_source"]) == (
        "register",
        "consumer",
        "online",
    )
    access = ConsumerAccess.objects.get(complaint=c)
    assert access.display_code == code
    assert code.replace("-", "") not in c.tracking_no
    # Only the hash of the secret is stored.
    assert access.secret_hash == services.hash_secret(secret)
    assert secret.replace("-", "") not in access.secret_hash
    assert len(secret.replace("-", "")) * 5 >= 60


def test_unknown_outlet_goes_to_the_banks_own_queue(client, county, form_data):
    r = submit(client, form_data(complained_institution=str(county.bank_a.pk)))
    assert r.status_code == 201
    c = Complaint.objects.get()
    assert c.handling_institution == county.bank_a
    assert Complaint.objects.filter(awaiting_assignment_q(county.a_manager), pk=c.pk).exists()


def test_office_cannot_be_chosen(client, county, form_data):
    r = submit(client, form_data(complained_institution=str(county.pbc.pk)))
    assert r.status_code == 400
    assert Complaint.objects.count() == 0


def test_to_parameter_preselects_the_outlet(client, county, form_data):
    r = client.get(reverse("portal:complain"), {"to": county.a_out2.pk})
    assert r.status_code == 200
    assert f'<option value="{county.a_out2.pk}" selected>' in r.content.decode()


def test_duplicate_open_complaint_is_not_created_again(client, county, form_data):
    assert submit(client, form_data()).status_code == 201
    client2 = client.__class__()
    r = submit(
        client2, form_data(complained_institution=str(county.a_out2.pk)), REMOTE_ADDR="10.0.0.2"
    )
    assert r.status_code == 409
    assert "未重复登记" in r.content.decode()
    assert Complaint.objects.count() == 1
    # Another bank is another matter.
    r = submit(
        client2, form_data(complained_institution=str(county.b_out1.pk)), REMOTE_ADDR="10.0.0.3"
    )
    assert r.status_code == 201
    assert Complaint.objects.count() == 2


def test_captcha_after_the_first_attempt(client, county, form_data):
    first = client.get(reverse("portal:complain"))
    assert "captcha_1" not in first.content.decode()
    assert submit(client, form_data()).status_code == 201
    page = client.get(reverse("portal:complain"))
    body = page.content.decode()
    assert 'name="captcha_1"' in body
    assert "/portal/captcha/image/" in body  # drawn here, no outside service
    image = client.get(body.split('src="')[1].split('"')[0] if False else _captcha_src(body))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    other = form_data(complainant_phone="13700001111", complained_institution=str(county.b_out1.pk))
    refused = submit(client, other)
    assert refused.status_code == 400
    assert Complaint.objects.count() == 1
    again = client.get(reverse("portal:complain"))
    r = submit(client, {**other, **captcha_answer(again)})
    assert r.status_code == 201
    assert Complaint.objects.count() == 2


def _captcha_src(body: str) -> str:
    import re

    return re.search(r'src="(/portal/captcha/image/[0-9a-f]+/)"', body)[1]


def test_rate_limit_per_address(client, county, form_data, settings):
    settings.PORTAL_SUBMIT_RATE_PER_ADDRESS = "2/h"
    settings.PORTAL_CAPTCHA_AFTER = 1000
    assert submit(client, form_data(description="")).status_code == 400
    assert submit(client, form_data(description="")).status_code == 400
    r = submit(client, form_data())
    assert r.status_code == 429
    assert Complaint.objects.count() == 0
    # Another address is not affected.
    assert submit(client, form_data(), REMOTE_ADDR="10.9.9.9").status_code == 201


def test_rate_limit_per_phone(client, county, form_data, settings):
    settings.PORTAL_SUBMIT_RATE_PER_PHONE = "1/d"
    settings.PORTAL_CAPTCHA_AFTER = 1000
    assert submit(client, form_data(), REMOTE_ADDR="10.0.0.1").status_code == 201
    r = submit(
        client,
        form_data(complained_institution=str(county.b_out1.pk)),
        REMOTE_ADDR="10.0.0.2",
    )
    assert r.status_code == 429
    assert Complaint.objects.count() == 1


def test_photo_and_pdf_are_stored_privately(client, county, form_data, jpeg_bytes, settings):
    photo = SimpleUploadedFile("receipt.png", jpeg_bytes, content_type="image/png")
    pdf = SimpleUploadedFile("statement.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    r = submit(client, form_data(), {"files": [photo, pdf]})
    assert r.status_code == 201
    stored = list(ComplaintAttachment.objects.order_by("pk"))
    assert [(a.content_type, a.source) for a in stored] == [
        ("image/jpeg", "consumer"),  # by content, not by the name's .png
        ("application/pdf", "consumer"),
    ]
    for a in stored:
        path = a.file.path
        assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
        assert not path.startswith(str(settings.MEDIA_ROOT))
        assert "receipt" not in path
        assert "statement" not in path
        with pytest.raises(ValueError, match="no URL"):
            a.file.url  # noqa: B018


def test_renamed_exe_is_refused(client, county, form_data):
    exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    r = submit(client, form_data(), {"files": [exe]})
    assert r.status_code == 400
    assert "不是有效的图片或 PDF 文件" in r.content.decode()
    assert Complaint.objects.count() == 0
    assert ComplaintAttachment.objects.count() == 0


def test_oversized_file_is_refused(client, county, form_data, jpeg_bytes, settings):
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = 100
    big = SimpleUploadedFile("big.jpg", jpeg_bytes, content_type="image/jpeg")
    r = submit(client, form_data(), {"files": [big]})
    assert r.status_code == 400
    assert "大小限制" in r.content.decode()
    assert Complaint.objects.count() == 0


def test_privacy_notice_must_be_accepted(client, county, form_data):
    page = client.get(reverse("portal:complain"))
    body = page.content.decode()
    for heading in ("收集哪些信息", "用于什么目的", "谁能看到", "保存多久"):
        assert heading in body
    r = submit(client, form_data(privacy_accepted=None))
    assert r.status_code == 400
    assert Complaint.objects.count() == 0


def test_csrf_is_enforced(county, form_data):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert submit(strict, form_data()).status_code == 403
    assert strict.post(reverse("portal:track"), {"code": "x", "proof": "1234"}).status_code == 403


def test_acceptance_message_context(client, county, form_data):
    r = submit(client, form_data())
    code, secret = keys(r)
    access = ConsumerAccess.objects.get()
    msg = services.acceptance_message(access, secret.replace("-", ""))
    assert msg["code"] == code
    assert msg["link"].endswith(f"/portal/track/#{access.code}.{secret.replace('-', '')}")
    assert "13912345678" not in str(msg)


def test_public_pages_send_security_headers_and_are_not_cached(client, county, form_data):
    for url in (reverse("portal:complain"), reverse("portal:track")):
        r = client.get(url)
        assert r.status_code == 200
        assert "script-src 'self'" in r["Content-Security-Policy"]
        assert "no-store" in r["Cache-Control"]
        assert r["X-Frame-Options"] == "DENY"
        assert r["X-Content-Type-Options"] == "nosniff"
    done = submit(client, form_data())
    assert "no-store" in done["Cache-Control"]  # the page with the secret


def test_a_consenting_consumer_gets_the_code_and_secret_by_sms_once(
    client, county, form_data, message_templates
):
    from notifications import sms
    from notifications.consumer import deliver_consumer_messages
    from notifications.models import ConsumerMessage

    sms.outbox.clear()
    r = submit(client, form_data())
    code, secret = keys(r)
    c = Complaint.objects.get()
    (message,) = ConsumerMessage.objects.filter(reference=c.tracking_no)
    assert (message.event, message.channel, message.sensitive) == ("accepted_online", "sms", True)
    assert deliver_consumer_messages() == 1
    (sent,) = sms.outbox
    assert code in sent.body
    assert secret in sent.body
    # The staff acceptance message is not sent besides the portal's own.
    assert not ConsumerMessage.objects.filter(event="accepted").exists()
    # Delivered: the stored copy no longer holds the secret.
    message.refresh_from_db()
    assert secret not in message.body
    sms.outbox.clear()


def test_no_consent_no_acceptance_message(client, county, form_data):
    from notifications.models import ConsumerMessage

    data = form_data()
    data.pop("notify_consent", None)
    submit(client, data)
    assert Complaint.objects.get().notify_consent is False
    assert not ConsumerMessage.objects.exists()
