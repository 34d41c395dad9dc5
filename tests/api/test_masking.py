"""Personal data through the API: masked as in the browser, full values only through
the logged reveal."""

from django.urls import reverse

from complaints.models import PiiAccessLog
from institutions.enums import Role
from tests.complaints.helpers import register
from tests.institutions.factories import UserFactory

from .conftest import VALID_ID

FULL_ID = "110101199003074578"  # the intake fixture's
FULL_PHONE = "13812345678"
ADDRESS = "河北省邢台市清河县城关镇幸福路1号"


def test_list_shows_list_level_masks_only(api, county, intake):
    register(county, intake())
    response = api(county.regulator).get(reverse("api:complaint-list"))
    raw = response.content.decode()
    assert FULL_PHONE not in raw
    assert FULL_ID not in raw
    assert ADDRESS not in raw
    assert response.json()["results"][0]["complainant"] == {
        "name": "李*",
        "phone": "138****5678",
        "id_number": "1****************8",
        "address": "河北省邢台市****",
        "account_number": "",
        "level": "list",
        "can_reveal": False,
    }
    assert not PiiAccessLog.objects.exists()


def test_retrieve_shows_detail_level_and_logs_it(api, county, intake):
    c = register(county, intake())
    response = api(county.a_manager).get(reverse("api:complaint-detail", args=[c.pk]))
    assert FULL_PHONE not in response.content.decode()
    assert response.json()["complainant"] == {
        "name": "李四",
        "phone": "138****5678",
        "id_number": "110101********4578",
        "address": ADDRESS,
        "account_number": "",
        "level": "detail",
        "can_reveal": True,
    }
    log = PiiAccessLog.objects.get()
    assert (log.user, log.complaint, log.kind) == (county.a_manager, c, "detail")
    assert log.fields == ["complainant_name", "contact_address"]
    assert log.ip_address == "127.0.0.1"


def test_retrieve_by_a_colleague_without_detail_rights_stays_list_masked(api, county, intake):
    c = register(county, intake())
    colleague = UserFactory(username="a_tel_2", role=Role.TELLER, institution=county.a_out1)
    body = api(colleague).get(reverse("api:complaint-detail", args=[c.pk])).json()
    assert (body["complainant"]["name"], body["complainant"]["level"]) == ("李*", "list")
    assert not PiiAccessLog.objects.exists()


def test_reveal_gives_full_values_to_those_allowed_and_logs_it(api, county, intake):
    c = register(county, intake())
    url = reverse("api:complaint-reveal", args=[c.pk])
    response = api(county.a_manager).post(url)
    body = response.json()
    assert {k: body[k] for k in body if k not in ("texts", "timeline")} == {
        "name": "李四",
        "phone": FULL_PHONE,
        "id_number": FULL_ID,
        "address": ADDRESS,
        "account_number": "",
        "level": "full",
        "can_reveal": False,
    }
    log = PiiAccessLog.objects.get()
    assert (log.user, log.complaint, log.kind) == (county.a_manager, c, "reveal")
    assert log.fields == ["complainant_name", "complainant_phone", "id_number", "contact_address"]

    refused = api(county.a_teller).post(url)  # first responder: detail level, no reveal
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    assert PiiAccessLog.objects.filter(kind="reveal").count() == 1


def test_register_answers_with_the_masked_record_and_warnings(api, county, intake_json):
    body = intake_json(description="客户说卡密码是123456，请核实")
    response = api(county.a_teller).post(reverse("api:complaint-list"), body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert VALID_ID not in response.content.decode()
    assert data["complainant"]["id_number"] == "110101********4573"
    assert data["description"] == "客户说卡密码是******，请核实"
    assert data["warnings"] == [
        "已自动屏蔽文本中的密码、CVN 或有效期等敏感鉴别信息，此类信息不得保存。"
    ]
    assert (data["status"], data["version"]) == ("registered", 1)
    assert response["Location"] == reverse("api:complaint-detail", args=[data["id"]])
    assert response["ETag"] == f'W/"{data["id"]}-1"'


def test_register_asks_to_confirm_a_duplicate(api, county, intake_json):
    client = api(county.a_teller)
    first = client.post(reverse("api:complaint-list"), intake_json(), format="json").json()

    again = client.post(reverse("api:complaint-list"), intake_json(), format="json")
    assert again.status_code == 400
    body = again.json()
    assert body["errors"]["non_field_errors"][0]["code"] == "duplicate"
    assert [d["tracking_no"] for d in body["duplicates"]] == [first["tracking_no"]]

    confirmed = client.post(
        reverse("api:complaint-list"), intake_json(confirm_duplicate=True), format="json"
    )
    assert confirmed.status_code == 201
    assert confirmed.json()["is_repeat"] is True
