"""非当事人 in Chromium: the manager names the staff member complained about from the
institution's staff at intake, and cannot then make them the handler."""

import re

from complaints.models import Complaint
from institutions.models import Institution, User


def test_manager_cannot_assign_the_complaint_to_the_person_complained_about(
    demo, login, page, live_server
):
    login("rcb_manager")
    page.goto(f"{live_server.url}/complaints/new/")
    page.fill("#id_complainant_name", "孙丽")
    page.fill("#id_complainant_phone", "13944446666")
    page.fill("#id_description", "城区支行杨洋办理挂失时态度恶劣")
    page.fill("#id_demand", "要求道歉")
    sub_branch = Institution.objects.get(code="RCB-QH-01")
    page.select_option("#id_complained_institution", str(sub_branch.pk))
    # The staff list follows the institution; typing a name filters it and picks
    # the only match.
    yang = User.objects.get(username="rcb_handler")
    staff = page.locator("#id_complained_staff")
    staff.locator(f"option[value='{yang.pk}']").wait_for(state="attached")
    page.locator("input.select-filter").fill("杨洋")
    assert staff.input_value() == str(yang.pk)
    page.select_option("#id_category", index=1)
    page.click("#intake-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/complaints/\d+/$"))
    c = Complaint.objects.get(complainant_phone="13944446666")
    assert c.complained_staff == yang

    # The assign form does not offer 杨洋, although he is the sub-branch's handler:
    # with him left out the sub-branch has nobody, so the form starts at the bank
    # above it, whose manager can take it.
    box = page.locator('details[data-offered-action="assign"]')
    box.locator("summary").click()
    bank = Institution.objects.get(code="RCB-QH")
    manager = User.objects.get(username="rcb_manager")
    assert box.locator("select[name=institution]").input_value() == str(bank.pk)
    handlers = box.locator("select[name=handler] option")
    assert [handlers.nth(i).get_attribute("value") for i in range(handlers.count())] == [
        "",
        str(manager.pk),
    ]
    with page.expect_response(lambda r: "/complaints/handlers/" in r.url):
        box.locator("select[name=institution]").select_option(str(sub_branch.pk))
    assert box.locator("select[name=handler] option").count() == 1  # only the empty one


def test_teller_types_a_colleagues_name_and_it_is_linked(demo, login, page, live_server):
    login("rcb_teller")
    page.goto(f"{live_server.url}/complaints/new/")
    page.fill("#id_complainant_name", "孙丽")
    page.fill("#id_complainant_phone", "13944447777")
    page.fill("#id_description", "柜员黄敏未按规定办理")
    page.fill("#id_demand", "要求解释")
    page.fill("#id_complained_staff_name", "黄敏")
    page.select_option("#id_category", index=1)
    page.click("#intake-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/complaints/\d+/$"))
    c = Complaint.objects.get(complainant_phone="13944447777")
    assert c.complained_staff == User.objects.get(username="rcb_teller")
