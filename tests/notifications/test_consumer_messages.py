"""The consumer-message outbox: rendering, opt-out, at-least-once delivery through the
HTTP gateway (a real server on loopback) with the message's idempotency key."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from notifications import consumer
from notifications.consumer import deliver_consumer_messages, notify_consumer
from notifications.models import ConsumerMessage, ConsumerOptOut, MessageTemplate

PHONE = "13812345678"
CTX = {"tracking_no": "BANK-A-20261205-001", "institution": "甲银行", "due_date": "12月8日"}


def _accepted(**kw):
    kw.setdefault("phone", PHONE)
    return notify_consumer(event="accepted", context=CTX, reference=CTX["tracking_no"], **kw)


def test_renders_the_active_template_for_each_channel(message_templates):
    rows = _accepted(email="li@example.com")
    assert {(r.channel, r.phone, r.email) for r in rows} == {
        ("sms", PHONE, ""),
        ("email", "", "li@example.com"),
    }
    sms_row = next(r for r in rows if r.channel == "sms")
    assert sms_row.body == (
        "您对甲银行的投诉已受理，投诉编号 BANK-A-20261205-001，我们将在 12月8日 前答复您。"
    )
    assert sms_row.reference == "BANK-A-20261205-001"
    email_row = next(r for r in rows if r.channel == "email")
    assert email_row.subject == "投诉已受理（编号 BANK-A-20261205-001）"


def test_an_inactive_template_sends_nothing_on_its_channel(message_templates):
    MessageTemplate.objects.filter(event="accepted", channel="sms").update(is_active=False)
    rows = _accepted(email="li@example.com")
    assert [r.channel for r in rows] == ["email"]


def test_edited_template_is_what_is_sent(message_templates):
    MessageTemplate.objects.filter(event="accepted", channel="sms").update(
        body="编号{tracking_no}已受理"
    )
    (row,) = _accepted()
    assert row.body == "编号BANK-A-20261205-001已受理"


def test_a_landline_gets_no_sms(message_templates):
    assert _accepted(phone="03191234567") == []


def test_the_context_must_be_the_events_placeholders(message_templates):
    with pytest.raises(ValueError, match="must have exactly"):
        notify_consumer(event="accepted", phone=PHONE, context={"tracking_no": "X"}, reference="X")
    with pytest.raises(ValueError, match="unknown consumer event"):
        notify_consumer(event="closed", phone=PHONE, context=CTX, reference="X")


def test_an_opted_out_phone_gets_nothing_but_the_email_still_goes(message_templates):
    consumer.consumer_opt_out(address="+86 138-1234-5678")
    rows = _accepted(email="li@example.com")
    assert [r.channel for r in rows] == ["email"]
    optout = ConsumerOptOut.objects.get()
    assert optout.hint == "138****5678"
    assert PHONE not in optout.digest


def test_opt_out_is_idempotent_and_cancels_queued_messages(message_templates, sms_outbox):
    (row,) = _accepted()
    consumer.consumer_opt_out(address=PHONE)
    consumer.consumer_opt_out(address=PHONE)
    assert ConsumerOptOut.objects.count() == 1
    assert deliver_consumer_messages() == 0
    row.refresh_from_db()
    assert row.cancelled_at is not None
    assert row.sent_at is None
    assert sms_outbox == []


def test_delivered_once_through_the_backend(message_templates, sms_outbox):
    (row,) = _accepted()
    assert deliver_consumer_messages([row.pk]) == 1
    assert deliver_consumer_messages() == 0
    (sent,) = sms_outbox
    assert (sent.to, sent.body, sent.key) == (PHONE, row.body, str(row.key))
    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.attempts == 1


def test_email_goes_out_under_a_stable_message_id(message_templates):
    (row,) = _accepted(phone="", email="li@example.com")
    deliver_consumer_messages()
    (m,) = mail.outbox
    assert m.to == ["li@example.com"]
    assert m.subject == "投诉已受理（编号 BANK-A-20261205-001）"
    assert m.extra_headers["Message-ID"] == f"<consumer-message-{row.key}@complaints.local>"
    assert m.extra_headers["X-Idempotency-Key"] == str(row.key)


def test_gateway_500_is_retried_after_the_back_off_and_sent_exactly_once(
    message_templates, gateway, caplog
):
    gateway.statuses = [500]
    (row,) = _accepted()
    start = timezone.now()
    with time_machine.travel(start, tick=False), caplog.at_level(logging.WARNING):
        assert deliver_consumer_messages([row.pk]) == 0
    row.refresh_from_db()
    assert (row.sent_at, row.attempts, row.last_error) == (None, 1, "SMS gateway answered HTTP 500")
    assert row.claimed_until == start + timedelta(seconds=30)
    assert PHONE not in caplog.text  # logs name the message and the complaint, not the number
    assert "BANK-A-20261205-001" in caplog.text

    # Within the back-off the periodic resend leaves it alone.
    with time_machine.travel(start + timedelta(seconds=10), tick=False):
        assert deliver_consumer_messages() == 0
    assert len(gateway.requests) == 1

    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        assert deliver_consumer_messages() == 1
        assert deliver_consumer_messages() == 0
    row.refresh_from_db()
    assert row.sent_at is not None
    assert (row.attempts, row.last_error) == (2, "")
    assert [r["status"] for r in gateway.requests] == [500, 200]
    # Every attempt under the message's own key; the gateway took it once.
    assert {r["headers"]["idempotency-key"] for r in gateway.requests} == {str(row.key)}
    assert gateway.delivered == {str(row.key): {"id": str(row.key), "to": PHONE, "text": row.body}}


def test_a_worker_that_died_after_the_gateway_took_it_resends_under_the_same_key(
    message_templates, gateway
):
    (row,) = _accepted()
    deliver_consumer_messages()
    # The worker was killed between the gateway's 200 and recording it: the row is
    # still unsent and its claim expires.
    ConsumerMessage.objects.filter(pk=row.pk).update(
        sent_at=None, claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert deliver_consumer_messages() == 1
    assert len(gateway.requests) == 2
    assert gateway.requests[0]["headers"]["idempotency-key"] == str(row.key)
    assert gateway.requests[1]["headers"]["idempotency-key"] == str(row.key)
    assert len(gateway.delivered) == 1  # the gateway de-duplicated the second copy


def test_a_claimed_message_is_not_sent_by_a_second_worker(message_templates, sms_outbox):
    (row,) = _accepted()
    ConsumerMessage.objects.filter(pk=row.pk).update(
        claimed_until=timezone.now() + timedelta(minutes=5)
    )
    assert deliver_consumer_messages() == 0
    assert sms_outbox == []


def test_retry_delay_doubles_up_to_an_hour():
    assert [consumer.retry_delay(n).total_seconds() for n in (1, 2, 3, 8, 20)] == [
        30,
        60,
        120,
        3600,
        3600,
    ]


def test_sensitive_body_is_blanked_once_sent(message_templates, sms_outbox):
    (row,) = notify_consumer(
        event="accepted_online",
        phone=PHONE,
        context={
            "tracking_code": "Q7K2M9",
            "secret": "s3cr3t-Xy",
            "enquiry_url": "https://example.invalid/q/Q7K2M9",
            "institution": "甲银行",
            "due_date": "12月8日",
        },
        reference="BANK-A-20261205-002",
        sensitive=True,
    )
    assert "s3cr3t-Xy" in row.body
    deliver_consumer_messages()
    assert "s3cr3t-Xy" in sms_outbox[0].body
    assert sms_outbox[0].sensitive
    row.refresh_from_db()
    assert row.body == ""
    assert row.sent_at is not None


def test_given_up_after_the_last_attempt_and_a_sensitive_body_is_blanked(
    message_templates, gateway, settings
):
    settings.CONSUMER_MESSAGE_MAX_ATTEMPTS = 2
    gateway.statuses = [500, 503]
    (row,) = notify_consumer(
        event="accepted_online",
        phone=PHONE,
        context={
            "tracking_code": "Q7K2M9",
            "secret": "s3cr3t-Xy",
            "enquiry_url": "https://example.invalid/q/Q7K2M9",
            "institution": "甲银行",
            "due_date": "12月8日",
        },
        reference="BANK-A-20261205-002",
        sensitive=True,
    )
    deliver_consumer_messages()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        deliver_consumer_messages()
    with time_machine.travel(timezone.now() + timedelta(hours=5)):
        assert deliver_consumer_messages() == 0
    row.refresh_from_db()
    assert (row.attempts, row.sent_at, row.body) == (2, None, "")
    assert row.last_error == "SMS gateway answered HTTP 503"
    assert len(gateway.requests) == 2


def test_an_opt_out_recorded_meanwhile_is_checked_again_at_delivery(message_templates, sms_outbox):
    (row,) = _accepted()
    # Recorded by another process while the message waited (no cancellation ran).
    ConsumerOptOut.objects.create(digest=consumer.address_digest(PHONE), hint="138****5678")
    assert deliver_consumer_messages() == 0
    assert sms_outbox == []
    row.refresh_from_db()
    assert row.cancelled_at is not None
