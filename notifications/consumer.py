"""Messages to the consumer: acceptance, extension, answer and reopening of their
complaint, by SMS and e-mail, only with their consent and never after they opted out.

``notify_consumer`` renders the active templates for the event and writes one
``ConsumerMessage`` per channel inside the caller's transaction (the outbox); the
messages are queued to a worker after commit, and a periodic task sends what was left
(broker down, worker killed, gateway failing). Delivery is at least once: a message is
marked sent only after the gateway or mail server took it, and every attempt carries
the message's ``key`` so the receiving side can drop a second copy. See
docs/notifications.md.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Iterable
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import sms
from .models import ConsumerEvent, ConsumerMessage, ConsumerOptOut, MessageChannel, MessageTemplate
from .templating import PLACEHOLDERS, render

log = logging.getLogger(__name__)


def notify_consumer(
    *,
    event: str,
    phone: str,
    email: str = "",
    context: dict[str, str],
    reference: str,
    sensitive: bool = False,
) -> list[ConsumerMessage]:
    """Queue the messages for ``event`` to a consumer: an SMS to ``phone`` (a mobile
    number, digits only) and an e-mail to ``email`` where the event has an active
    template for that channel and the address has not opted out. Returns the rows
    written (none when nothing applies).

    The caller has checked the consumer's consent (``Complaint.notify_consent``):
    this function sends to whoever it is given. ``context`` must hold exactly the
    event's placeholders (``templating.PLACEHOLDERS``); ``reference`` is the
    complaint's tracking number. ``sensitive`` blanks the stored body once sent (the
    portal's acceptance carries the enquiry secret). Rows are written in the
    caller's transaction and sent after it commits."""
    if event not in ConsumerEvent.values:
        raise ValueError(f"unknown consumer event {event!r}")
    expected = set(PLACEHOLDERS[event])
    if set(context) != expected:
        raise ValueError(
            f"context for {event!r} must have exactly {sorted(expected)}, got {sorted(context)}"
        )
    addresses: dict[str, str] = {
        MessageChannel.SMS: phone if sms.is_mobile(phone) else "",
        MessageChannel.EMAIL: (email or "").strip(),
    }
    templates = MessageTemplate.objects.filter(
        event=event, is_active=True, channel__in=[ch for ch, a in addresses.items() if a]
    )
    opted_out = opted_out_digests(addresses.values())
    rows = []
    for template in templates:
        address = addresses[template.channel]
        if address_digest(address) in opted_out:
            continue
        rows.append(
            ConsumerMessage(
                event=event,
                channel=template.channel,
                phone=address if template.channel == MessageChannel.SMS else "",
                email=address if template.channel == MessageChannel.EMAIL else "",
                subject=render(template.subject, context)[:200],
                body=render(template.body, context),
                sensitive=sensitive,
                reference=reference,
            )
        )
    if not rows:
        return []
    ConsumerMessage.objects.bulk_create(rows)
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: _enqueue(ids))
    return rows


def _enqueue(ids: list[int]) -> None:
    from .tasks import send_consumer_messages

    try:
        send_consumer_messages.delay(ids)
    except Exception:  # broker down: the periodic resend delivers them later
        log.warning("broker unavailable; %d consumer messages left for the resend task", len(ids))


# --- Opt-out --------------------------------------------------------------------------


def normalise_address(address: str) -> str:
    """A phone number as digits (a +86/0086 prefix dropped), an e-mail address in
    lower case: the form opt-outs are recorded and looked up in."""
    text = unicodedata.normalize("NFKC", address or "").strip()
    if "@" in text:
        return text.lower()
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("+86") or (digits.startswith("86") and len(digits) == 13):
        digits = digits[2:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def address_digest(address: str) -> str:
    return hashlib.sha256(f"consumer-opt-out:{normalise_address(address)}".encode()).hexdigest()


def opted_out_digests(addresses: Iterable[str]) -> set[str]:
    digests = [address_digest(a) for a in addresses if a]
    return set(ConsumerOptOut.objects.filter(digest__in=digests).values_list("digest", flat=True))


def is_opted_out(address: str) -> bool:
    return bool(address) and bool(opted_out_digests([address]))


def _hint(address: str) -> str:
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    return sms.mask_phone(address)


@transaction.atomic
def consumer_opt_out(*, address: str, note: str = "") -> ConsumerOptOut:
    """Stop every message to ``address`` (a phone number or e-mail address), including
    those queued and not yet sent. Idempotent: opting out twice keeps one record."""
    address = normalise_address(address)
    if not address:
        raise ValueError("an opt-out needs a phone number or an e-mail address")
    optout, _ = ConsumerOptOut.objects.get_or_create(
        digest=address_digest(address), defaults={"hint": _hint(address), "note": note}
    )
    field = "email" if "@" in address else "phone"
    ConsumerMessage.objects.filter(
        **{f"{field}__iexact": address}, sent_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=timezone.now(), claimed_until=None)
    return optout


# --- Delivery -------------------------------------------------------------------------


def _claimable(now) -> Q:
    """Unsent, not cancelled, and nobody's claim (or back-off) runs past now."""
    return Q(sent_at__isnull=True, cancelled_at__isnull=True) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    )


def retry_delay(attempts: int) -> timedelta:
    """How long a message waits after its ``attempts``-th failure: 30 s, doubling,
    at most an hour — so a gateway down for an afternoon loses nothing."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def deliver_consumer_messages(ids: Iterable[int] | None = None, *, limit: int = 200) -> int:
    """Send each due consumer message once more; returns how many were taken now.

    Each row is claimed until ``now + CONSUMER_MESSAGE_LEASE_SECONDS`` with a
    conditional UPDATE (committed at once: this runs outside a transaction), so two
    workers never send it at the same time. It is stamped ``sent_at`` only after the
    backend took it. A failure records the error and holds the row back for
    ``retry_delay``; after ``CONSUMER_MESSAGE_MAX_ATTEMPTS`` it is left unsent (and
    logged). A worker killed between claim and stamp leaves a claim that expires, and
    the periodic resend sends again under the same key. An address that opted out
    meanwhile is cancelled, not sent."""
    max_attempts = settings.CONSUMER_MESSAGE_MAX_ATTEMPTS
    lease = timedelta(seconds=settings.CONSUMER_MESSAGE_LEASE_SECONDS)
    qs = ConsumerMessage.objects.filter(_claimable(timezone.now()), attempts__lt=max_attempts)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    sent = 0
    for message in qs.order_by("pk")[:limit]:
        now = timezone.now()
        until = now + lease
        claimed = ConsumerMessage.objects.filter(
            _claimable(now), pk=message.pk, attempts__lt=max_attempts
        ).update(claimed_until=until, attempts=F("attempts") + 1)
        if not claimed:
            continue
        attempt = message.attempts + 1
        mine = ConsumerMessage.objects.filter(pk=message.pk, claimed_until=until)
        if is_opted_out(message.recipient):
            mine.update(cancelled_at=timezone.now(), claimed_until=None)
            continue
        try:
            _send(message)
        except Exception as e:
            error = str(e)[:300] or type(e).__name__
            fields = {"claimed_until": timezone.now() + retry_delay(attempt), "last_error": error}
            if attempt >= max_attempts:
                if message.sensitive:
                    fields["body"] = ""
                log.error(
                    "consumer message %s (%s) failed %d times; giving up: %s",
                    message.pk,
                    message.reference,
                    attempt,
                    error,
                )
            else:
                log.warning(
                    "consumer message %s (%s) failed (attempt %d): %s",
                    message.pk,
                    message.reference,
                    attempt,
                    error,
                )
            mine.update(**fields)
            continue
        # Sent: recorded whatever became of the claim meanwhile (a send slower than
        # the lease may have been claimed and sent again: at least once).
        done = {"sent_at": timezone.now(), "claimed_until": None, "last_error": ""}
        if message.sensitive:
            done["body"] = ""
        ConsumerMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(**done)
        sent += 1
    return sent


def _send(message: ConsumerMessage) -> None:
    if message.channel == MessageChannel.SMS:
        sms.send_sms(
            sms.SmsMessage(
                to=message.phone,
                body=message.body,
                key=str(message.key),
                sensitive=message.sensitive,
            )
        )
        return
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    message_id = f"<consumer-message-{message.key}@{domain}>"
    EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.email],
        headers={"Message-ID": message_id, "X-Idempotency-Key": str(message.key)},
    ).send()
