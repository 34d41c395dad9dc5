"""The error pages: Chinese (or the user's language) inside the normal layout, with a
way back, and one log line (no traceback) for a refused request."""

import logging
import sys

from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from config.log_format import ConsoleFormatter


def test_teller_on_supervision_board_gets_chinese_404_with_way_back(client, county):
    # Supervision pages answer a role that may not see them like a missing page
    # (docs/access.md): the same Chinese page, in the layout, with a way back.
    client.force_login(county.a_teller)
    r = client.get(reverse("supervision:board"))
    assert r.status_code == 404
    html = r.content.decode()
    assert "页面不存在" in html
    assert f'href="{reverse("home")}">返回工作台' in html
    assert "Not Found" not in html


def test_handler_on_appraisal_gets_chinese_403_with_way_back(client, county):
    client.force_login(county.a_handler)
    r = client.get(reverse("evaluation:home"))
    assert r.status_code == 403
    html = r.content.decode()
    assert "无权访问此页面" in html
    assert f'href="{reverse("home")}">返回工作台' in html
    assert "data-back" in html
    # Inside the normal layout: the top bar with the user's navigation.
    assert 'class="mainnav"' in html
    assert [t.name for t in r.templates][:2] == ["403.html", "errors/page.html"]


def test_missing_complaint_gets_chinese_404_in_layout(client, county):
    client.force_login(county.a_teller)
    r = client.get(reverse("complaints:detail", args=[999_999]))
    assert r.status_code == 404
    html = r.content.decode()
    assert "页面不存在" in html
    assert "返回工作台" in html
    assert 'class="mainnav"' in html
    assert "Not Found" not in html


def test_unknown_address_anonymous_gets_404_with_login_link(client, db):
    r = client.get("/no-such-page/")
    assert r.status_code == 404
    html = r.content.decode()
    assert "页面不存在" in html
    assert f'href="{reverse("login")}">返回登录页' in html
    # DEBUG is off: not Django's technical page listing the URL patterns.
    assert "URLconf" not in html


def test_404_in_english_for_an_english_user(client, county):
    client.force_login(county.a_teller)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = client.get("/no-such-page/")
    html = r.content.decode()
    assert "Page not found" in html
    assert "Back to workbench" in html
    assert "页面不存在" not in html


def test_500_renders_without_database_or_context_processors(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        r = server_error(request)
    html = r.content.decode()
    assert r.status_code == 500
    assert "系统暂时出错" in html
    assert "返回工作台" in html
    assert "css/app.css" in html


def test_500_in_english():
    with translation.override("en"):
        html = server_error(RequestFactory().get("/")).content.decode()
    assert "System error" in html
    assert "系统" not in html.split("<body>")[1]


def test_lockout_page_in_the_error_page_style(client, county, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(reverse("login"), {"username": "a_mgr", "password": "wrong"})
    r = client.post(reverse("login"), {"username": "a_mgr", "password": "wrong"})
    assert r.status_code == 429
    html = r.content.decode()
    assert "账号已暂时锁定" in html
    assert 'class="card narrow error-page"' in html
    assert f'href="{reverse("login")}">返回登录页' in html


def test_403_is_logged_as_one_line_without_traceback(client, county, caplog):
    client.force_login(county.a_handler)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(reverse("evaluation:home"))
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info  # Django attaches the exception …
    line = ConsoleFormatter().format(record)  # … the console leaves it out
    assert line == f"Forbidden (Permission denied): {reverse('evaluation:home')}"
    assert "Traceback" not in line


def test_server_errors_keep_their_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "x", (), sys.exc_info()
        )
    record.status_code = 500
    assert "Traceback" in ConsoleFormatter().format(record)


def test_console_prints_through_the_formatter():
    formatter = settings.LOGGING["handlers"]["console"]["formatter"]
    assert settings.LOGGING["formatters"][formatter]["()"] == "config.log_format.ConsoleFormatter"
