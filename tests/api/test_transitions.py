"""Transitions through the API are the browser's transitions: the same forms validate,
``complaint_act`` performs them, refusals keep their status and stable code."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from complaints.workflow import complaint_act
from tests.complaints.helpers import register, valid_data

# The whole life of a complaint, including an extension, an urge and a reopen.
SEQUENCE = [
    ("a_manager", "assign"),
    ("a1_handler", "start"),
    ("a1_handler", "request_extension"),
    ("a_manager", "decide_extension"),
    ("regulator", "supervise"),
    ("a1_handler", "resolve"),
    ("a_teller", "answer"),
    ("a_manager", "reopen"),
    ("a1_handler", "reverify"),
    ("a1_handler", "resolve"),
    ("a_teller", "answer"),
    ("a_manager", "archive"),
]


def as_json(data: dict) -> dict:
    """A workflow payload as a client would send it."""

    def value(v):
        if isinstance(v, datetime):
            return v.isoformat()
        if isinstance(v, Decimal):
            return str(v)
        return getattr(v, "pk", v)

    return {k: value(v) for k, v in data.items() if v is not None}


def post_action(client, complaint, action, body, **headers):
    url = reverse(f"api:complaint-transition-{action}", args=[complaint.pk])
    return client.post(url, body, format="json", headers=headers)


def history(complaint):
    return [
        (t.action, t.from_status, t.to_status, t.actor_id)
        for t in complaint.timeline.order_by("created_at", "pk")
    ]


def test_api_transitions_equal_browser_transitions(api, county, intake):
    via_api = register(county, intake())
    via_workflow = register(county, intake(complainant_phone="13900002222", id_number=""))
    for who, action in SEQUENCE:
        actor = getattr(county, who)
        body = as_json(valid_data(action, via_api, county))
        response = post_action(api(actor), via_api, action, {**body, "version": via_api.version})
        assert response.status_code == 200, (action, response.json())
        via_api.refresh_from_db()
        assert response.json()["status"] == via_api.status
        assert response.json()["version"] == via_api.version
        assert response["ETag"] == f'W/"{via_api.pk}-{via_api.version}"'

        via_workflow = complaint_act(
            actor=actor,
            complaint_id=via_workflow.pk,
            action=action,
            **valid_data(action, via_workflow, county),
        )
        assert (via_api.status, via_api.version) == (via_workflow.status, via_workflow.version)

    assert via_api.status == "archived"
    assert history(via_api) == history(via_workflow)
    assert len(history(via_api)) == len(SEQUENCE) + 1  # and the registration
    timeline = api(county.a_manager).get(reverse("api:complaint-timeline", args=[via_api.pk]))
    assert [e["action"] for e in timeline.json()["results"]] == [h[0] for h in history(via_api)]


@pytest.mark.parametrize(
    ("action", "status", "expected"),
    [
        (
            "resolve",
            409,
            {
                "code": "transition_refused",
                "detail": "当前状态为“已登记”，不能执行此操作。",
                "detail_en": "This action is not possible in the complaint's current state.",
            },
        ),
        (
            "reverify",
            422,
            {
                "code": "not_needed",
                "detail": "此投诉无需重新核查。",
                "detail_en": "This complaint does not need re-verification.",
            },
        ),
    ],
)
def test_refused_transition_explains_in_both_languages_and_changes_nothing(
    api, county, intake, action, status, expected
):
    c = register(county, intake())
    body = {**as_json(valid_data(action, c, county)), "version": 1}
    response = post_action(api(county.a_manager), c, action, body)
    assert response.status_code == status
    assert response.json() == expected
    c.refresh_from_db()
    assert (c.status, c.version, len(history(c))) == ("registered", 1, 1)


def test_invalid_fields_are_listed_with_the_forms_messages(api, county, intake):
    c = register(county, intake())
    response = post_action(api(county.a_manager), c, "refuse", {"version": 1, "reason": "bogus"})
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["detail_en"]) == (
        "invalid",
        "The submitted data is invalid; see the field errors.",
    )
    assert list(body["errors"]) == ["reason"]
    assert body["errors"]["reason"][0]["code"] == "invalid_choice"
    assert (
        post_action(api(county.a_manager), c, "refuse", {"reason": "other"}).json()["errors"][
            "version"
        ][0]["code"]
        == "required"
    )
    c.refresh_from_db()
    assert c.status == "registered"


def assign_body(county):
    return {"institution": county.a_out1.pk, "handler": county.a1_handler.pk}


def test_etag_and_if_match_guard_concurrent_actions(api, county, intake):
    c = register(county, intake())
    manager, regulator = api(county.a_manager), api(county.regulator)
    url = reverse("api:complaint-detail", args=[c.pk])
    seen_by_manager = manager.get(url)["ETag"]
    seen_by_regulator = regulator.get(url)["ETag"]
    assert seen_by_manager == seen_by_regulator == f'W/"{c.pk}-1"'

    first = post_action(manager, c, "assign", assign_body(county), if_match=seen_by_manager)
    assert first.status_code == 200
    assert first["ETag"] == f'W/"{c.pk}-2"'

    late = post_action(regulator, c, "assign", assign_body(county), if_match=seen_by_regulator)
    assert late.status_code == 412
    assert late.json() == {
        "code": "conflict",
        "detail": "此投诉已被他人更新，请刷新后重试。",
        "detail_en": "The complaint was changed by someone else; reload it and try again.",
    }
    stale_body = post_action(regulator, c, "assign", {**assign_body(county), "version": 1})
    assert (stale_body.status_code, stale_body.json()["code"]) == (409, "conflict")
    c.refresh_from_db()
    assert (c.version, len(history(c))) == (2, 2)


@pytest.mark.parametrize(
    ("if_match", "status"),
    [
        ('W/"{other}-2"', 412),
        ("garbage", 412),
        ('W/"{pk}-1"', 412),
        ('W/"{pk}-1", W/"{pk}-2"', 200),
        ('"{pk}-2"', 200),
        ("*", 400),  # any version: then the body must name one
    ],
    ids=["other-complaint", "malformed", "stale", "list-with-current", "strong", "star"],
)
def test_if_match_must_name_this_complaints_current_version(api, county, intake, if_match, status):
    c = register(county, intake())
    other = register(county, intake(complainant_phone="13900003333", id_number=""))
    complaint_act(
        actor=county.a_manager,
        complaint_id=c.pk,
        action="assign",
        **valid_data("assign", c, county),
    )  # version 2 now
    header = if_match.format(pk=c.pk, other=other.pk)
    response = post_action(api(county.a1_handler), c, "start", {}, if_match=header)
    assert response.status_code == status
    c.refresh_from_db()
    assert c.status == ("in_progress" if status == 200 else "assigned")
    if status == 412:
        assert response.json()["code"] == "conflict"


def test_if_match_and_a_different_body_version_conflict(api, county, intake):
    c = register(county, intake())
    response = post_action(
        api(county.a_manager),
        c,
        "assign",
        {**assign_body(county), "version": 7},
        if_match=f'W/"{c.pk}-1"',
    )
    assert (response.status_code, response.json()["code"]) == (412, "conflict")
