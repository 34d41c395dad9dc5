"""非当事人: the staff member complained about never handles the complaint about them.

The person is picked from the complained-about institution's staff at intake (or a
typed name is linked to the one member of staff it names), and the rule then holds
on every door: assign and re-assign, the regulator's dispatch, the API, and every
action of the person themselves."""

import pytest
from django.urls import reverse

from complaints import workflow
from complaints.errors import WorkflowError
from complaints.forms import IntakeForm
from complaints.models import Complaint, TimelineEntry
from tests.institutions.factories import UserFactory

from .helpers import register


def form_data(data: dict) -> dict:
    """An intake payload as the browser posts it."""
    return {k: getattr(v, "pk", v) for k, v in data.items() if v is not None}


def test_intake_offers_the_complained_institutions_staff(county, intake):
    form = IntakeForm(user=county.a_teller)
    values = [v for v, _label in form.fields["complained_staff"].choices if v]
    assert values == [county.a1_handler.pk, county.a_teller.pk]  # by name: a1_hdl, a_tel


def test_typed_name_of_one_member_of_staff_is_linked(county, intake):
    county.a1_handler.full_name = "张伟"
    county.a1_handler.save()
    form = IntakeForm(
        form_data(intake(complained_staff_name="张伟", id_number="")) | {"id_type": ""},
        user=county.a_teller,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["complained_staff"] == county.a1_handler


def test_typed_name_shared_by_two_must_be_chosen(county, intake):
    county.a1_handler.full_name = "张伟"
    county.a1_handler.save()
    UserFactory(username="zw2", full_name="张伟", role="teller", institution=county.a_out1)
    form = IntakeForm(
        form_data(intake(complained_staff_name="张伟", id_number="")) | {"id_type": ""},
        user=county.a_teller,
    )
    assert not form.is_valid()
    assert form.errors["complained_staff"] == [
        "被投诉机构有 2 名员工名为“张伟”，请从列表中选择是哪一位。"
    ]


def test_name_of_someone_outside_the_system_stays_free_text(county, intake):
    form = IntakeForm(
        form_data(intake(complained_staff_name="保安老王", id_number="")) | {"id_type": ""},
        user=county.a_teller,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["complained_staff"] is None


def test_staff_of_another_institution_cannot_be_chosen(county, intake):
    form = IntakeForm(
        form_data(intake(complained_institution=county.a_out2, complained_staff=county.a1_handler)),
        user=county.a_manager,
    )
    assert not form.is_valid()
    assert form.errors["complained_staff"] == ["所选员工不属于被投诉机构。"]


def test_service_refuses_staff_outside_the_complained_institution(county, intake):
    with pytest.raises(WorkflowError, match="所选员工不属于被投诉机构"):
        register(
            county,
            intake(complained_institution=county.a_out2, complained_staff=county.a1_handler),
            actor=county.a_manager,
        )


def test_manager_cannot_assign_to_the_person_complained_about_in_the_browser(
    client, county, intake
):
    c = register(county, intake(complained_staff=county.a1_handler))
    client.force_login(county.a_manager)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert f'<option value="{county.a1_handler.pk}"' not in page  # not offered
    response = client.post(
        reverse("complaints:act", args=[c.pk, "assign"]),
        {"version": c.version, "institution": county.a_out1.pk, "handler": county.a1_handler.pk},
        follow=True,
    )
    assert response.redirect_chain[0][1] == 302
    assert "请修正表单中的错误。" in response.content.decode()
    c.refresh_from_db()
    assert (c.status, c.handler, c.version) == ("registered", None, 1)
    assert not TimelineEntry.objects.filter(complaint=c, action="assign").exists()


def test_dispatch_refuses_the_person_complained_about(county, intake):
    from complaints.services import complaint_dispatch

    data = intake(complained_staff=county.a1_handler)
    with pytest.raises(WorkflowError, match="处理人不能是被投诉的当事人"):
        complaint_dispatch(
            actor=county.regulator,
            data=data,
            institution=county.a_out1,
            handler=county.a1_handler,
        )
    assert not Complaint.objects.exists()  # the registration rolled back with it


def test_reassign_refuses_the_person_complained_about(county, intake):
    c = register(county, intake(complained_staff=county.a1_handler))
    workflow.complaint_act(
        actor=county.a_manager,
        complaint_id=c.pk,
        action="assign",
        institution=county.bank_a,
        handler=county.a_handler,
    )
    with pytest.raises(WorkflowError) as refused:
        workflow.complaint_act(
            actor=county.a_manager,
            complaint_id=c.pk,
            action="assign",
            institution=county.a_out1,
            handler=county.a1_handler,
        )
    assert refused.value.code == "handler_is_party"


def test_the_person_complained_about_may_not_act_even_as_manager(county, intake):
    c = register(
        county,
        intake(complained_institution=county.bank_a, complained_staff=county.a_manager),
        actor=county.a_handler,
    )
    for action, data in (
        ("assign", {"institution": county.bank_a, "handler": county.a_handler}),
        ("refuse", {"reason": "other", "note": "不属实"}),
        ("supervise", {"note": "尽快"}),
    ):
        with pytest.raises(WorkflowError) as refused:
            workflow.complaint_act(actor=county.a_manager, complaint_id=c.pk, action=action, **data)
        assert refused.value.code == "actor_is_party"
    workflow.complaint_act(
        actor=county.regulator,
        complaint_id=c.pk,
        action="assign",
        institution=county.bank_a,
        handler=county.a_handler,
    )
    c.refresh_from_db()
    workflow.complaint_act(actor=county.a_handler, complaint_id=c.pk, action="start")
    with pytest.raises(WorkflowError) as refused:
        workflow.complaint_act(
            actor=county.a_manager,
            complaint_id=c.pk,
            action="resolve",
            findings="经核实",
            is_valid=True,
            measures="道歉",
            staff_opinion="本人无过错",
        )
    assert refused.value.code == "actor_is_party"
    assert Complaint.objects.get(pk=c.pk).status == "in_progress"
