"""投诉办理查询, additions, the verdict and the result letter."""

import io
import secrets
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from complaints.models import Complaint, TimelineEntry
from complaints.workflow import complaint_act
from notifications.models import Notification
from portal.models import Enquiry
from portal.submission import services
from portal.submission.services import ALPHABET
from tests.complaints.helpers import valid_data

from .helpers import keys, open_case, submit


@pytest.fixture
def filed(client, county, form_data):
    """A complaint filed on the portal: (complaint, code, secret)."""
    r = submit(client, form_data(), REMOTE_ADDR="10.1.1.1")
    code, secret = keys(r)
    return Complaint.objects.get(), code, secret


def _answer(county, c, **answer):
    for action in ("assign", "start", "resolve", "answer"):
        actor = county.a1_handler if action in ("start", "resolve") else county.a_manager
        data = valid_data(action, c, county)
        if action == "resolve":
            data = {**data, "money_recovered": "35.50"}
        if action == "answer":
            data = {**data, **answer}
        c = complaint_act(actor=actor, complaint_id=c.pk, action=action, **data)
    return c


def test_code_and_last_four_open_the_case(county, filed):
    c, code, _secret = filed
    client = Client()
    r = open_case(client, code, "5678")
    assert r.status_code == 302
    assert r.url == reverse("portal:track_case")
    page = client.get(r.url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "已受理，等待分派处理人员" in body
    assert c.tracking_no in body
    assert "139****5678" in body  # masked
    assert "王*明" in body or "王**" in body or "王*" in body
    assert "13912345678" not in body
    assert county.a_teller.get_full_name() not in body
    (row,) = Enquiry.objects.all()
    assert (row.complaint_id, row.method) == (c.pk, "phone")
    assert row.address_hash != "127.0.0.1"
    assert len(row.address_hash) == 64


def test_code_and_secret_open_the_case(county, filed):
    _c, code, secret = filed
    client = Client()
    assert open_case(client, code.lower(), secret.lower()).status_code == 302
    assert Enquiry.objects.get().method == "secret"


def test_no_personal_data_or_code_in_urls(county, filed):
    _c, code, _secret = filed
    client = Client()
    r = open_case(client, code, "5678")
    assert code.replace("-", "") not in r.url
    assert "5678" not in r.url


def _refusal(r) -> tuple:
    return (r.status_code, r["Content-Type"], r.content)


def test_random_codes_and_wrong_phone_answer_alike(county, filed, settings):
    settings.PORTAL_ENQUIRY_RATE_PER_ADDRESS = "100000/h"
    settings.PORTAL_CAPTCHA_AFTER = 100000
    _c, code, _secret = filed
    client = Client()
    wrong_phone = _refusal(open_case(client, code, "0000"))
    wrong_secret = _refusal(open_case(client, code, "ABCDEFGHJKMNPQRS"))
    assert wrong_phone[0] == 200
    assert "不匹配" in wrong_phone[2].decode()
    assert wrong_secret == wrong_phone
    real = code.replace("-", "")
    for _ in range(1000):
        random_code = "".join(secrets.choice(ALPHABET) for _ in range(10))
        if random_code == real:
            continue
        assert _refusal(open_case(client, random_code, "5678")) == wrong_phone
    assert Enquiry.objects.count() == 0
    assert "portal.case" not in client.session


def test_enquiries_are_throttled_per_address(county, filed, settings):
    settings.PORTAL_ENQUIRY_RATE_PER_ADDRESS = "3/h"
    settings.PORTAL_CAPTCHA_AFTER = 1000
    _c, code, _secret = filed
    client = Client()
    for _ in range(3):
        assert open_case(client, "0000000000", "1234").status_code == 200
    r = open_case(client, code, "5678")  # even the right answer, now
    assert r.status_code == 429
    assert Enquiry.objects.count() == 0


def test_enquiries_are_throttled_per_code(county, filed, settings):
    settings.PORTAL_ENQUIRY_RATE_PER_CODE = "2/h"
    settings.PORTAL_CAPTCHA_AFTER = 1000
    _c, code, _secret = filed
    for n in range(2):
        assert open_case(Client(REMOTE_ADDR=f"10.2.0.{n}"), code, "0000").status_code == 200
    assert open_case(Client(REMOTE_ADDR="10.2.0.9"), code, "5678").status_code == 429


def test_captcha_after_a_failed_enquiry(county, filed):
    _c, code, _secret = filed
    client = Client()
    assert "captcha_1" not in client.get(reverse("portal:track")).content.decode()
    open_case(client, code, "0000")
    assert 'name="captcha_1"' in client.get(reverse("portal:track")).content.decode()
    # Without the captcha the right answer is not even looked at.
    assert open_case(client, code, "5678").status_code == 400


def test_case_page_needs_an_opened_case(county):
    client = Client()
    r = client.get(reverse("portal:track_case"))
    assert r.status_code == 302
    assert r.url == reverse("portal:track")
    assert client.post(reverse("portal:track_verdict"), {"satisfaction": "satisfied"}).url == (
        reverse("portal:track")
    )


def test_case_shows_extension_with_reason_and_the_answer(county, filed):
    c, code, _secret = filed
    c = complaint_act(
        actor=county.a_manager,
        complaint_id=c.pk,
        action="assign",
        **valid_data("assign", c, county),
    )
    c = complaint_act(actor=county.a1_handler, complaint_id=c.pk, action="start")
    c = complaint_act(
        actor=county.a1_handler,
        complaint_id=c.pk,
        action="request_extension",
        reason="需调取监控录像核实",
        requested_due_at=c.due_at + timedelta(days=5),
        customer_told=True,
    )
    c = complaint_act(
        actor=county.a_manager, complaint_id=c.pk, action="decide_extension", approve=True
    )
    complaint_act(
        actor=county.a1_handler,
        complaint_id=c.pk,
        action="log_contact",
        method="phone",
        summary="内部备注：客户情绪激动",
    )
    client = Client()
    open_case(client, code, "5678")
    body = client.get(reverse("portal:track_case")).content.decode()
    assert "需调取监控录像核实" in body
    assert "内部备注" not in body  # no internal notes
    assert county.a1_handler.get_full_name() not in body
    c.refresh_from_db()
    assert timezone.localtime(c.due_at).strftime("%Y-%m-%d %H:%M") in body


def test_consumer_adds_information_and_the_handler_hears(county, filed, jpeg_bytes):
    c, code, _secret = filed
    complaint_act(
        actor=county.a_manager,
        complaint_id=c.pk,
        action="assign",
        **valid_data("assign", c, county),
    )
    client = Client()
    open_case(client, code, "5678")
    photo = SimpleUploadedFile("more.jpg", jpeg_bytes, content_type="image/jpeg")
    r = client.post(reverse("portal:track_add"), {"text": "补充：当天下午三点", "files": [photo]})
    assert r.status_code == 302
    row = TimelineEntry.objects.filter(complaint=c, action="consumer_add").get()
    assert row.note == "补充：当天下午三点"
    assert row.payload["by"] == "consumer"
    assert len(row.payload["attachments"]) == 1
    assert c.attachments.count() == 1
    assert Notification.objects.filter(recipient=county.a1_handler, complaint=c).exists()


def test_unsatisfied_verdict_reopens_for_reverification(county, filed):
    c, code, _secret = filed
    c = _answer(county, c, satisfaction="basic")
    assert c.satisfaction_source == "staff"
    client = Client()
    open_case(client, code, "5678")
    page = client.get(reverse("portal:track_case")).content.decode()
    assert 'data-testid="verdict"' in page
    r = client.post(
        reverse("portal:track_verdict"),
        {"satisfaction": "unsatisfied", "comment": "手续费没有退还"},
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert (c.status, c.needs_reverification, c.reopen_count) == ("in_progress", True, 1)
    row = TimelineEntry.objects.filter(complaint=c).order_by("-pk").first()
    assert (row.action, row.payload["by"], row.note) == ("reopen", "consumer", "手续费没有退还")
    assert row.actor.username == "portal.consumer"
    assert Notification.objects.filter(
        recipient=county.a1_handler, complaint=c, kind="unsatisfied"
    ).exists()
    # The staff detail page says it came from the consumer.
    staff = Client()
    staff.force_login(county.a_manager)
    detail = staff.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert "消费者本人（网上）" in detail
    # Resolving again needs the re-verification first.
    from complaints.errors import WorkflowError

    with pytest.raises(WorkflowError):
        complaint_act(
            actor=county.a1_handler,
            complaint_id=c.pk,
            action="resolve",
            **valid_data("resolve", c, county),
        )


def test_satisfied_verdict_is_the_consumers_own(county, filed):
    c, code, _secret = filed
    c = _answer(county, c, satisfaction="basic")
    client = Client()
    open_case(client, code, "5678")
    client.post(reverse("portal:track_verdict"), {"satisfaction": "satisfied", "comment": ""})
    c.refresh_from_db()
    assert (c.status, c.satisfaction, c.satisfaction_source) == (
        "answered",
        "satisfied",
        "consumer",
    )
    row = TimelineEntry.objects.filter(complaint=c, action="consumer_rate").get()
    assert row.payload["previous_source"] == "staff"
    # Once only.
    r = client.post(reverse("portal:track_verdict"), {"satisfaction": "unsatisfied"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == "answered"


def test_verdict_window_closes(county, filed, settings):
    settings.CONSUMER_VERDICT_WINDOW_DAYS = 3
    c, code, _secret = filed
    c = _answer(county, c, satisfaction="basic")
    Complaint.objects.filter(pk=c.pk).update(answered_at=timezone.now() - timedelta(days=4))
    client = Client()
    open_case(client, code, "5678")
    assert 'data-testid="verdict"' not in client.get(reverse("portal:track_case")).content.decode()
    client.post(reverse("portal:track_verdict"), {"satisfaction": "unsatisfied"})
    c.refresh_from_db()
    assert c.status == "answered"


def test_staff_cannot_use_the_consumers_actions(county, filed):
    c, _code, _secret = filed
    c = _answer(county, c, satisfaction="basic")
    from complaints.errors import PermissionRefused

    with pytest.raises(PermissionRefused):
        complaint_act(
            actor=county.a_manager, complaint_id=c.pk, action="consumer_reopen", comment="x"
        )


def test_result_letter_contains_the_answer(county, filed):
    c, code, _secret = filed
    client = Client()
    open_case(client, code, "5678")
    assert client.get(reverse("portal:track_letter")).status_code == 404  # not answered yet
    c = _answer(county, c, satisfaction="basic", note="已退还多收手续费35.50元")
    r = client.get(reverse("portal:track_letter"))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "投诉处理结果告知书" in text
    assert "已退还多收手续费35.50元" in text
    assert "经调阅监控，情况属实" in text  # findings
    assert "35.50" in text
    for remedy in ("调解", "仲裁", "诉讼", "12363"):
        assert remedy in text


def test_acceptance_context_link_opens_the_form_without_logging_the_secret(county, filed):
    c, _code, secret = filed
    msg = services.acceptance_message(c.consumer_access, secret.replace("-", ""))
    path, fragment = msg["link"].split("#")
    assert path.endswith(reverse("portal:track"))
    assert secret.replace("-", "") in fragment


def test_consumer_account_reaches_only_portal_complaints(county, filed, intake):
    from django.http import Http404

    from complaints.consumer import consumer_actor
    from complaints.rules import complaints_visible_to
    from tests.complaints.helpers import register

    c, _code, _secret = filed
    at_counter = register(county, intake())
    actor = consumer_actor()
    assert list(complaints_visible_to(actor)) == [c]
    with pytest.raises(Http404):
        complaint_act(actor=actor, complaint_id=at_counter.pk, action="consumer_add", text="x")
    # It cannot sign in.
    assert not actor.is_active
    assert not actor.has_usable_password()
