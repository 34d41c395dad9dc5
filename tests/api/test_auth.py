"""POST /api/v1/auth/token/: tokens for scripts, throttled by django-axes like the login
page (one lock per user name, shared by both doors)."""

from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.complaints.helpers import register

TOKEN_URL = "/api/v1/auth/token/"


def test_token_for_a_user_name_and_password_opens_the_api(api, county, intake):
    c = register(county, intake())
    # As `curl -d username=… -d password=…` sends it.
    response = api().post(
        TOKEN_URL,
        "username=a_mgr&password=pw-Secret-123",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=county.a_manager).key
    again = api().post(TOKEN_URL, {"username": "a_mgr", "password": "pw-Secret-123"}, format="json")
    assert again.json() == {"token": token}  # the same token, not a new one each time

    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(reverse("api:complaint-detail", args=[c.pk])).json()["id"] == c.pk


def test_wrong_password_and_unknown_user_answer_the_same(api, county):
    wrong = api().post(TOKEN_URL, {"username": "a_mgr", "password": "nope"}, format="json")
    unknown = api().post(TOKEN_URL, {"username": "nobody", "password": "nope"}, format="json")
    assert wrong.status_code == unknown.status_code == 400
    assert (
        wrong.json()
        == unknown.json()
        == {
            "code": "invalid_credentials",
            "detail": "用户名或密码不正确。",
            "detail_en": "Unknown user name or wrong password.",
        }
    )
    assert not Token.objects.exists()


def test_inactive_user_gets_no_token(api, county):
    county.a_manager.is_active = False
    county.a_manager.save(update_fields=["is_active"])
    response = api().post(
        TOKEN_URL, {"username": "a_mgr", "password": "pw-Secret-123"}, format="json"
    )
    assert response.json()["code"] == "invalid_credentials"


def test_axes_locks_the_token_endpoint_and_the_login_page_together(api, client, county, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = api().post(TOKEN_URL, {"username": "a_tel", "password": "wrong"}, format="json")
        assert response.json()["code"] == "invalid_credentials"
    last = api().post(TOKEN_URL, {"username": "a_tel", "password": "wrong"}, format="json")
    assert last.status_code == 429
    assert AccessAttempt.objects.get(username="a_tel").failures_since_start == (
        settings.AXES_FAILURE_LIMIT
    )

    # Locked: even the right password is refused, as JSON (not axes' HTML page) …
    locked = api().post(
        TOKEN_URL, {"username": "a_tel", "password": "pw-Secret-123"}, format="json"
    )
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert locked.json() == {
        "code": "locked_out",
        "detail": "登录失败次数过多，账号已暂时锁定，请稍后再试。",
        "detail_en": "Too many failed logins: the account is locked for a while.",
    }
    assert not Token.objects.filter(user=county.a_teller).exists()
    # … and the browser's login page is locked for that user name too.
    page = client.post(reverse("login"), {"username": "a_tel", "password": "pw-Secret-123"})
    assert page.status_code == 429


def test_administrator_issues_tokens_in_the_admin(client, county):
    from tests.institutions.factories import UserFactory

    root = UserFactory(username="root", role="", institution=None, is_staff=True, is_superuser=True)
    client.force_login(root)
    add = reverse("admin:authtoken_tokenproxy_add")
    response = client.post(add, {"user": county.a_handler.pk})
    assert response.status_code == 302
    token = Token.objects.get(user=county.a_handler)
    listing = client.get(reverse("admin:authtoken_tokenproxy_changelist")).content.decode()
    assert str(county.a_handler) in listing
    assert len(token.key) == 40
