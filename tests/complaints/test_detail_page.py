"""What the complaint page says about an extension and about answers given before a
reopen, on the page and on the printed form."""

from datetime import timedelta

from django.urls import reverse

from complaints import workflow

from .helpers import complaint_in_state


def act(actor, c, action, **data):
    return workflow.complaint_act(actor=actor, complaint_id=c.pk, action=action, **data)


def test_extended_due_time_is_labelled_and_keeps_the_old_one(client, county, intake):
    c = complaint_in_state(county, intake(), "in_progress")
    old_due = c.due_at
    client.force_login(county.a1_handler)
    detail = reverse("complaints:detail", args=[c.pk])
    assert "一般投诉：当日办结" in client.get(detail).content.decode()  # the rule, before
    act(
        county.a1_handler,
        c,
        "request_extension",
        reason="需调取录像",
        requested_due_at=old_due + timedelta(days=2),
        customer_told=True,
    )
    page = client.get(detail).content.decode()
    assert 'data-offered-action="request_extension"' not in page  # one at a time
    act(county.a_manager, c, "decide_extension", approve=True)
    page = client.get(detail).content.decode()
    assert 'data-testid="extended">已延期</span>' in page
    from django.utils import timezone

    assert f"原期限 {timezone.localtime(old_due):%Y-%m-%d %H:%M}" in page
    assert "一般投诉：当日办结" not in page


def test_reopened_complaint_says_the_first_answer_was_unsatisfactory(client, county, intake):
    c = complaint_in_state(county, intake(), "resolved")
    act(county.a1_handler, c, "answer", method="phone", satisfaction="unsatisfied")
    act(county.a_teller, c, "reopen", reason="客户不满意")
    client.force_login(county.a1_handler)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert "第 1 次反馈" in page
    assert "客户不满意，已重新处理" in page
    printed = client.get(reverse("complaints:print", args=[c.pk])).content.decode()
    assert "第 1 次反馈" in printed
    assert "不满意" in printed
    # Not resolved yet: nothing recovered is not the same as 0.00 recovered.
    assert "0.00" not in printed


def test_long_description_is_folded_to_its_first_lines(client, county, intake):
    text = "柜台人员未按规定办理挂失手续。" * 60  # 900 characters
    c = complaint_in_state(county, intake(description=text), "registered")
    client.force_login(county.a_teller)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert '<details class="fold">' in page
    assert "展开全文（共 900 字）" in page
    assert page.count(text) == 1  # the whole text once, inside the fold
