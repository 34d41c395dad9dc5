"""Done-when of issue 6: the demo supervisor opens last quarter's appraisal in the
admin, recomputes, scores the manual indicators left, publishes and sees the
key-supervision list for next quarter; a bank manager sees only their own sheet
and rank."""

import re

from evaluation.models import AppraisalPeriod, ScoreSheet


def _logout(page, live_server):
    page.goto(f"{live_server.url}/")  # the site header's button, not the admin's
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url(re.compile(r".*/login/.*"))


def test_supervisor_publishes_last_quarter_and_bank_sees_only_its_own(
    demo, login, page, live_server
):
    period = AppraisalPeriod.objects.get(status="scoring")

    login("pbc_supervisor")
    page.goto(f"{live_server.url}/admin/evaluation/appraisalperiod/")
    page.get_by_test_id(f"overview-{period.code}").click()
    page.wait_for_url(re.compile(rf".*/appraisalperiod/{period.pk}/overview/$"))
    assert page.get_by_test_id("period-status").inner_text() == "评分中"
    assert page.get_by_test_id("computed-at").inner_text() == "尚未计算"
    # Last quarter's list carries over from the quarter before.
    assert "邢台银行清河支行" in page.get_by_test_id("previous-key-supervision").inner_text()

    with page.expect_navigation():
        page.get_by_test_id("recompute").click()
    assert "系统指标已重新计算。" in page.locator("ul.messagelist").inner_text()
    assert page.get_by_test_id("computed-at").inner_text() != "尚未计算"
    vb = page.locator("tr[data-institution='VB-QH']")
    assert vb.get_by_test_id("unscored").inner_text() == "2"

    # Score the two manual indicators left on 丰源村镇银行's sheet.
    page.get_by_test_id("sheet-VB-QH").click()
    page.wait_for_url(re.compile(r".*/admin/evaluation/scoresheet/\d+/change/$"))
    scores = page.locator("input[name^='scores-'][name$='-score']:not([disabled])")
    filled = 0
    for i in range(scores.count()):
        box = scores.nth(i)
        if box.input_value() == "":
            box.fill("9")
            prefix = box.get_attribute("name").rsplit("-", 1)[0]
            page.locator(f"textarea[name='{prefix}-reason']").fill("现场检查：制度健全、执行到位")
            filled += 1
    assert filled == 2
    # Counts read as whole numbers on the sheet, never 0.0000.
    assert "0.0000" not in page.locator("#scores-group").inner_text()
    page.locator("input[name='_save']").click()
    page.wait_for_url(re.compile(rf".*/appraisalperiod/{period.pk}/overview/$"))
    assert re.fullmatch(
        r"已保存清河丰源村镇银行的评分表：总分 \d+\.\d\d，等级 \S+，未评分 0 项。",
        page.locator("ul.messagelist").inner_text().strip(),
    )
    assert (
        page.locator("tr[data-institution='VB-QH']").get_by_test_id("unscored").inner_text() == "0"
    )

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("publish").click()
    assert page.get_by_test_id("period-status").inner_text() == "已发布"
    listed = page.get_by_test_id("key-supervision-list").inner_text()
    assert "中国工商银行清河县支行" in listed
    assert "邢台银行清河支行" in listed
    assert "重大投诉" in listed
    _logout(page, live_server)

    # The bank manager sees its own sheet and rank only.
    own = ScoreSheet.objects.get(period=period, institution__code="ABC-HB")
    other = ScoreSheet.objects.get(period=period, institution__code="ICBC-QH")
    login("abc_manager")
    page.locator("details.nav-more > summary").click()  # the bar's 更多 menu
    page.get_by_role("link", name="考核评价", exact=True).click()
    page.wait_for_url(re.compile(r".*/evaluation/$"))
    results = page.get_by_test_id("own-results").inner_text()
    assert f"第 {own.rank} 名（共 5 家）" in results
    for name in ("工商银行", "邢台银行", "农商", "村镇银行"):
        assert name not in results
    page.locator(f"tr:has-text('{period.name}')").get_by_test_id("open-sheet").click()
    page.wait_for_url(re.compile(rf".*/evaluation/sheets/{own.pk}/$"))
    assert page.get_by_test_id("sheet-institution").inner_text() == "中国农业银行邢台分行"
    assert page.get_by_test_id("sheet-rank").inner_text() == f"第 {own.rank} 名（共 5 家）"
    response = page.goto(f"{live_server.url}/evaluation/sheets/{other.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/admin/evaluation/scoresheet/")
    assert "/admin/login/" in page.url
