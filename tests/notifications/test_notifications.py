import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import Notification


def _notify(user, key="k1"):
    return services.notify(
        recipients=[user],
        kind="info",
        title="投诉 X 已分办给您",
        url="/complaints/",
        dedupe_key=key,
    )


def test_notify_is_idempotent_per_key(county):
    assert len(_notify(county.a_manager)) == 1
    assert _notify(county.a_manager) == []
    assert Notification.objects.filter(recipient=county.a_manager).count() == 1


def test_email_is_sent_once(county):
    county.a_manager.email = "m@example.com"
    county.a_manager.save()
    ids = _notify(county.a_manager)
    assert services.deliver_emails(ids) == 1
    assert services.deliver_emails(ids) == 0
    assert [m.to for m in mail.outbox] == [["m@example.com"]]
    assert mail.outbox[0].subject == "投诉 X 已分办给您"


def test_bell_list_and_mark_read(client, county):
    _notify(county.a_manager)
    client.force_login(county.a_manager)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">1<' in body
    assert "投诉 X 已分办给您" in client.get(reverse("notifications:list")).content.decode()
    client.post(reverse("notifications:read"))
    body = client.get(reverse("notifications:bell")).content.decode()
    assert 'data-testid="unread-count">0<' in body


def test_someone_elses_notification_is_not_found(client, county):
    _notify(county.b_manager)
    note = Notification.objects.get()
    client.force_login(county.a_manager)
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert Notification.objects.get().read_at is None


# --- e-mail delivery: at least once, under a stable Message-ID -----------------------------


def _unsent(user, key="k1") -> Notification:
    user.email = "m@example.com"
    user.save(update_fields=["email"])
    (pk,) = _notify(user, key)
    return Notification.objects.get(pk=pk)


def test_email_carries_a_message_id_derived_from_the_notice(county):
    note = _unsent(county.a_manager)
    assert services.deliver_emails([note.pk]) == 1
    (sent,) = mail.outbox
    digest = hashlib.sha256(f"{note.pk}:k1".encode()).hexdigest()[:16]
    message_id = f"<notification-{note.pk}.{digest}@complaints.local>"
    assert sent.message()["Message-ID"] == message_id == services.email_message_id(note)
    assert sent.message()["X-Idempotency-Key"] == message_id.strip("<>")
    note.refresh_from_db()
    assert (note.email_attempts, note.email_claimed_at) == (1, None)
    assert note.emailed_at is not None


def test_claim_of_a_live_worker_is_respected_until_its_lease_expires(
    county, settings, time_machine
):
    note = _unsent(county.a_manager)
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    # A worker claimed it and has not finished (or died): nobody else sends it ...
    Notification.objects.filter(pk=note.pk).update(email_claimed_at=start, email_attempts=1)
    time_machine.move_to(start + timedelta(seconds=settings.NOTIFICATION_EMAIL_LEASE_SECONDS))
    assert services.deliver_emails() == 0
    # ... until the lease has run out: the resend sends it, once.
    time_machine.move_to(start + timedelta(seconds=settings.NOTIFICATION_EMAIL_LEASE_SECONDS + 1))
    assert services.deliver_emails() == 1
    assert services.deliver_emails() == 0
    (sent,) = mail.outbox
    assert sent.message()["Message-ID"] == services.email_message_id(note)
    note.refresh_from_db()
    assert (note.email_attempts, note.email_claimed_at) == (2, None)


def test_failed_send_releases_the_claim_for_the_next_run(county, settings):
    note = _unsent(county.a_manager)
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    assert services.deliver_emails() == 0
    note.refresh_from_db()
    assert (note.emailed_at, note.email_claimed_at, note.email_attempts) == (None, None, 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.deliver_emails() == 1
    assert len(mail.outbox) == 1


def test_a_notice_failing_every_time_is_given_up_after_the_limit(county, settings):
    note = _unsent(county.a_manager)
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS = 3
    for _ in range(5):
        services.deliver_emails()
    note.refresh_from_db()
    assert (note.emailed_at, note.email_attempts) == (None, 3)


def test_notice_to_someone_without_email_is_settled_without_sending(county):
    (pk,) = _notify(county.b_manager)
    assert services.deliver_emails() == 0
    note = Notification.objects.get(pk=pk)
    assert (note.emailed_at is not None, note.email_attempts, mail.outbox) == (True, 0, [])


# --- mark read: back to a page of this site only --------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "http://evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "https://testserver.evil.example/",
    ],
)
def test_mark_read_never_redirects_off_site(client, county, target):
    _notify(county.a_manager)
    client.force_login(county.a_manager)
    response = client.post(reverse("notifications:read"), {"next": target})
    assert (response.status_code, response["Location"]) == (302, reverse("notifications:list"))
    assert Notification.objects.get().read_at is not None


def test_mark_read_returns_to_a_local_page(client, county):
    _notify(county.a_manager)
    client.force_login(county.a_manager)
    response = client.post(reverse("notifications:read"), {"next": "/complaints/?status=open"})
    assert (response.status_code, response["Location"]) == (302, "/complaints/?status=open")
    response = client.post(reverse("notifications:read"))
    assert response["Location"] == reverse("notifications:list")


def test_mark_read_over_https_refuses_a_plain_http_target(client, county):
    client.force_login(county.a_manager)
    response = client.post(
        reverse("notifications:read"), {"next": "http://testserver/complaints/"}, secure=True
    )
    assert response["Location"] == reverse("notifications:list")
    response = client.post(
        reverse("notifications:read"), {"next": "https://testserver/complaints/"}, secure=True
    )
    assert response["Location"] == "https://testserver/complaints/"
