"""The consumer hears of acceptance, extension, answer and reopening — through the
real intake and workflow (complaint_register, complaint_act) — only with consent."""

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint
from complaints.workflow import complaint_act
from notifications.consumer import consumer_opt_out, deliver_consumer_messages
from notifications.models import ConsumerMessage
from tests.complaints.helpers import complaint_in_state, register, valid_data

pytestmark = pytest.mark.usefixtures("message_templates")

PHONE = "13812345678"


def _consenting(intake, **kw):
    return intake(notify_consent=True, complainant_phone=PHONE, **kw)


def _events(c) -> list[tuple[str, str]]:
    return list(
        ConsumerMessage.objects.filter(reference=c.tracking_no)
        .order_by("pk")
        .values_list("event", "channel")
    )


def _sms(c, event) -> str:
    return ConsumerMessage.objects.get(reference=c.tracking_no, event=event, channel="sms").body


def _act(county, c, action, actor=None, **data):
    actor = actor or (county.a1_handler if action in ("start", "resolve") else county.a_manager)
    return complaint_act(
        actor=actor,
        complaint_id=c.pk,
        action=action,
        **(data or valid_data(action, c, county)),
    )


def _due(dt) -> str:
    local = timezone.localtime(dt)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def test_registration_by_staff_tells_a_consenting_consumer_by_sms_and_email(
    county, intake, sms_outbox
):
    c = register(county, _consenting(intake, consumer_email="li@example.com"))
    assert sorted(_events(c)) == [("accepted", "email"), ("accepted", "sms")]
    assert _sms(c, "accepted") == (
        f"您对甲银行一号网点的投诉已受理，投诉编号 {c.tracking_no}，"
        f"我们将在 {_due(c.due_at)} 前答复您。"
    )
    assert deliver_consumer_messages() == 2
    (sent,) = sms_outbox
    assert (sent.to, sent.body) == (PHONE, _sms(c, "accepted"))


def test_no_consent_no_message_along_the_whole_path(county, intake, sms_outbox):
    c = complaint_in_state(county, intake(notify_consent=False), "in_progress")
    _act(county, c, "request_extension", actor=county.a1_handler)
    _act(county, c, "decide_extension")
    c = Complaint.objects.get(pk=c.pk)
    for action in ("resolve", "answer", "reopen"):
        c = _act(county, c, action)
    assert not ConsumerMessage.objects.exists()
    assert deliver_consumer_messages() == 0
    assert sms_outbox == []


def test_a_complaint_filed_on_the_portal_gets_no_staff_acceptance(county, intake):
    from complaints.services import complaint_register_online

    c, _warnings = complaint_register_online(data=_consenting(intake))
    assert c.submitted_by_consumer
    assert _events(c) == []  # the portal sends its own, with the enquiry secret
    # Later steps tell the consumer as for any complaint.
    from tests.complaints.helpers import STATE_AFTER, valid_data

    for action in STATE_AFTER["answered"]:
        actor = county.a1_handler if action in ("start", "resolve") else county.a_manager
        c = complaint_act(
            actor=actor, complaint_id=c.pk, action=action, **valid_data(action, c, county)
        )
    assert _events(c) == [("answered", "sms")]


def test_approved_extension_tells_the_new_due_date_and_reason(county, intake):
    c = complaint_in_state(county, _consenting(intake), "in_progress")
    data = valid_data("request_extension", c, county)
    _act(county, c, "request_extension", actor=county.a1_handler, **data)
    assert _events(c) == [("accepted", "sms")]  # a request alone tells nobody
    _act(county, c, "decide_extension", approve=True, note="同意")
    assert _events(c) == [("accepted", "sms"), ("extended", "sms")]
    assert _sms(c, "extended") == (
        f"您对甲银行一号网点的投诉（编号 {c.tracking_no}）需延期办理，答复期限延至 "
        f"{_due(data['requested_due_at'])}。延期原因：需调取监控录像。给您带来不便，敬请谅解。"
    )


def test_rejected_extension_tells_nothing(county, intake):
    c = complaint_in_state(county, _consenting(intake), "in_progress")
    _act(county, c, "request_extension", actor=county.a1_handler)
    _act(county, c, "decide_extension", approve=False, note="材料不足")
    assert _events(c) == [("accepted", "sms")]


def test_extension_reason_is_masked_in_the_message(county, intake):
    c = complaint_in_state(county, _consenting(intake), "in_progress")
    data = valid_data("request_extension", c, county)
    data["reason"] = "需核对卡号 6222021234567890123 的流水"
    _act(county, c, "request_extension", actor=county.a1_handler, **data)
    _act(county, c, "decide_extension", approve=True, note="同意")
    body = _sms(c, "extended")
    assert "6222021234567890123" not in body
    assert "0123" in body


def test_answer_and_reopen_tell_the_consumer_without_staff_names(county, intake):
    c = complaint_in_state(county, _consenting(intake), "answered")
    c = _act(county, c, "reopen")
    assert _events(c) == [("accepted", "sms"), ("answered", "sms"), ("reopened", "sms")]
    assert _sms(c, "answered") == (
        f"您对甲银行一号网点的投诉（编号 {c.tracking_no}）已办结并答复。"
        "如对处理结果不满意，可联系我们申请重新核查。"
    )
    assert _sms(c, "reopened") == (
        f"您对甲银行一号网点的投诉（编号 {c.tracking_no}）已重新受理核查，处理结果将另行答复您。"
    )
    staff = [county.a1_handler.full_name, county.a_manager.full_name, county.a_teller.full_name]
    for body in ConsumerMessage.objects.values_list("body", flat=True):
        assert not any(name in body for name in staff)
        assert "李四" not in body  # nor the consumer's own name or ID
        assert "110101199003074578" not in body


def test_reopening_a_resolved_complaint_tells_the_consumer(county, intake):
    c = complaint_in_state(county, _consenting(intake), "resolved")
    _act(county, c, "reopen")
    assert _events(c)[-1] == ("reopened", "sms")


def test_an_opted_out_consumer_hears_nothing_despite_consent(county, intake, sms_outbox):
    consumer_opt_out(address=PHONE)
    c = complaint_in_state(county, _consenting(intake), "answered")
    assert c.notify_consent
    assert _events(c) == []
    assert deliver_consumer_messages() == 0


def test_other_actions_tell_nothing(county, intake):
    c = complaint_in_state(county, _consenting(intake), "in_progress")
    _act(county, c, "supervise", actor=county.regulator)
    _act(county, c, "log_contact")
    assert _events(c) == [("accepted", "sms")]


def test_a_rolled_back_action_leaves_no_message(county, intake):
    from complaints.errors import WorkflowError

    c = complaint_in_state(county, _consenting(intake), "resolved")
    with pytest.raises(WorkflowError):
        _act(county, c, "answer", method="nope", satisfaction="satisfied")
    assert _events(c) == [("accepted", "sms")]


def test_staff_record_consent_and_email_on_the_intake_form(client, county, categories, calendar):
    client.force_login(county.a_teller)
    page = client.get(reverse("complaints:create")).content.decode()
    assert "客户同意接收进度短信/邮件" in page
    response = client.post(
        reverse("complaints:create"),
        {
            "intake_source": "phone",
            "kind": "complaint",
            "complainant_name": "王芳",
            "complainant_phone": "137 1234 5678",
            "answer_preference": "sms",
            "consumer_email": "wang@example.com",
            "notify_consent": "on",
            "description": "ATM 吞卡",
            "demand": "尽快退卡",
            "complained_institution": county.a_out1.pk,
            "category": categories["服务渠道"].pk,
        },
    )
    assert response.status_code == 302
    c = Complaint.objects.get()
    assert (c.notify_consent, c.consumer_email) == (True, "wang@example.com")
    assert sorted(
        ConsumerMessage.objects.filter(reference=c.tracking_no).values_list(
            "channel", "phone", "email"
        )
    ) == [("email", "", "wang@example.com"), ("sms", "13712345678", "")]


def test_intake_form_without_the_tick_records_no_consent(client, county, categories, calendar):
    client.force_login(county.a_teller)
    client.post(
        reverse("complaints:create"),
        {
            "intake_source": "phone",
            "kind": "complaint",
            "complainant_name": "王芳",
            "complainant_phone": "13712345678",
            "answer_preference": "phone",
            "description": "ATM 吞卡",
            "demand": "尽快退卡",
            "complained_institution": county.a_out1.pk,
            "category": categories["服务渠道"].pk,
        },
    )
    assert Complaint.objects.get().notify_consent is False
    assert not ConsumerMessage.objects.exists()
