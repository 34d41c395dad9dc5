from django.core import mail
from django.urls import reverse

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
