"""Creating and delivering notices. Rows are written inside the caller's transaction
(they are the outbox); e-mail goes out after commit, and a periodic task re-sends
anything a crashed worker left unsent, so nothing is lost and nothing is sent twice."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
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


def deliver_emails(ids: Iterable[int] | None = None, *, limit: int = 500) -> int:
    """Send the e-mail of each unsent notice once. Claims each row with a
    conditional UPDATE so two workers never send the same one."""
    qs = Notification.objects.filter(emailed_at__isnull=True).select_related("recipient")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    sent = 0
    for note in qs.order_by("pk")[:limit]:
        if not note.recipient.email:
            Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
            continue
        claimed = Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            continue
        try:
            send_mail(
                subject=note.title,
                message=f"{note.body}\n\n{settings.SITE_URL.rstrip('/')}{note.url}",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[note.recipient.email],
            )
            sent += 1
        except Exception:
            # Un-claim so the resend task tries again.
            Notification.objects.filter(pk=note.pk).update(emailed_at=None)
            log.exception("e-mail for notification %s failed", note.pk)
    return sent


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


class SmsBackend:
    """Interface for an SMS gateway, to be implemented per bank (no fake sender is
    shipped). ``send`` must be idempotent for the same ``notification_id``."""

    def send(self, *, phone: str, text: str, notification_id: int) -> None:
        raise NotImplementedError
