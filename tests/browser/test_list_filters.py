"""The supervisor narrows the complaint list by status, in Chromium: the statuses
are ticked in a group that opens over the filter bar and, once the list is shown,
the closed group names what was chosen."""

from complaints.enums import ComplaintStatus
from complaints.models import Complaint


def test_supervisor_filters_the_list_by_two_statuses(demo, login, page, live_server):
    login("pbc_supervisor")
    page.goto(f"{live_server.url}/complaints/")
    group = page.locator("fieldset.multi")
    assert group.locator("legend").inner_text() == "状态"
    assert group.locator("summary").inner_text() == "全部"
    # Closed, the boxes take no room in the bar; opened, each status can be ticked.
    assert not group.get_by_label("已分办").is_visible()
    group.locator("summary").click()
    group.get_by_label("已分办").check()
    group.get_by_label("处理中").check()
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/complaints/?*status=assigned*")

    wanted = {ComplaintStatus.ASSIGNED, ComplaintStatus.IN_PROGRESS}
    expected = Complaint.objects.filter(status__in=wanted).count()
    assert expected > 0
    # The last but one column is the status (the first may carry flags as badges too,
    # and the supervisor's list starts with the bulk checkboxes).
    cells = page.locator("[data-testid=complaint-table] tbody td:nth-last-child(2)")
    badges = cells.all_inner_texts()
    assert len(badges) == expected
    assert set(badges) == {"已分办", "处理中"}
    assert page.get_by_text(f"共 {expected} 件").is_visible()
    group = page.locator("fieldset.multi")
    assert group.locator("summary").inner_text() == "已分办、处理中"
    group.locator("summary").click()
    assert group.get_by_label("已分办").is_checked()
    assert not group.get_by_label("已登记").is_checked()
