import re

import pytest
from django.urls import reverse

from institutions.models import Institution


def test_login_page_is_chinese(client, db):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>登录</h1>" in body
    assert 'lang="zh-hans"' in body


def test_login_page_switches_to_english_on_request(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="en"' in response.content.decode()


def test_home_requires_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["regulator", "a_manager", "a_handler", "a_teller", "sysadmin"])
def test_home_shows_institution_and_role(client, county, who):
    user = getattr(county, who)
    client.force_login(user)
    body = client.get(reverse("home")).content.decode()
    assert f'data-testid="home-institution">{user.institution.name}<' in body
    assert f'data-testid="home-role">{user.get_role_display()}<' in body


def test_login_with_good_password_lands_on_home(client, county):
    response = client.post(reverse("login"), {"username": "a_tel", "password": "pw-Secret-123"})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_unknown_user_and_wrong_password_answer_the_same(client, county):
    def page(username):
        body = client.post(reverse("login"), {"username": username, "password": "x"})
        body = body.content.decode().replace(username, "U")
        return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", body)

    a, b = page("nobody"), page("a_tel")
    assert "用户名或密码不正确。" in a
    assert a == b


def test_login_is_throttled_after_five_failures(client, county, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "a_tel", "password": "wrong"})
    # Locked: even the right password is refused now.
    response = client.post(reverse("login"), {"username": "a_tel", "password": "pw-Secret-123"})
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_forged_forwarded_for_does_not_escape_the_lock(client, county, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "a_tel", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        )
    response = client.post(
        reverse("login"),
        {"username": "a_tel", "password": "pw-Secret-123"},
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )
    assert response.status_code == 429


def test_admin_shows_institution_tree_to_sysadmin(client, county):
    client.force_login(county.sysadmin)
    body = client.get(reverse("admin:institutions_institution_changelist")).content.decode()
    assert "甲银行一号网点" in body
    assert "└ " in body  # child rows are indented under their parent
    assert "邻县丙银行" not in body  # another county's bank is outside the jurisdiction


def test_admin_refuses_bank_staff(client, county):
    client.force_login(county.a_manager)
    response = client.get(reverse("admin:institutions_institution_changelist"))
    assert response.status_code == 302  # not staff: sent to the admin login


def test_admin_institution_out_of_scope_is_not_found(client, county):
    client.force_login(county.sysadmin)
    url = reverse("admin:institutions_institution_change", args=[county.bank_x.pk])
    assert client.get(url).status_code == 404
    assert Institution.objects.filter(pk=county.bank_x.pk).exists()
