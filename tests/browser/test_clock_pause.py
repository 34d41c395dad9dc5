"""A handler pauses a complaint for appraisal, resumes it and answers it, seeing both
due dates (the service promise and the statutory limit) on the detail page."""

import re

from django.utils import timezone

from complaints import services
from complaints.models import Complaint, HandlingCategory
from complaints.workflow import complaint_act
from institutions.models import Institution, User
from tests.browser.helpers import act


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _in_progress() -> Complaint:
    users = {u.username: u for u in User.objects.filter(username__startswith="rcb_")}
    outlet = Institution.objects.get(code="RCB-QH-0101")
    c, _warnings = services.complaint_register(
        actor=users["rcb_teller"],
        data={
            "intake_source": "phone",
            "kind": "complaint",
            "complainant_name": "钱多多",
            "complainant_phone": "13933336666",
            "answer_preference": "phone",
            "description": "银行卡被盗刷，怀疑卡片被复制",
            "demand": "查明原因并赔偿",
            "complained_institution": outlet,
            "category": HandlingCategory.objects.get(name="服务产品"),
        },
    )
    complaint_act(
        actor=users["rcb_manager"],
        complaint_id=c.pk,
        action="assign",
        institution=Institution.objects.get(code="RCB-QH-01"),
        handler=users["rcb_handler"],
    )
    return complaint_act(actor=users["rcb_handler"], complaint_id=c.pk, action="start")


def test_handler_pauses_for_appraisal_resumes_and_answers(demo, login, page, live_server):
    c = _in_progress()
    login("rcb_handler")
    page.goto(f"{live_server.url}/complaints/{c.pk}/")
    due = page.get_by_test_id("due-at").inner_text()
    statutory = page.get_by_test_id("statutory-due-at").inner_text()
    assert due.startswith(_local(c.due_at))
    assert statutory.startswith(_local(c.statutory_due_at))
    assert "银行业保险业消费投诉处理管理办法（2020） · 15 日" in statutory
    assert page.get_by_test_id("paused").count() == 0

    def pause(box):
        box.locator("select[name=reason]").select_option("appraisal")
        box.locator("select[name=consumer_told_via]").select_option("phone")
        box.locator("textarea[name=note]").fill("银行卡送发卡组织鉴定")

    act(page, "pause", pause)
    assert page.get_by_test_id("paused").inner_text() == "中止计时"
    assert "鉴定" in page.get_by_test_id("pauses").inner_text()
    # Paused: resume is offered, resolving is not.
    assert page.locator('details[data-offered-action="resume"]').count() == 1
    assert page.locator('details[data-offered-action="resolve"]').count() == 0

    act(page, "resume")
    assert page.get_by_test_id("paused").count() == 0
    assert re.search(r"法定时限顺延 0 日", page.get_by_test_id("pauses").inner_text())

    def resolve(box):
        box.locator("textarea[name=findings]").fill("鉴定结论：卡片被复制")
        box.locator("input[name=is_valid][value='1']").check()
        box.locator("textarea[name=measures]").fill("已垫付被盗刷资金")

    act(page, "resolve", resolve)

    def answer(box):
        box.locator("input[name=satisfaction][value=satisfied]").check()

    act(page, "answer", answer)
    assert page.get_by_test_id("status").inner_text() == "已反馈"
    # Same-day pause: neither due time moved; both still shown, answered within both.
    assert page.get_by_test_id("due-at").inner_text().startswith(due[:16])
    statutory_after = page.get_by_test_id("statutory-due-at").inner_text()
    assert statutory_after.startswith(statutory[:16])
    assert "法定时限内答复" in statutory_after
    steps = page.locator("[data-testid=timeline] li")
    actions = [steps.nth(i).get_attribute("data-action") for i in range(steps.count())]
    assert actions == ["register", "assign", "start", "pause", "resume", "resolve", "answer"]
