"""The templates the office edits in the admin, and their placeholder check."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import ConsumerEvent, MessageChannel, MessageTemplate
from notifications.templating import PLACEHOLDERS, render


def _change_url(t):
    return reverse("admin:notifications_messagetemplate_change", args=[t.pk])


def _post(t, **fields):
    data = {"is_active": "on", "subject": t.subject, "body": t.body}
    data.update(fields)
    return data


def test_every_event_and_channel_has_a_valid_default_template(message_templates):
    assert set(message_templates) == {
        (e, c) for e in ConsumerEvent.values for c in MessageChannel.values
    }
    for t in message_templates.values():
        t.full_clean()
        context = {name: f"<{name}>" for name in PLACEHOLDERS[t.event]}
        assert "{" not in render(t.body, context)


def test_sysadmin_edits_a_template_in_the_admin(client, county, message_templates):
    t = message_templates[("answered", "sms")]
    client.force_login(county.sysadmin)
    r = client.post(_change_url(t), _post(t, body="您的投诉{tracking_no}已答复。"))
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.body == "您的投诉{tracking_no}已答复。"


def test_admin_refuses_an_unknown_placeholder_with_the_list_of_known_ones(
    client, county, message_templates
):
    t = message_templates[("answered", "sms")]
    client.force_login(county.sysadmin)
    r = client.post(_change_url(t), _post(t, body="{handler_name} 已答复您的投诉 {tracking_no}"))
    assert r.status_code == 200
    errors = r.context["adminform"].form.errors["body"]
    assert errors == [
        "未知的占位符：{handler_name}。此事件可用的占位符：{tracking_no} 投诉编号、"
        "{institution} 被投诉机构简称。"
    ]
    t.refresh_from_db()
    assert "handler_name" not in t.body


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("投诉 {tracking_no 已答复", "braces"),
        ("{tracking_no.__class__}", "placeholder_syntax"),
        ("{tracking_no!r}", "placeholder_syntax"),
        ("{tracking_no:>30}", "placeholder_syntax"),
        ("{}", "placeholder_syntax"),
        ("{due_date}", "unknown_placeholder"),  # answered has no due date
    ],
)
def test_malformed_or_foreign_placeholders_are_refused(body, code):
    t = MessageTemplate(event="answered", channel="sms", body=body)
    with pytest.raises(ValidationError) as caught:
        t.full_clean(validate_unique=False, validate_constraints=False)
    assert [e.code for e in caught.value.error_dict["body"]] == [code]


def test_literal_braces_are_allowed():
    t = MessageTemplate(event="answered", channel="sms", body="{{编号}} {tracking_no}")
    t.full_clean(validate_unique=False, validate_constraints=False)
    assert render(t.body, {"tracking_no": "A-1", "institution": "甲"}) == "{编号} A-1"


def test_an_email_template_needs_a_subject():
    t = MessageTemplate(event="answered", channel="email", subject="", body="{tracking_no}")
    with pytest.raises(ValidationError) as caught:
        t.full_clean(validate_unique=False, validate_constraints=False)
    assert [e.code for e in caught.value.error_dict["subject"]] == ["subject_required"]


def test_regulator_may_edit_templates_bank_staff_may_not(client, county, message_templates):
    t = message_templates[("answered", "sms")]
    client.force_login(county.regulator)
    assert client.get(_change_url(t)).status_code == 200
    client.force_login(county.a_manager)
    r = client.get(_change_url(t))
    assert r.status_code == 302
    assert r.url.startswith(reverse("admin:login"))


def test_only_sysadmin_reads_the_sent_messages(client, county, message_templates):
    url = reverse("admin:notifications_consumermessage_changelist")
    client.force_login(county.regulator)
    assert client.get(url).status_code == 403
    client.force_login(county.sysadmin)
    assert client.get(url).status_code == 200


def test_add_page_lists_every_events_placeholders(client, county, message_templates):
    client.force_login(county.sysadmin)
    body = client.get(reverse("admin:notifications_messagetemplate_add")).content.decode()
    assert "{enquiry_url} 查询链接" in body
    assert "{reason} 延期原因" in body


def test_opt_out_added_in_the_admin_stops_messages(client, county, message_templates):
    from notifications.consumer import notify_consumer
    from notifications.models import ConsumerOptOut

    client.force_login(county.regulator)
    r = client.post(
        reverse("admin:notifications_consumeroptout_add"),
        {"address": "138 1234 5678", "note": "客户来电要求退订"},
    )
    assert r.status_code == 302
    optout = ConsumerOptOut.objects.get()
    assert (optout.hint, optout.note) == ("138****5678", "客户来电要求退订")
    body = client.get(reverse("admin:notifications_consumeroptout_changelist")).content.decode()
    assert "138****5678" in body
    assert "13812345678" not in body
    ctx = {"tracking_no": "A-1", "institution": "甲银行"}
    assert (
        notify_consumer(event="answered", phone="13812345678", context=ctx, reference="A-1") == []
    )


def test_admin_action_opts_out_the_recipients_of_chosen_messages(client, county, message_templates):
    from notifications.consumer import is_opted_out, notify_consumer

    ctx = {"tracking_no": "A-1", "institution": "甲银行"}
    (row,) = notify_consumer(event="answered", phone="13812345678", context=ctx, reference="A-1")
    client.force_login(county.sysadmin)
    url = reverse("admin:notifications_consumermessage_changelist")
    body = client.get(url).content.decode()
    assert "138****5678" in body
    assert "13812345678" not in body
    r = client.post(url, {"action": "opt_out_recipients", "_selected_action": [row.pk]})
    assert r.status_code == 302
    assert is_opted_out("13812345678")
    row.refresh_from_db()
    assert row.cancelled_at is not None
