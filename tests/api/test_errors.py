"""Every error under /api/ is JSON with a stable code, in Chinese and English."""

import logging

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from complaints import selectors
from tests.complaints.helpers import register


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    assert body["detail_en"]
    return body


def test_unknown_url_under_api_is_a_json_404(api, county):
    paths = ["/api/nope/", "/api/v1/complaints/abc/", "/api/v1/complaints", "/api/v2/"]
    for client in (api(), api(county.a_manager)):
        for path in paths:
            for method in ("get", "post", "put", "delete"):
                body = assert_error(getattr(client, method)(path), 404, "not_found")
                assert body == {
                    "code": "not_found",
                    "detail": "未找到。",
                    "detail_en": "Not found.",
                }


def test_unauthenticated_is_401_with_the_token_challenge(api):
    response = api().get(reverse("api:complaint-list"))
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_bad_token_is_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert_error(client.get(reverse("api:complaint-list")), 401, "authentication_failed")


def test_wrong_method_is_405(api, county, intake):
    c = register(county, intake())
    response = api(county.a_manager).delete(reverse("api:complaint-detail", args=[c.pk]))
    assert_error(response, 405, "method_not_allowed")


def test_body_must_be_a_json_object(api, county, intake):
    c = register(county, intake())
    client = api(county.a_manager)
    url = reverse("api:complaint-transition-start", args=[c.pk])
    assert_error(client.post(url, "{not json", content_type="application/json"), 400, "parse_error")
    assert_error(client.post(url, {"note": "x"}), 415, "unsupported_media_type")  # multipart
    body = assert_error(client.post(url, [1, 2], format="json"), 400, "invalid")
    assert body["errors"] == {
        "non_field_errors": [{"code": "invalid", "message": "请求体必须是 JSON 对象。"}]
    }
    body = assert_error(client.post(url, {"note": {"a": 1}}, format="json"), 400, "invalid")
    assert body["errors"]["note"] == [{"code": "type", "message": "请填写字符串。"}]


def test_texts_stay_chinese_with_english_beside_them(api, county):
    response = api().get(reverse("api:complaint-list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.json() == {
        "code": "not_authenticated",
        "detail": "请先登录，或在 Authorization 头中提供令牌。",
        "detail_en": "Authentication credentials were not provided.",
    }


def test_unexpected_exception_is_a_logged_json_500(api, county, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("selector exploded")

    # Only to force the unexpected-exception path: the selector itself is not under test.
    monkeypatch.setattr(selectors, "complaint_list_for_user", broken)
    with caplog.at_level(logging.ERROR, logger="api.exceptions"):
        response = api(county.a_manager).get(reverse("api:complaint-list"))
    body = assert_error(response, 500, "server_error")
    assert body["detail_en"] == (
        "Internal server error; try again later or contact the administrator."
    )
    assert "selector exploded" not in response.content.decode()
    assert "selector exploded" in caplog.text


def test_session_authentication_works_and_keeps_csrf(county, intake):
    c = register(county, intake())
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(county.a_manager)
    assert client.get(reverse("api:complaint-detail", args=[c.pk])).status_code == 200
    response = client.post(
        reverse("api:complaint-transition-start", args=[c.pk]), {"version": 1}, format="json"
    )
    body = assert_error(response, 403, "permission_denied")
    assert body["detail"].startswith("CSRF")
    c.refresh_from_db()
    assert c.version == 1


@pytest.mark.parametrize(
    ("method", "query", "body"),
    [
        ("get", "?date_from=0001-01-01", None),
        ("get", "?date_to=9999-12-31", None),
        ("post", "", {"received_at": "0001-01-03T00:00:00"}),
    ],
    ids=["date_from", "date_to", "received_at"],
)
def test_out_of_range_dates_are_refused_not_a_server_error(
    api, county, intake_json, method, query, body
):
    client = api(county.a_teller)
    url = reverse("api:complaint-list") + query
    if body is None:
        response = client.get(url)
    else:
        response = client.post(url, intake_json() | body, format="json")
    assert_error(response, 400, "invalid")
