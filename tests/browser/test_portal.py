"""The consumer's side on a phone-sized screen (375×812) in Chromium: a consumer
complains online with a photo, gets a code, the outlet's teller sees the complaint in
the list, staff answer it, the consumer follows it, says 不满意 and it reopens.
Screenshots for docs/portal.md are taken on the way (docs/img/portal-*.png)."""

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from complaints.models import Complaint
from complaints.workflow import complaint_act
from institutions.models import Institution, User

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
PHONE = {"width": 375, "height": 812}


@pytest.fixture(autouse=True)
def fresh_limits():
    """The portal's rate-limit and captcha counters live in the cache (Redis under
    .ci/run, shared by the live server): start from none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def phone_page(chromium_browser):
    context = chromium_browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, device_scale_factor=2
    )
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


def _shot(page, name: str) -> None:
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS_IMG / f"portal-{name}.png"), full_page=True)


def _photo(tmp_path) -> Path:
    path = tmp_path / "receipt.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), (240, 200, 80)).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return path


def test_consumer_complains_follows_and_reopens(
    demo, phone_page, login, page, live_server, tmp_path
):
    outlet = Institution.objects.get(code="ABC-QH-01")
    p = phone_page
    # From the outlet's poster (QR code): the form with the outlet chosen.
    p.goto(f"{live_server.url}/portal/complain/?to={outlet.pk}")
    assert p.locator("#id_complained_institution").input_value() == str(outlet.pk)
    # Nothing wider than the phone's screen.
    assert p.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    p.fill("#id_description", "在城关分理处取款时被要求购买理财产品，否则不给办理")
    p.fill("#id_demand", "要求网点道歉并停止捆绑销售")
    p.fill("#id_complainant_name", "赵晓燕")
    p.fill("#id_complainant_phone", "13833331234")
    p.select_option("#id_answer_preference", "sms")
    p.check("#id_notify_consent")
    p.set_input_files("#id_files", str(_photo(tmp_path)))
    p.check("#id_privacy_accepted")
    _shot(p, "complain")
    p.get_by_test_id("complain-submit").click()
    code = p.get_by_test_id("tracking-code").inner_text()
    secret = p.get_by_test_id("tracking-secret").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", code)
    assert len(secret.replace("-", "")) == 16
    _shot(p, "submitted")
    c = Complaint.objects.get(complainant_name="赵晓燕")
    assert (c.intake_source, c.submitted_by_consumer) == ("online", True)
    assert c.attachments.count() == 1

    # The outlet's teller sees it in the complaint list, with the photo on its page.
    login("abc_teller")
    page.goto(f"{live_server.url}/complaints/")
    assert page.locator(f"text={c.tracking_no}").count() >= 1
    page.goto(f"{live_server.url}/complaints/{c.pk}/")
    assert page.get_by_test_id("attachments").is_visible()

    # Staff handle and answer it (through the same services the pages call).
    manager = User.objects.get(username="abc_manager")
    handler = User.objects.get(username="abc_handler")
    c = complaint_act(
        actor=manager,
        complaint_id=c.pk,
        action="assign",
        institution=Institution.objects.get(code="ABC-QH"),
        handler=handler,
    )
    c = complaint_act(actor=handler, complaint_id=c.pk, action="start")
    c = complaint_act(
        actor=handler,
        complaint_id=c.pk,
        action="resolve",
        findings="经调阅监控，员工确有推销理财产品的行为",
        is_valid=True,
        measures="已对员工批评教育，取款业务不得附加条件",
        money_recovered=0,
        staff_opinion="批评教育",
    )
    c = complaint_act(
        actor=handler,
        complaint_id=c.pk,
        action="answer",
        method="sms",
        satisfaction="basic",
        note="已短信告知处理结果并致歉",
    )

    # The consumer follows it with the code and the last four digits.
    p.goto(f"{live_server.url}/portal/track/")
    _shot(p, "track")
    p.fill("#id_code", code)
    p.fill("#id_proof", "1234")
    p.get_by_test_id("track-submit").click()
    p.wait_for_url(re.compile(r".*/portal/track/case/$"))
    assert p.get_by_test_id("case-stage").inner_text() == "已答复"
    assert "已短信告知处理结果并致歉" in p.get_by_test_id("case-answer").inner_text()
    assert "13833331234" not in p.content()
    assert p.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(p, "case")

    # 不满意: the complaint reopens for re-verification.
    p.get_by_label("不满意").check()
    p.fill("#id_comment", "网点没有当面道歉")
    p.get_by_test_id("verdict-submit").click()
    p.wait_for_url(re.compile(r".*/portal/track/case/$"))
    assert p.get_by_test_id("case-stage").inner_text() == "正在调查处理"
    _shot(p, "reopened")
    c.refresh_from_db()
    assert (c.status, c.needs_reverification, c.reopen_count) == ("in_progress", True, 1)
    reopen = c.timeline.filter(action="reopen").get()
    assert reopen.payload["by"] == "consumer"


def test_secret_link_opens_the_case_without_the_secret_reaching_the_server(
    demo, phone_page, live_server
):
    from portal.models import ConsumerAccess
    from portal.submission import services

    outlet = Institution.objects.get(code="ABC-QH-01")
    data = {
        "complained_institution": outlet,
        "description": "信用卡年费未经同意扣收",
        "demand": "退还年费",
        "complainant_name": "孙磊",
        "complainant_phone": "13700007777",
        "answer_preference": "sms",
    }
    done = services.online_complaint_submit(data=data)
    link = services.acceptance_message(done.access, done.secret)["link"]
    path_and_fragment = link.split("://", 1)[1].split("/", 1)[1]
    p = phone_page
    p.goto(f"{live_server.url}/{path_and_fragment}")
    p.wait_for_url(re.compile(r".*/portal/track/case/$"))
    assert "#" not in p.url
    assert p.get_by_test_id("case-stage").inner_text() == "已受理，等待分派处理人员"
    assert ConsumerAccess.objects.filter(pk=done.access.pk).exists()
