"""Sessions: rotation at login, idle and absolute timeouts, logout and password change
end them."""

import datetime as dt
import time

import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from institutions.auth import SESSION_STARTED_KEY

PASSWORD = "pw-Secret-123"


def _login(client, username="a_mgr"):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_session_key_rotates_at_login(client, county):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    _login(client)
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(county.a_manager.pk)


def test_idle_timeout_is_thirty_minutes_by_default(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_REFRESH_SECONDS == 60


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_activity_extends_the_session_at_most_once_a_minute(client, county):
    with time_machine.travel(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC), tick=False) as t:
        _login(client)
        client.get(reverse("home"))
        first = _expiry(client)
        t.shift(20)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        assert _expiry(client) == first
        assert not [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
        t.shift(45)
        client.get(reverse("home"))
        assert _expiry(client) == first + dt.timedelta(seconds=65)


def test_an_active_user_is_not_logged_out_and_an_idle_one_is(client, county, settings):
    with time_machine.travel(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC), tick=False) as t:
        _login(client)
        for _ in range(4):  # active for 80 minutes, a click every 20
            t.shift(20 * 60)
            assert client.get(reverse("home")).status_code == 200
        t.shift(settings.SESSION_COOKIE_AGE + 1)  # then idle
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_absolute_timeout_ends_an_active_session(client, county, settings):
    _login(client)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_logout_ends_the_session(client, county):
    _login(client)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_password_change_ends_other_sessions(county):
    laptop, phone = Client(), Client()
    _login(laptop)
    _login(phone)
    response = laptop.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "N3w-Passw0rd-2026",
            "new_password2": "N3w-Passw0rd-2026",
        },
    )
    assert response.status_code == 302
    assert laptop.get(reverse("home")).status_code == 200  # the session that changed it
    assert phone.get(reverse("home")).status_code == 302  # every other one is over


def test_password_change_page_is_chinese(client, county):
    client.force_login(county.a_manager)
    body = client.get(reverse("password_change")).content.decode()
    assert "<h1>修改密码</h1>" in body
