"""Workflow rules seen through the API: the non-party rule, and the answer to an
action that moves a complaint out of the caller's sight."""

from complaints.models import Complaint
from complaints.workflow import complaint_act
from tests.complaints.helpers import register


def test_api_registration_links_the_name_and_assign_refuses_the_person(api, county, intake_json):
    county.a1_handler.full_name = "张伟"
    county.a1_handler.save()
    created = api(county.a_teller).post(
        "/api/v1/complaints/", intake_json(complained_staff_name="张伟"), format="json"
    )
    assert created.status_code == 201, created.json()
    c = Complaint.objects.get(pk=created.json()["id"])
    assert c.complained_staff == county.a1_handler
    refused = api(county.a_manager).post(
        f"/api/v1/complaints/{c.pk}/transitions/assign/",
        {"version": c.version, "institution": county.a_out1.pk, "handler": county.a1_handler.pk},
        format="json",
    )
    # Not even a choice for this complaint: refused by the form as the browser's is.
    assert (refused.status_code, refused.json()["code"]) == (400, "invalid")
    assert list(refused.json()["errors"]) == ["handler"]
    c.refresh_from_db()
    assert (c.status, c.handler, c.version) == ("registered", None, 1)


def test_escalation_out_of_sight_answers_success_with_where_it_went(api, county, intake):
    # Taken at bank A's second outlet about that outlet, handled at the first outlet:
    # its handler sees it only as the handling institution's.
    c = register(county, intake(complained_institution=county.a_out2), actor=county.a2_teller)
    complaint_act(
        actor=county.a_manager,
        complaint_id=c.pk,
        action="assign",
        institution=county.a_out1,
        handler=county.a1_handler,
    )
    c.refresh_from_db()
    client = api(county.a1_handler)
    response = client.post(
        f"/api/v1/complaints/{c.pk}/transitions/escalate/",
        {"version": c.version, "reason": "超出网点权限"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "id": c.pk,
        "tracking_no": c.tracking_no,
        "version": c.version + 1,
        "status": "registered",
        "status_display": "已登记",
        "handed_on_to": {
            "id": county.bank_a.pk,
            "code": county.bank_a.code,
            "name": county.bank_a.name,
        },
    }
    assert Complaint.objects.get(pk=c.pk).handling_institution == county.bank_a
    # And from now on it is out of the caller's scope like any other.
    assert client.get(f"/api/v1/complaints/{c.pk}/").status_code == 404


def test_escalation_still_in_sight_answers_the_complaint(api, county, intake):
    c = register(county, intake())
    complaint_act(
        actor=county.a_manager,
        complaint_id=c.pk,
        action="assign",
        institution=county.a_out1,
        handler=county.a1_handler,
    )
    c.refresh_from_db()
    response = api(county.a1_handler).post(
        f"/api/v1/complaints/{c.pk}/transitions/escalate/",
        {"version": c.version, "reason": "超出网点权限"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"], body["handling_institution"]["id"]) == (
        c.pk,
        "registered",
        county.bank_a.pk,
    )
