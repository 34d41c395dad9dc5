"""Once escalated, only the level that now holds the case acts on it; a major
complaint is refused or transferred only by the managers over it or the office,
with the reasons written out."""

import pytest

from complaints import workflow
from complaints.errors import WorkflowError
from complaints.models import Complaint

from .helpers import complaint_in_state, register


def act(actor, c, action, **data):
    return workflow.complaint_act(actor=actor, complaint_id=c.pk, action=action, **data)


@pytest.fixture
def escalated_major(county, intake):
    c = complaint_in_state(county, intake(), "in_progress")
    return act(county.a1_handler, c, "escalate", reason="涉及金额较大", major=True)


@pytest.mark.parametrize("who", ["a_teller", "a1_handler"])
@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("refuse", {"reason": "other", "note": "不属实"}),
        ("transfer", {"to": "县法院", "reason": "已起诉"}),
        ("escalate", {"reason": "再上报"}),
    ],
)
def test_the_lower_level_no_longer_acts_after_escalation(
    county, escalated_major, who, action, data
):
    with pytest.raises(WorkflowError) as refused:
        act(getattr(county, who), escalated_major, action, **data)
    assert refused.value.code == "permission_denied"
    c = Complaint.objects.get(pk=escalated_major.pk)
    assert (c.status, c.handling_institution_id, c.version) == (
        "registered",
        county.bank_a.pk,
        escalated_major.version,
    )


def test_major_complaint_refused_by_the_holding_manager_only_with_reasons(county, escalated_major):
    with pytest.raises(WorkflowError, match="请填写不予受理说明"):
        act(county.a_manager, escalated_major, "refuse", reason="litigation", note=" ")
    c = act(county.a_manager, escalated_major, "refuse", reason="litigation", note="已起诉至法院")
    assert (c.status, c.refusal_note) == ("refused", "已起诉至法院")


def test_first_responder_cannot_refuse_a_major_complaint(county, intake):
    c = register(county, intake(is_major=True))
    with pytest.raises(WorkflowError) as refused:
        act(county.a_teller, c, "refuse", reason="other", note="x")
    assert refused.value.code == "permission_denied"
    c = act(county.regulator, c, "transfer", to="县市场监管局", reason="非金融")
    assert c.status == "transferred"


def test_first_responder_still_refuses_an_ordinary_complaint_not_escalated(county, intake):
    c = register(county, intake())
    assert act(county.a_teller, c, "refuse", reason="not_financial").status == "refused"
