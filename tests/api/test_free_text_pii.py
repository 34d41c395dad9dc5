"""Numbers written into free text through the API: masked in the detail and the
timeline at the caller's level, like the structured fields; in full only through the
logged reveal, which names the fields it showed."""

import pytest
from django.urls import reverse

from complaints.models import PiiAccessLog
from institutions.enums import Role
from tests.complaints.pii_text import (
    ACCOUNT,
    ACCOUNT_FIELD,
    CARD,
    CARD_GROUPED,
    DESCRIPTION,
    FULL,
    ID_X,
    MASKS,
    MOBILE,
    complaint_with_numbers,
)
from tests.complaints.test_free_text_pii import shown
from tests.institutions.factories import UserFactory

LEVELS = [
    ("colleague", "list"),
    ("a_teller", "detail"),
    ("a1_handler", "detail"),
    ("a_manager", "detail"),
    ("regulator", "detail"),
]


def _user(county, who):
    if who == "colleague":
        return UserFactory(username="a_tel_2", role=Role.TELLER, institution=county.a_out1)
    return getattr(county, who)


def _no_full_number(raw: str) -> None:
    for number in (*FULL, CARD_GROUPED):
        assert number not in raw


@pytest.mark.parametrize(("who", "level"), LEVELS)
def test_detail_masks_free_text_at_the_callers_level(api, county, intake, who, level):
    c = complaint_with_numbers(county, intake)
    response = api(_user(county, who)).get(reverse("api:complaint-detail", args=[c.pk]))
    _no_full_number(response.content.decode())
    data, texts = response.json(), shown(level)
    assert {k: data[k] for k in ("description", "demand", "findings", "measures")} == {
        k: texts[k] for k in ("description", "demand", "findings", "measures")
    }
    assert (data["reverification"], data["answer_note"]) == (
        texts["reverification"],
        texts["answer"],
    )
    assert (data["complainant"]["account_number"], data["complainant"]["level"]) == (
        MASKS[level][ACCOUNT_FIELD],
        level,
    )


@pytest.mark.parametrize(("who", "level"), LEVELS)
def test_timeline_masks_notes_and_payloads_at_the_callers_level(api, county, intake, who, level):
    c = complaint_with_numbers(county, intake)
    response = api(_user(county, who)).get(reverse("api:complaint-timeline", args=[c.pk]))
    _no_full_number(response.content.decode())
    rows = {row["action"]: row for row in response.json()["results"]}
    texts = shown(level)
    assert rows["assign"]["note"] == texts["assign"]
    assert rows["request_extension"]["note"] == texts["extension"]
    assert rows["approve_extension"]["note"] == texts["decision"]
    assert rows["supervise"]["note"] == texts["urge"]
    assert rows["supervise"]["payload"]["note"] == texts["urge"]
    assert rows["reopen"]["note"] == texts["reopen"]
    assert rows["reverify"]["note"] == texts["reverification"]


def test_list_shows_the_account_number_list_masked(api, county, intake):
    complaint_with_numbers(county, intake)
    response = api(county.regulator).get(reverse("api:complaint-list"))
    _no_full_number(response.content.decode())
    assert (
        response.json()["results"][0]["complainant"]["account_number"]
        == (MASKS["list"][ACCOUNT_FIELD])
    )


def test_reveal_gives_every_text_in_full_and_logs_the_fields(api, county, intake):
    c = complaint_with_numbers(county, intake)
    response = api(county.a_manager).post(reverse("api:complaint-reveal", args=[c.pk]))
    data = response.json()
    assert (data["level"], data["account_number"]) == ("full", ACCOUNT_FIELD)
    assert data["texts"]["description"] == DESCRIPTION
    assert data["texts"]["demand"] == f"退回卡号 {CARD_GROUPED} 的损失"
    assert data["texts"]["measures"] == f"冻结账号：{ACCOUNT}"
    notes = {row["note"] for row in data["timeline"]}
    assert {f"请核实卡号{CARD}", f"同意，已联系{MOBILE}", f"客户称身份证{ID_X}被冒用"} <= notes
    log = PiiAccessLog.objects.get(kind="reveal")
    assert (log.user, log.complaint) == (county.a_manager, c)
    assert "description" in log.fields
    assert "timeline" in log.fields
    assert "account_number" in log.fields


def test_reveal_refused_to_the_first_responder(api, county, intake):
    c = complaint_with_numbers(county, intake)
    response = api(county.a_teller).post(reverse("api:complaint-reveal", args=[c.pk]))
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert not PiiAccessLog.objects.filter(kind="reveal").exists()


def test_register_takes_and_masks_the_account_number(api, county, intake_json):
    body = intake_json(account_number="6217 0000-1234 5678 901")
    response = api(county.a_teller).post(reverse("api:complaint-list"), body, format="json")
    assert response.status_code == 201
    assert response.json()["complainant"]["account_number"] == "621700*********8901"
    assert ACCOUNT_FIELD not in response.content.decode()


@pytest.mark.parametrize("value", ["123456789", "12345678901234567890123456", "6217abc0001234"])
def test_register_refuses_a_malformed_account_number(api, county, intake_json, value):
    response = api(county.a_teller).post(
        reverse("api:complaint-list"), intake_json(account_number=value), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["account_number"][0]["code"] == "account_format"
