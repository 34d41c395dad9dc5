"""The appraisal 通报 as a bank manager opens it from 考核评价: the reason printed for a
disclosed institution is its grade, major complaints and overdue cases (not the
publication's internal note), and a table lists every appraised institution with its
scores, rank and grade."""

import re

from evaluation.models import AppraisalPeriod


def test_notice_prints_reasons_and_the_results_table(demo, login, page, live_server):
    period = AppraisalPeriod.objects.get(status="published")
    sheets = list(period.sheets.select_related("institution").order_by("rank", "institution__path"))
    login("abc_manager")
    page.locator("details.nav-more > summary").click()  # the bar's 更多 menu
    page.get_by_role("link", name="考核评价", exact=True).click()
    page.wait_for_url(re.compile(r".*/evaluation/$"))
    page.locator(f"tr:has-text('{period.name}')").get_by_role("link", name="通报").first.click()
    page.wait_for_url(re.compile(rf".*/evaluation/periods/{period.pk}/notice/$"))
    notice = page.get_by_test_id("notice")
    assert "发布时按系统建议确认" not in notice.inner_text()
    disclosed = page.get_by_test_id("notice-disclosed").locator("li[data-institution='XTB-QH']")
    assert re.fullmatch(
        r"邢台银行清河支行（[A-D]）：考核等级 [A-D]；重大投诉 \d+ 件；逾期 \d+ 件"
        r"；列为下期重点监管",
        disclosed.inner_text(),
    )
    rows = page.get_by_test_id("notice-results").locator("tbody tr")
    assert rows.count() == len(sheets) == 5
    for i, sheet in enumerate(sheets):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert cells[:6] == [
            str(sheet.rank),
            sheet.institution.name,
            f"{sheet.element_total:.2f}",
            f"{sheet.deduction:.2f}",
            f"{sheet.total:.2f}",
            sheet.grade,
        ]
