"""The workbench and the complaint list in Chromium (issue 22, 工作台与列表): tiles
per role, the approval queue, the Excel export, bulk assignment with a refusal, the
customer's earlier complaints while typing, and the keyboard shortcuts."""

import io
import re
from datetime import timedelta

from openpyxl import load_workbook

from complaints import exports, tasks
from complaints.models import Complaint, ComplaintExport
from complaints.workflow import complaint_act
from institutions.models import User
from tests.browser.helpers import logout


def _ask_extension():
    """The ABC handler asks for more time on the ATM complaint assigned to him."""
    handler = User.objects.get(username="abc_handler")
    c = Complaint.objects.get(handler=handler, status="assigned")
    return complaint_act(
        actor=handler,
        complaint_id=c.pk,
        action="request_extension",
        reason="需调取 ATM 监控录像",
        requested_due_at=c.due_at + timedelta(days=5),
        customer_told=True,
    )


def test_tiles_per_role_and_the_approval_queue(demo, login, page, live_server):
    asked = _ask_extension()
    login("abc_teller")
    assert page.get_by_test_id("q-mine").is_visible()
    assert page.get_by_test_id("q-approval").count() == 0
    assert page.get_by_test_id("q-awaiting-assignment").count() == 0
    logout(page)
    login("abc_handler")
    assert page.get_by_test_id("q-approval").count() == 0
    assert page.get_by_test_id("q-awaiting-assignment").count() == 0
    logout(page)

    login("abc_manager")
    assert page.get_by_test_id("q-awaiting-assignment").locator(".n").inner_text() == "1"
    tile = page.get_by_test_id("q-approval")
    assert tile.locator(".n").inner_text() == "1"
    tile.click()
    page.wait_for_url("**/complaints/?queue=awaiting_approval")
    rows = page.locator("[data-testid=complaint-table] tbody tr")
    assert rows.count() == 1
    first = rows.first.locator("td").nth(1)  # after the bulk checkbox
    assert first.locator("a").inner_text() == asked.tracking_no
    assert first.locator(".badge", has_text="待审批").is_visible()
    assert page.locator("#id_queue option:checked").inner_text() == "待我审批"
    logout(page)

    login("pbc_supervisor")
    assert page.get_by_test_id("q-approval").locator(".n").inner_text() == "1"


def _sheet(path) -> list[tuple]:
    with open(path, "rb") as fh:
        wb = load_workbook(io.BytesIO(fh.read()), read_only=True)
    return [tuple(r) for r in wb.active.iter_rows(values_only=True)]


def test_export_downloads_the_filtered_list_masked(
    demo, login, page, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    login("abc_manager")
    page.goto(f"{live_server.url}/complaints/?status=registered&status=assigned")
    shown = page.locator("[data-testid=complaint-table] tbody td:nth-child(2) a").all_inner_texts()
    assert len(shown) == 2
    with page.expect_download() as info:
        page.get_by_role("button", name="导出 Excel").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    rows = _sheet(download.path())
    assert rows[0][0] == "投诉编号"
    assert sorted(r[0] for r in rows[1:]) == sorted(shown)
    names = {r[2] for r in rows[1:]}
    assert names == {"赵**", "孙**"}
    assert "13831901234" not in repr(rows)


def test_large_export_shows_progress_then_the_download(
    demo, login, page, live_server, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(exports, "INLINE_LIMIT", 1)
    monkeypatch.setattr(tasks.complaint_export_write, "delay", lambda pk: None)  # no worker
    login("pbc_supervisor")
    page.goto(f"{live_server.url}/complaints/")
    page.get_by_role("button", name="导出 Excel").click()
    page.wait_for_url(re.compile(r".*/complaints/export/\d+/$"))
    assert page.get_by_test_id("export-state").inner_text() == "排队中"
    assert page.get_by_test_id("export-download").count() == 0
    export = ComplaintExport.objects.get()
    tasks.complaint_export_write(export.pk)  # the worker's turn
    # The box polls and turns into the download link without a reload.
    link = page.get_by_test_id("export-download")
    link.wait_for()
    assert page.get_by_test_id("export-state").inner_text() == "已完成"
    assert page.locator("progress").get_attribute("value") == "100"
    with page.expect_download() as info:
        link.click()
    assert len(_sheet(info.value.path())) == 1 + Complaint.objects.count()


def test_bulk_assign_with_one_refused(demo, login, page, live_server):
    registered = Complaint.objects.get(status="registered", handling_institution__code="ABC-QH-01")
    answered = Complaint.objects.get(status="answered", description__contains="录错收款账号")
    handler = User.objects.get(username="abc_handler")
    login("abc_manager")
    page.goto(f"{live_server.url}/complaints/")
    submit = page.locator("[data-bulk-submit]")
    assert submit.is_disabled()
    page.get_by_label(f"选择 {registered.tracking_no}").check()
    page.get_by_label(f"选择 {answered.tracking_no}").check()
    # The handler field shows for 分办 only.
    assert not page.locator("#id_handler").is_visible()
    page.select_option("#id_action", "assign")
    page.select_option("#id_handler", str(handler.pk))
    assert submit.inner_text() == "执行 (2)"
    submit.click()
    page.wait_for_load_state("networkidle")
    messages = page.locator("ul.messages li").all_inner_texts()
    assert messages == [
        "批量分办：已完成 1 件。",
        f"{answered.tracking_no} 未分办：当前状态为“已反馈”，不能执行此操作。",
    ]
    registered.refresh_from_db()
    assert (registered.status, registered.handler) == ("assigned", handler)
    assert registered.timeline.filter(action="assign").count() == 1
    answered.refresh_from_db()
    assert answered.status == "answered"


def test_bulk_select_all_ticks_the_page(demo, login, page, live_server):
    login("abc_manager")
    page.goto(f"{live_server.url}/complaints/")
    page.locator("[data-bulk-all]").check()
    boxes = page.locator("input[data-bulk-row]")
    assert boxes.count() > 1
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))


def test_earlier_complaints_appear_while_typing(demo, login, page, live_server):
    first = Complaint.objects.get(complainant_phone="13831901234")
    login("abc_teller")
    page.goto(f"{live_server.url}/complaints/new/")
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/earlier/" in r.url else None)
    page.locator("#id_complainant_phone").press_sequentially("13831901234", delay=60)
    box = page.get_by_test_id("earlier-complaints")
    box.wait_for()
    text = box.inner_text()
    assert first.tracking_no in text
    assert "赵**" in text
    assert "赵丽华" not in text
    assert "13831901234" not in text
    # One lookup once typing paused, not one per digit.
    assert len(asked) == 1
    # Nothing for a number that is not the customer's.
    page.locator("#id_complainant_phone").fill("13900000000")
    page.wait_for_timeout(800)
    assert page.get_by_test_id("earlier-complaints").count() == 0
    assert Complaint.objects.filter(complainant_phone="13900000000").count() == 0


def test_keyboard_shortcuts(demo, login, page, live_server):
    login("abc_teller")
    # The help lists them (the button in the top bar, or "?").
    page.get_by_test_id("shortcut-help-open").click()
    help_box = page.get_by_test_id("shortcut-help")
    assert help_box.is_visible()
    assert "Alt+N" in help_box.inner_text().replace(" ", "")
    page.keyboard.press("Escape")
    assert not help_box.is_visible()
    page.keyboard.press("Shift+?")
    assert help_box.is_visible()
    page.keyboard.press("Escape")

    page.keyboard.press("Alt+n")
    page.wait_for_url("**/complaints/new/")
    page.fill("#id_complainant_name", "钱多多")
    with page.expect_request(lambda r: r.method == "POST" and "/complaints/new/" in r.url):
        page.locator("#id_complainant_name").press("Alt+s")
    page.wait_for_load_state("networkidle")
    # Submitted: the refused form comes back with its errors, the name kept.
    assert page.locator("#id_complainant_name").input_value() == "钱多多"
    assert page.locator(".errorlist").count() > 0

    page.goto(f"{live_server.url}/complaints/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    # Typed into the search field, "/" is just a character.
    page.keyboard.type("13/")
    assert page.locator("input[name=q]").input_value() == "13/"


def test_shortcut_alt_n_is_not_offered_to_a_role_that_cannot_register(
    demo, login, page, live_server
):
    from institutions.enums import Role

    User.objects.filter(username="abc_handler").update(role=Role.SYSADMIN)
    login("abc_handler")
    before = page.url
    page.keyboard.press("Alt+n")
    page.wait_for_timeout(300)
    assert page.url == before
