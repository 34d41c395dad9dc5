"""Each SMS backend, the HTTP one against a real HTTP server on loopback."""

import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from notifications import sms
from notifications.sms import SmsDeliveryError, SmsMessage, get_backend
from notifications.sms.backends import console, filebased, http, locmem

from .gateway import FakeGateway

MSG = SmsMessage(to="13812345678", body="您的投诉已受理，编号 A-001。", key="k-1")


def test_get_backend_reads_the_setting(settings):
    settings.SMS_BACKEND = "notifications.sms.backends.console.SmsBackend"
    assert isinstance(get_backend(), console.SmsBackend)
    assert isinstance(
        get_backend("notifications.sms.backends.locmem.SmsBackend"), locmem.SmsBackend
    )


def test_test_profile_uses_locmem_and_keeps_the_outbox(sms_outbox):
    sms.send_sms(MSG)
    assert sms_outbox == [MSG]


def test_console_backend_prints_the_message_with_the_phone_masked():
    stream = io.StringIO()
    console.SmsBackend(stream=stream).send(MSG)
    out = stream.getvalue()
    assert "SMS to 138****5678 (key k-1)" in out
    assert "您的投诉已受理，编号 A-001。" in out
    assert "13812345678" not in out


def test_console_backend_withholds_a_sensitive_body():
    stream = io.StringIO()
    console.SmsBackend(stream=stream).send(
        SmsMessage(to="13812345678", body="查询密码 s3cr3t", key="k-9", sensitive=True)
    )
    assert "s3cr3t" not in stream.getvalue()
    assert "[sensitive body withheld]" in stream.getvalue()


def test_file_backend_writes_one_file_per_message_named_by_its_key(tmp_path, settings):
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    backend = get_backend("notifications.sms.backends.filebased.SmsBackend")
    backend.send(MSG)
    backend.send(MSG)  # at least once: the same key is the same file
    backend.send(SmsMessage(to="13900001111", body="第二条", key="k-2"))
    files = sorted(p.name for p in (tmp_path / "sms").iterdir())
    assert files == ["k-1.json", "k-2.json"]
    record = json.loads((tmp_path / "sms" / "k-1.json").read_text(encoding="utf-8"))
    assert (record["to"], record["body"], record["key"]) == (MSG.to, MSG.body, "k-1")


def test_file_backend_needs_a_path(settings):
    settings.SMS_FILE_PATH = ""
    with pytest.raises(ImproperlyConfigured):
        filebased.SmsBackend()


def test_http_backend_posts_json_with_token_and_idempotency_key(gateway):
    get_backend().send(MSG)
    (req,) = gateway.requests
    assert req["path"] == "/sms/send"
    assert req["json"] == {"id": "k-1", "to": "13812345678", "text": MSG.body}
    assert req["headers"]["idempotency-key"] == "k-1"
    assert req["headers"]["authorization"] == "Bearer test-token"
    assert req["headers"]["content-type"] == "application/json; charset=utf-8"
    assert gateway.delivered == {"k-1": req["json"]}


def test_http_backend_raises_on_a_server_error_without_the_number_in_the_error(gateway):
    gateway.statuses = [500]
    with pytest.raises(SmsDeliveryError) as caught:
        get_backend().send(MSG)
    assert str(caught.value) == "SMS gateway answered HTTP 500"
    assert gateway.delivered == {}


def test_http_backend_raises_when_the_token_is_refused(gateway, settings):
    settings.SMS_GATEWAY_TOKEN = "wrong"
    with pytest.raises(SmsDeliveryError, match="HTTP 401"):
        get_backend().send(MSG)


def test_http_backend_treats_a_redirect_as_a_failure(settings):
    with FakeGateway(statuses=[302]) as gw:
        backend = http.SmsBackend(url=gw.url, token=gw.token, timeout=5)
        with pytest.raises(SmsDeliveryError, match="HTTP 302"):
            backend.send(MSG)
        assert len(gw.requests) == 1  # not followed as a GET


def test_http_backend_gives_up_on_a_gateway_that_does_not_answer():
    with FakeGateway(delay=2) as gw:
        backend = http.SmsBackend(url=gw.url, token=gw.token, timeout=0.3)
        with pytest.raises(SmsDeliveryError, match="unreachable"):
            backend.send(MSG)


def test_http_backend_raises_when_nothing_listens():
    with FakeGateway() as gw:
        url = gw.url
    with pytest.raises(SmsDeliveryError, match="unreachable"):
        http.SmsBackend(url=url, token="t", timeout=2).send(MSG)


@pytest.mark.parametrize("url", ["", "file:///etc/passwd", "ftp://gateway/"])
def test_http_backend_refuses_other_schemes(url):
    with pytest.raises(ImproperlyConfigured):
        http.SmsBackend(url=url, token="t", timeout=1)


def test_mask_phone():
    assert sms.mask_phone("13812345678") == "138****5678"
    assert sms.mask_phone("03191234567") == "*******4567"
