"""Hostile input gets a clear 4xx and changes nothing (issue 21 §3).

Each case was a 500 or a silent acceptance before: OPTIONS on the transitions, a
boolean where a date belongs, lone surrogates and NULs, an oversize body, megabyte
texts, ``"confirm_duplicate": "maybe"``, invisible or right-to-left names, phones typed
with spaces, a reopened complaint resolved without the re-verification. Every refusal
is a JSON error naming the field, in Chinese with the English beside it, and leaves
the database as it was.
"""

import json

import pytest
from django.urls import reverse

from complaints.fields import LONG_TEXT_MAX, NAME_MAX, NOTE_MAX
from complaints.forms import ACTION_FORMS, FILE_ACTIONS
from complaints.models import Complaint
from complaints.workflow import complaint_act
from tests.complaints.helpers import complaint_in_state, register, valid_data

from .conftest import VALID_ID
from .test_errors import assert_error
from .test_transitions import as_json

WRONG_TYPES = [True, False, 5, 1.5, [], ["2026-01-01"], {}, {"date": "2026-01-01"}]


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def field_error(response, field: str, code: str) -> str:
    body = assert_error(response, 400, "invalid")
    assert [e["code"] for e in body["errors"][field]] == [code], body["errors"]
    return body["errors"][field][0]["message"]


def transition(client, complaint, action: str, **fields):
    url = reverse(f"api:complaint-transition-{action}", args=[complaint.pk])
    return post(client, url, {"version": complaint.version, **fields})


def unchanged(complaint) -> bool:
    fresh = Complaint.objects.get(pk=complaint.pk)
    return (fresh.version, fresh.status) == (complaint.version, complaint.status)


# --- OPTIONS ------------------------------------------------------------------------


@pytest.mark.parametrize("action", sorted(set(ACTION_FORMS) - FILE_ACTIONS))
def test_options_on_each_transition_describes_its_body(api, county, intake, action):
    c = register(county, intake())
    response = api(county.a_manager).options(
        reverse(f"api:complaint-transition-{action}", args=[c.pk])
    )
    assert response.status_code == 200
    body = response.json()
    assert body["parses"] == ["application/json"]
    assert set(body["actions"]["POST"]) == set(ACTION_FORMS[action].base_fields)
    assert unchanged(c)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("api:complaint-list", []),
        ("api:complaint-detail", [1]),
        ("api:complaint-timeline", [1]),
        ("api:complaint-transitions", [1]),
        ("api:complaint-reveal", [1]),
        ("api:institution-list", []),
        ("api:institution-detail", [1]),
        ("api:institution-handlers", [1]),
        ("api:category-list", []),
        ("api:taxonomy-code-list", []),
        ("api:notification-list", []),
        ("api:notification-read", []),
        ("api:token", []),
    ],
)
def test_options_on_every_endpoint_answers(api, county, name, args):
    response = api(county.a_manager).options(reverse(name, args=args))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["renders"] == ["application/json"]


def test_options_describes_the_registration_body_not_the_list_row(api, county):
    body = api(county.a_manager).options(reverse("api:complaint-list")).json()
    post_fields = body["actions"]["POST"]
    assert post_fields["confirm_duplicate"]["type"] == "boolean"
    assert post_fields["description"]["max_length"] == LONG_TEXT_MAX
    assert "tracking_no" not in post_fields


def test_options_needs_authentication(api):
    assert_error(api().options(reverse("api:complaint-list")), 401, "not_authenticated")


# --- JSON types ---------------------------------------------------------------------


@pytest.mark.parametrize("value", WRONG_TYPES)
def test_received_at_of_another_json_type_is_refused(api, county, intake_json, value):
    response = post(
        api(county.a_teller), reverse("api:complaint-list"), intake_json(received_at=value)
    )
    message = field_error(response, "received_at", "type")
    assert "ISO 8601" in message
    assert not Complaint.objects.exists()


DATE_FIELDS = [
    ("request_extension", "requested_due_at", "in_progress", "a1_handler"),
    ("supervise", "expected_by", "in_progress", "regulator"),
    ("answer", "answered_at", "resolved", "a_teller"),
]


@pytest.mark.parametrize(("action", "field", "state", "actor"), DATE_FIELDS)
@pytest.mark.parametrize("value", WRONG_TYPES)
def test_transition_date_of_another_json_type_is_refused(
    api, county, intake, action, field, state, actor, value
):
    c = complaint_in_state(county, intake(), state)
    body = {**as_json(valid_data(action, c, county)), field: value}
    response = transition(api(getattr(county, actor)), c, action, **body)
    field_error(response, field, "type")
    assert unchanged(c)


@pytest.mark.parametrize(("action", "field", "state", "actor"), DATE_FIELDS)
def test_transition_date_as_a_string_is_accepted(api, county, intake, action, field, state, actor):
    """The same fields as ISO strings go through: the refusal above is about the type."""
    c = complaint_in_state(county, intake(), state)
    response = transition(
        api(getattr(county, actor)), c, action, **as_json(valid_data(action, c, county))
    )
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("value", ["maybe", "yes", "true", 1, 0, [True], {}])
def test_confirm_duplicate_takes_only_a_json_boolean(api, county, intake, intake_json, value):
    register(county, intake())
    client = api(county.a_teller)
    response = post(client, reverse("api:complaint-list"), intake_json(confirm_duplicate=value))
    field_error(response, "confirm_duplicate", "type")
    assert Complaint.objects.count() == 1
    response = post(client, reverse("api:complaint-list"), intake_json(confirm_duplicate=True))
    assert response.status_code == 201
    assert response.json()["is_repeat"] is True


def test_the_browser_checkbox_refuses_other_text(county, intake):
    """The same rule at the form (the browser's door): a checkbox sends "on"."""
    from complaints.forms import IntakeForm

    data = {k: getattr(v, "pk", v) for k, v in intake(id_number=VALID_ID).items() if v is not None}
    form = IntakeForm(data={**data, "confirm_duplicate": "maybe"}, user=county.a_teller)
    assert not form.is_valid()
    assert form.errors.get_json_data()["confirm_duplicate"][0]["code"] == "invalid"
    form = IntakeForm(data={**data, "confirm_duplicate": "on"}, user=county.a_teller)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("value", [120.5, 120, True, ["1"], {"yuan": 1}])
def test_amounts_are_json_strings(api, county, intake_json, value):
    response = post(api(county.a_teller), reverse("api:complaint-list"), intake_json(amount=value))
    assert "字符串" in field_error(response, "amount", "type")
    assert not Complaint.objects.exists()


def test_an_amount_as_a_decimal_string_is_stored(api, county, intake_json):
    response = post(
        api(county.a_teller), reverse("api:complaint-list"), intake_json(amount="120.50")
    )
    assert response.status_code == 201
    assert response.json()["amount"] == "120.50"


@pytest.mark.parametrize(
    ("field", "value"),
    [("complained_institution", "1"), ("complained_institution", True), ("category", 2**64)],
)
def test_ids_are_json_integers_within_range(api, county, intake_json, field, value):
    response = post(
        api(county.a_teller), reverse("api:complaint-list"), intake_json(**{field: value})
    )
    field_error(response, field, "type")


def test_the_version_is_a_json_integer(api, county, intake):
    c = complaint_in_state(county, intake(), "in_progress")
    response = post(
        api(county.a_manager),
        reverse("api:complaint-transition-supervise", args=[c.pk]),
        {"version": str(c.version), "note": "请尽快"},
    )
    field_error(response, "version", "type")
    assert unchanged(c)


# --- characters no database stores ------------------------------------------------------


@pytest.mark.parametrize("bad", ["\ud800", "李\udfff四", "a\x00b"])
@pytest.mark.parametrize("field", ["complainant_name", "description", "contact_address"])
def test_surrogates_and_nul_are_refused_before_the_insert(api, county, intake_json, field, bad):
    response = post(
        api(county.a_teller), reverse("api:complaint-list"), intake_json(**{field: bad})
    )
    field_error(response, field, "invalid_characters")
    assert not Complaint.objects.exists()


def test_a_surrogate_in_a_transition_note_is_refused(api, county, intake):
    c = complaint_in_state(county, intake(), "in_progress")
    response = transition(api(county.regulator), c, "supervise", note="请\ud83d尽快")
    field_error(response, "note", "invalid_characters")
    assert unchanged(c)


def test_a_surrogate_in_a_list_item_is_refused(api, county):
    response = post(
        api(county.a_manager), reverse("api:complaint-list"), {"description": ["\ud800"]}
    )
    field_error(response, "description", "type")


# --- size ---------------------------------------------------------------------------


def test_a_body_over_the_upload_limit_is_413(api, county, intake_json, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    response = post(
        api(county.a_teller), reverse("api:complaint-list"), intake_json(description="投" * 2000)
    )
    body = assert_error(response, 413, "payload_too_large")
    assert body["detail_en"] == "The request body is larger than the server accepts."
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("field", "limit"), [("description", LONG_TEXT_MAX), ("demand", LONG_TEXT_MAX)]
)
def test_intake_texts_have_a_limit(api, county, intake_json, field, limit):
    client = api(county.a_teller)
    response = post(
        client, reverse("api:complaint-list"), intake_json(**{field: "诉" * (limit + 1)})
    )
    message = field_error(response, field, "max_length")
    assert str(limit) in message
    assert not Complaint.objects.exists()
    response = post(client, reverse("api:complaint-list"), intake_json(**{field: "诉" * limit}))
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("action", "field", "limit", "state", "actor"),
    [
        ("resolve", "findings", LONG_TEXT_MAX, "in_progress", "a1_handler"),
        ("resolve", "measures", LONG_TEXT_MAX, "in_progress", "a1_handler"),
        ("answer", "note", LONG_TEXT_MAX, "resolved", "a_teller"),
        ("supervise", "note", NOTE_MAX, "in_progress", "regulator"),
        ("log_contact", "summary", NOTE_MAX, "in_progress", "a1_handler"),
    ],
)
def test_transition_texts_have_a_limit(api, county, intake, action, field, limit, state, actor):
    c = complaint_in_state(county, intake(), state)
    body = {**as_json(valid_data(action, c, county)), field: "查" * (limit + 1)}
    field_error(transition(api(getattr(county, actor)), c, action, **body), field, "max_length")
    assert unchanged(c)


def test_names_have_the_columns_limit(api, county, intake_json):
    response = post(
        api(county.a_teller),
        reverse("api:complaint-list"),
        intake_json(complainant_name="李" * (NAME_MAX + 1)),
    )
    field_error(response, "complainant_name", "max_length")


def test_the_intake_page_counts_characters(client, county):
    client.force_login(county.a_teller)
    html = client.get(reverse("complaints:create")).content.decode()
    assert f'data-counter="{LONG_TEXT_MAX}"' in html
    assert f'maxlength="{LONG_TEXT_MAX}"' in html
    assert "js/counter.js" in html
    assert "<script>" not in html  # the counter is no inline script


# --- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("\u200b\u200b", "name_empty"),
        ("\u200b \ufeff", "name_empty"),
        ("\u202e李四", "name_characters"),
        ("李\u202e四", "name_characters"),
        ("李\u2066四", "name_characters"),
    ],
)
def test_invisible_and_right_to_left_names_are_refused(api, county, intake_json, name, code):
    response = post(
        api(county.a_teller), reverse("api:complaint-list"), intake_json(complainant_name=name)
    )
    field_error(response, "complainant_name", code)
    assert not Complaint.objects.exists()


def test_names_are_stored_normalised(api, county, intake_json):
    response = post(
        api(county.a_teller),
        reverse("api:complaint-list"),
        intake_json(complainant_name="  Jose\u0301\u200b  李 ", complained_staff_name="张\u200b伟"),
    )
    assert response.status_code == 201, response.json()
    c = Complaint.objects.get()
    assert c.complainant_name == "José 李"
    assert c.complained_staff_name == "张伟"


# --- phones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored", "searched"),
    [
        ("138 0013 8000", "13800138000", "138-0013-8000"),
        ("138-0013-8000", "13800138000", "+86 138 0013 8000"),
        ("0319-1234567", "03191234567", "0319 1234567"),
        ("0319 1234567", "03191234567", "0319-1234567"),
        ("0319-1234567-801", "03191234567-801", "03191234567-801"),
    ],
)
def test_phones_are_stored_as_digits_and_found_as_typed(
    api, county, intake_json, typed, stored, searched
):
    client = api(county.a_manager)
    response = post(
        api(county.a_teller), reverse("api:complaint-list"), intake_json(complainant_phone=typed)
    )
    assert response.status_code == 201, response.json()
    assert Complaint.objects.get().complainant_phone == stored
    found = client.get(reverse("api:complaint-list"), {"q": searched}).json()
    assert [r["id"] for r in found["results"]] == [response.json()["id"]]


@pytest.mark.parametrize("typed", ["12345", "138 0013 800", "0319-12", "电话"])
def test_a_phone_that_is_not_one_is_refused(api, county, intake_json, typed):
    response = post(
        api(county.a_teller), reverse("api:complaint-list"), intake_json(complainant_phone=typed)
    )
    field_error(response, "complainant_phone", "phone")


# --- rule refusals and their status -------------------------------------------------


def test_a_reopened_complaint_resolved_without_reverification_is_422(api, county, intake):
    c = complaint_in_state(county, intake(), "answered")
    c = complaint_act(actor=county.a_manager, complaint_id=c.pk, action="reopen", reason="不满意")
    response = transition(
        api(county.a1_handler), c, "resolve", **as_json(valid_data("resolve", c, county))
    )
    body = assert_error(response, 422, "reverification_required")
    assert body["detail_en"].startswith("A reopened complaint needs the re-verification")
    assert unchanged(c)


def test_the_person_complained_about_acting_is_422(api, county, intake):
    c = register(
        county,
        intake(complained_institution=county.bank_a, complained_staff=county.a_manager),
        actor=county.a_handler,
    )
    response = transition(api(county.a_manager), c, "supervise", note="尽快")
    assert_error(response, 422, "actor_is_party")
    assert unchanged(c)


def test_deciding_ones_own_extension_is_422(api, county, intake):
    c = complaint_in_state(county, intake(), "in_progress")
    c = complaint_act(
        actor=county.a_manager,
        complaint_id=c.pk,
        action="request_extension",
        **valid_data("request_extension", c, county),
    )
    response = transition(api(county.a_manager), c, "decide_extension", approve=True, note="同意")
    assert_error(response, 422, "own_extension")
    assert unchanged(c)


def test_a_stale_body_version_is_409(api, county, intake):
    c = complaint_in_state(county, intake(), "in_progress")
    response = post(
        api(county.regulator),
        reverse("api:complaint-transition-supervise", args=[c.pk]),
        {"version": c.version - 1, "note": "请尽快"},
    )
    assert_error(response, 409, "conflict")
    assert unchanged(c)


@pytest.mark.parametrize("value", ["maybe", "yes", "2"])
def test_a_list_filter_boolean_takes_only_true_or_false(api, county, value):
    response = api(county.a_manager).get(reverse("api:notification-list"), {"unread": value})
    assert_error(response, 400, "invalid")
    response = api(county.a_manager).get(reverse("api:complaint-list"), {"overdue": value})
    assert_error(response, 400, "invalid")
