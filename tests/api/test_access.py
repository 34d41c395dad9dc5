"""Who sees and does what through the API: the same answers as the browser, because
the same functions decide (institutions.access, the complaints selectors)."""

import pytest
from django.urls import reverse
from django.utils import translation

from complaints import workflow
from complaints.forms import ACTION_FORMS, FILE_ACTIONS
from complaints.models import Complaint
from tests.complaints.helpers import register

NOT_FOUND = {"code": "not_found", "detail": "未找到。", "detail_en": "Not found."}

# A complaint taken at bank A's first outlet about that outlet: who can see it.
VISIBLE = {
    "regulator": True,
    "sysadmin": True,  # placed in the office: the jurisdiction
    "a_manager": True,
    "a1_handler": True,
    "a_teller": True,
    "a_handler": False,  # a handler sees their own institution only (bank A itself)
    "a2_teller": False,
    "b_manager": False,
    "b_handler": False,
    "b_teller": False,
    "other_regulator": False,
}


def object_urls(pk: int) -> list[str]:
    return [
        reverse("api:complaint-detail", args=[pk]),
        reverse("api:complaint-timeline", args=[pk]),
        reverse("api:complaint-transitions", args=[pk]),
    ]


@pytest.mark.parametrize(("who", "visible"), VISIBLE.items())
def test_complaint_visibility_per_role(api, county, intake, who, visible):
    c = register(county, intake())
    client = api(getattr(county, who))

    listed = [row["id"] for row in client.get(reverse("api:complaint-list")).json()["results"]]
    assert listed == ([c.pk] if visible else [])
    for url in object_urls(c.pk):
        response = client.get(url)
        if visible:
            assert response.status_code == 200, url
        else:
            assert (response.status_code, response.json()) == (404, NOT_FOUND), url


def test_other_banks_complaint_is_not_found_like_a_missing_one(api, county, intake):
    c = register(county, intake())
    missing = Complaint.objects.order_by("-pk").first().pk + 1000
    client = api(county.b_manager)
    for action in set(ACTION_FORMS) - FILE_ACTIONS:
        for pk in (c.pk, missing):
            url = reverse(f"api:complaint-transition-{action}", args=[pk])
            response = client.post(url, {"version": 1}, format="json")
            assert (response.status_code, response.json()) == (404, NOT_FOUND), url
    for pk in (c.pk, missing):
        for url in object_urls(pk):
            assert (client.get(url).status_code, client.get(url).json()) == (404, NOT_FOUND)
        response = client.post(reverse("api:complaint-reveal", args=[pk]))
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    c.refresh_from_db()
    assert (c.status, c.version) == ("registered", 1)


# Whoever logs contacts also adds to the case file.
CASE_FILE = ["attach", "attach_recording"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "a_manager",
            [
                "refuse",
                "transfer",
                "assign",
                "escalate",
                "request_extension",
                "supervise",
                "log_contact",
                "attach",
                "attach_recording",
                "pause",
                "extend_statutory",
                "refile",
                "withdraw",
            ],
        ),
        # The office supervises a bank's complaint; escalation, extensions and the
        # statutory clock are the bank's own.
        (
            "regulator",
            ["refuse", "transfer", "assign", "supervise", "log_contact", *CASE_FILE, "withdraw"],
        ),
        # The first responder, before assignment.
        ("a_teller", ["refuse", "transfer", "log_contact", *CASE_FILE, "withdraw"]),
        ("a1_handler", []),  # not the handler yet
    ],
)
def test_available_transitions_match_the_browsers_buttons(api, county, intake, who, expected):
    c = register(county, intake())
    user = getattr(county, who)
    body = api(user).get(reverse("api:complaint-transitions", args=[c.pk])).json()
    assert [t["name"] for t in body] == expected
    assert expected == [a.name for a in workflow.available_actions(user, c)]
    if expected:
        assert body[0] == {
            "name": expected[0],
            "label": str(workflow.ACTIONS[expected[0]].label),
            "label_en": _english(workflow.ACTIONS[expected[0]].label),
            "url": reverse(f"api:complaint-transition-{expected[0]}", args=[c.pk]),
            "operation_id": f"complaints_transition_{expected[0]}",
        }


def test_action_the_role_may_not_perform_is_403_and_changes_nothing(api, county, intake):
    c = register(county, intake())
    response = api(county.a_teller).post(
        reverse("api:complaint-transition-assign", args=[c.pk]),
        {"version": 1, "institution": county.a_out1.pk, "handler": county.a1_handler.pk},
        format="json",
    )
    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "detail": "您无权对此投诉执行“分办”。",
        "detail_en": "You are not allowed to do this.",
    }
    c.refresh_from_db()
    assert (c.status, c.version, c.timeline.count()) == ("registered", 1, 1)


def test_register_needs_a_registering_role(api, county, intake):
    response = api(county.sysadmin).post(reverse("api:complaint-list"), {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response.json()["detail"] == "您无权登记投诉。"
    assert not Complaint.objects.exists()


def test_register_about_an_institution_out_of_scope_is_a_field_error(api, county, intake_json):
    data = intake_json(complained_institution=county.a_out1)
    response = api(county.b_teller).post(reverse("api:complaint-list"), data, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["complained_institution"]
    assert errors["complained_institution"][0]["code"] == "invalid_choice"
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("who", "codes"),
    [
        ("a_manager", ["BANK-A", "A-OUT1", "A-OUT2"]),
        ("a_teller", ["A-OUT1"]),
        ("b_manager", ["BANK-B", "B-OUT1"]),
        ("regulator", ["PBC", "BANK-A", "A-OUT1", "A-OUT2", "BANK-B", "B-OUT1"]),
        ("other_regulator", ["PBC-OTHER", "BANK-X"]),
    ],
)
def test_institutions_are_the_visible_ones(api, county, who, codes):
    client = api(getattr(county, who))
    body = client.get(reverse("api:institution-list")).json()
    assert [i["code"] for i in body["results"]] == codes
    a_out1 = client.get(reverse("api:institution-detail", args=[county.a_out1.pk]))
    assert a_out1.status_code == (200 if "A-OUT1" in codes else 404)


def test_handlers_of_an_institution_follow_its_scope(api, county):
    url = reverse("api:institution-handlers", args=[county.a_out1.pk])
    body = api(county.a_manager).get(url).json()
    assert [h["id"] for h in body["results"]] == [county.a1_handler.pk]
    assert api(county.b_manager).get(url).json() == NOT_FOUND


def test_notifications_are_the_callers_own(api, county, intake):
    c = register(county, intake())
    assign = reverse("api:complaint-transition-assign", args=[c.pk])
    api(county.a_manager).post(
        assign,
        {"version": 1, "institution": county.a_out1.pk, "handler": county.a1_handler.pk},
        format="json",
    )
    mine = api(county.a1_handler).get(reverse("api:notification-list") + "?unread=true").json()
    assert [(n["kind"], n["complaint"]) for n in mine["results"]] == [("assigned", c.pk)]
    note_id = mine["results"][0]["id"]
    assert api(county.b_manager).get(reverse("api:notification-list")).json()["count"] == 0

    read = reverse("api:notification-read")
    other = api(county.a_manager).post(read, {"ids": [note_id]}, format="json")
    assert other.json() == {"marked": 0}
    own = api(county.a1_handler).post(read, {"ids": [note_id]}, format="json")
    assert own.json() == {"marked": 1}
    unread = api(county.a1_handler).get(reverse("api:notification-list") + "?unread=true")
    assert unread.json()["count"] == 0


def test_list_query_count_does_not_grow_with_rows(api, county, intake, django_assert_num_queries):
    client = api(county.a_manager)
    register(county, intake())
    # token + user, the user's institution, count, page
    with django_assert_num_queries(4):
        assert client.get(reverse("api:complaint-list")).json()["count"] == 1
    for i in range(24):
        register(county, intake(complainant_phone=f"1370000{i:04d}", id_number="", id_type=""))
    with django_assert_num_queries(4):
        assert len(client.get(reverse("api:complaint-list")).json()["results"]) == 25


def test_list_uses_the_browser_filters(api, county, intake, categories):
    a = register(county, intake())
    b = register(
        county,
        intake(
            complainant_phone="13900001111",
            id_number="",
            id_type="",
            category=categories["服务产品"],
        ),
    )
    client = api(county.a_manager)

    def ids(query):
        return {
            r["id"] for r in client.get(reverse("api:complaint-list") + query).json()["results"]
        }

    assert ids("?complexity=complex") == {b.pk}
    assert ids("?q=13900001111") == {b.pk}
    assert ids(f"?q={a.tracking_no}") == {a.pk}
    assert ids("?status=registered&status=assigned") == {a.pk, b.pk}
    assert ids("?status=answered") == set()
    assert ids(f"?institution={county.a_out2.pk}") == set()
    bad = client.get(reverse("api:complaint-list") + "?status=nonsense&date_from=yesterday")
    assert bad.status_code == 400
    assert sorted(bad.json()["errors"]) == ["date_from", "status"]


def _english(label) -> str:
    with translation.override("en"):
        return str(label)
