"""Creating and delivering notices. Rows are written inside the caller's transaction
(they are the outbox); e-mail goes out after commit, and a periodic task re-sends
anything a crashed worker left unsent. E-mail is delivered at least once: a notice is
marked sent only after the mail server took it, so a worker that dies in between
leaves it to the resend, which sends it again under the same Message-ID (the
idempotency key a receiving system can drop the second copy by). See
docs/security.md, "E-mail delivery"."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Notification

log = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    complaint=None,
    url: str = "",
    dedupe_key: str,
) -> list[int]:
    """Create one notice per recipient unless that (recipient, dedupe_key) exists.
    Returns the ids created now; their e-mails are queued after commit."""
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not users:
        return []
    existing = set(
        Notification.objects.filter(recipient_id__in=users, dedupe_key=dedupe_key).values_list(
            "recipient_id", flat=True
        )
    )
    rows = [
        Notification(
            recipient_id=uid,
            kind=kind,
            title=title[:200],
            body=body,
            complaint=complaint,
            url=url,
            dedupe_key=dedupe_key[:120],
        )
        for uid in users
        if uid not in existing
    ]
    # ignore_conflicts: a concurrent sweep that inserted the same key first wins.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(
        Notification.objects.filter(
            recipient_id__in=[r.recipient_id for r in rows],
            dedupe_key=dedupe_key,
            emailed_at__isnull=True,
        ).values_list("pk", flat=True)
    )
    if created:
        transaction.on_commit(lambda: _enqueue_emails(created))
    return created


def _enqueue_emails(ids: list[int]) -> None:
    from .tasks import send_notification_emails

    try:
        send_notification_emails.delay(ids)
    except Exception:  # broker down: the periodic resend delivers them later
        log.warning(
            "broker unavailable; %d notification e-mails left for the resend task", len(ids)
        )


def email_message_id(note: Notification) -> str:
    """The notice's e-mail Message-ID, the same for every attempt to send it: derived
    from its id and dedupe key (not from the time or the host), so a receiving system
    sees a resent copy as the same message."""
    digest = hashlib.sha256(f"{note.pk}:{note.dedupe_key}".encode()).hexdigest()[:16]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<notification-{note.pk}.{digest}@{domain}>"


def _claimable(now) -> Q:
    """Unsent, and nobody holds an unexpired claim on it."""
    lease = timedelta(seconds=settings.NOTIFICATION_EMAIL_LEASE_SECONDS)
    return Q(emailed_at__isnull=True) & (
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - lease)
    )


def deliver_emails(ids: Iterable[int] | None = None, *, limit: int = 500) -> int:
    """Send the e-mail of each unsent notice, at least once; returns how many were
    sent now.

    Each row is claimed for ``NOTIFICATION_EMAIL_LEASE_SECONDS`` with a conditional
    UPDATE (committed at once), so two workers never send it at the same time. It is
    stamped ``emailed_at`` only after the backend accepted the mail. A failed send
    releases the claim for the next run; a worker killed between claim and stamp
    leaves the claim to expire, and the periodic resend sends the mail again with the
    same Message-ID (``email_message_id``). After ``NOTIFICATION_EMAIL_MAX_ATTEMPTS``
    attempts a notice is left unsent (and logged) rather than retried for ever."""
    max_attempts = settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS
    qs = Notification.objects.filter(
        _claimable(timezone.now()), email_attempts__lt=max_attempts
    ).select_related("recipient")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    sent = 0
    for note in qs.order_by("pk")[:limit]:
        if not note.recipient.email:
            Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            )
            continue
        claimed_at = timezone.now()
        claimed = Notification.objects.filter(_claimable(claimed_at), pk=note.pk).update(
            email_claimed_at=claimed_at, email_attempts=F("email_attempts") + 1
        )
        if not claimed:
            continue
        try:
            _email(note).send()
        except Exception:
            # Release the claim: the next run tries again.
            Notification.objects.filter(pk=note.pk, email_claimed_at=claimed_at).update(
                email_claimed_at=None
            )
            attempt = note.email_attempts + 1
            if attempt >= max_attempts:
                log.error("e-mail for notification %s failed %d times; giving up", note.pk, attempt)
            else:
                log.exception("e-mail for notification %s failed (attempt %d)", note.pk, attempt)
            continue
        # Sent: recorded whatever became of the claim meanwhile (a send slower than
        # the lease may have been claimed and sent again: at least once).
        Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now(), email_claimed_at=None
        )
        sent += 1
    return sent


def _email(note: Notification) -> EmailMessage:
    message_id = email_message_id(note)
    return EmailMessage(
        subject=note.title,
        body=f"{note.body}\n\n{settings.SITE_URL.rstrip('/')}{note.url}",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[note.recipient.email],
        headers={"Message-ID": message_id, "X-Idempotency-Key": message_id.strip("<>")},
    )


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
