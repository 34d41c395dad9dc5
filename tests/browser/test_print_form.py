"""The 《客户投诉处理单》 in Chromium: printed with print media it is one A4 page for a
realistic reopened case, labels and names do not wrap, the first (unsatisfactory)
answer is on it; the PDF download is one page too."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from complaints.models import Complaint
from complaints.workflow.service import complaint_act
from institutions.models import User

DESCRIPTION = (
    "客户反映：2026年3月12日上午在我行营业部办理跨行转账业务时，柜员将收款账号录错一位，"
    "导致资金被退回，延误两天到账，客户因此支付了供货商违约金。客户多次致电网点未获明确答复，"
    "认为柜员办理业务不认真、网点处理投诉拖延，要求我行说明原因。"
)
FINDINGS = (
    "经调阅业务凭证和监控录像，核实柜员在录入收款账号时将末位“7”录为“1”，复核环节未发现，"
    "属柜员操作失误；网点负责人在客户首次来电后未登记投诉，导致处理延误。"
)
MEASURES = (
    "1. 向客户当面致歉并说明原因；2. 补偿客户违约金及手续费共计 350 元；"
    "3. 对责任柜员和复核人员进行批评教育并组织业务培训；4. 网点重新学习投诉登记制度。"
)


@pytest.fixture
def reopened(demo):
    """The demo's RCB loan complaint resolved and answered (the customer is not
    satisfied), reopened, resolved again with long texts and answered again."""
    c = Complaint.objects.get(description__startswith="贷款时被要求购买理财产品")
    Complaint.objects.filter(pk=c.pk).update(description=DESCRIPTION)
    handler, manager = (User.objects.get(username=u) for u in ("rcb_handler", "rcb_manager"))

    def act(actor, action, **data):
        complaint_act(actor=actor, complaint_id=c.pk, action=action, **data)

    resolution = {"findings": FINDINGS, "is_valid": True, "measures": MEASURES}
    act(handler, "resolve", **resolution, money_recovered=Decimal("0"), staff_opinion="")
    act(handler, "answer", method="phone", satisfaction="unsatisfied", note="电话告知")
    act(handler, "log_contact", method="phone", contact_with="客户本人", summary="要求补偿")
    act(manager, "reopen", reason="客户对补偿金额不满意")
    act(handler, "reverify", analysis="客户认为补偿未覆盖违约金，重新核算损失。")
    act(
        handler,
        "resolve",
        **resolution,
        money_recovered=Decimal("350"),
        staff_opinion="同意对责任人员批评教育，扣减当月绩效。",
    )
    act(handler, "answer", method="in_person", satisfaction="satisfied", note="当面反馈并致歉")
    return Complaint.objects.get(pk=c.pk)


def test_print_form_is_one_a4_page_in_print_media(reopened, login, page, live_server):
    login("rcb_manager")
    page.goto(f"{live_server.url}/complaints/{reopened.pk}/print/")
    form = page.get_by_test_id("print-form")
    # Labels on one line: 责任人处理意见 is as tall as a one-line label.
    heights = page.eval_on_selector_all(
        "table.form th", "ths => ths.map(th => [th.innerText, th.getBoundingClientRect().height])"
    )
    one_line = dict(heights)["受理时间"]
    assert dict(heights)["责任人处理意见"] == one_line
    assert dict(heights)["银行卡号/账号"] == one_line
    name_cell = page.locator("table.form th:text-is('处理人') + td")
    assert name_cell.evaluate("td => getComputedStyle(td).whiteSpace") == "nowrap"
    text = form.inner_text()
    assert "第 1 次反馈：" in text
    assert "电话 · 不满意（已重新处理）" in text
    assert "350.00" in page.locator("table.form th:text-is('挽回损失（元）') + td").inner_text()
    page.emulate_media(media="print")
    assert not page.locator("[data-print]").is_visible()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_print_button_is_offered_and_pdf_downloads(reopened, login, page, live_server):
    login("rcb_manager")
    page.goto(f"{live_server.url}/complaints/{reopened.pk}/print/")
    assert page.locator("button[data-print]").inner_text() == "打印"
    with page.expect_download() as info:
        page.get_by_test_id("pdf-link").click()
    download = info.value
    assert download.suggested_filename == f"{reopened.tracking_no}.pdf"
    reader = PdfReader(download.path())
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert reopened.tracking_no in text
    assert "客户投诉处理单" in text.replace(" ", "")
