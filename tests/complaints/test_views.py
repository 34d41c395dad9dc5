import re

import pytest
from django.urls import reverse

from complaints.models import Complaint, PiiAccessLog

from .helpers import complaint_in_state, register

FULL_ID = "110101199003074578"


def test_list_masks_personal_data(client, county, intake):
    register(county, intake())
    client.force_login(county.a_manager)
    body = client.get(reverse("complaints:list")).content.decode()
    assert "138****5678" in body
    assert "李*" in body
    assert "13812345678" not in body
    assert FULL_ID not in body


def test_list_query_count_does_not_grow_with_page_size(
    client, county, intake, django_assert_max_num_queries
):
    client.force_login(county.a_manager)
    register(county, intake())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("complaints:list"))  # fills the per-process option lists
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("complaints:list"))
    for i in range(24):
        register(county, intake(complainant_phone=f"1370000{i:04d}", id_number="", id_type=""))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("complaints:list"))
    assert response.context["page"].paginator.count == 25
    assert len(many) == len(one)


def test_list_filters_and_search(client, county, intake, categories):
    a = register(county, intake())
    b = register(
        county,
        intake(
            complainant_phone="13900001111",
            id_number="",
            id_type="",
            category=categories["服务产品"],
        ),
    )
    client.force_login(county.a_manager)

    def tracking(query):
        body = client.get(reverse("complaints:list") + query).content.decode()
        return set(re.findall(r"A-OUT1-\d{8}-\d{3}", body))

    assert tracking("?complexity=complex") == {b.tracking_no}
    assert tracking("?q=13900001111") == {b.tracking_no}
    assert tracking(f"?q={a.tracking_no}") == {a.tracking_no}
    assert tracking("?q=李") == {a.tracking_no, b.tracking_no}


def test_other_banks_complaint_is_not_found_anywhere(client, county, intake):
    c = register(county, intake())
    client.force_login(county.b_manager)
    for name in ("detail", "print"):
        assert client.get(reverse(f"complaints:{name}", args=[c.pk])).status_code == 404
    assert client.post(reverse("complaints:reveal", args=[c.pk])).status_code == 404
    assert (
        client.post(reverse("complaints:act", args=[c.pk, "assign"]), {"version": 1}).status_code
        == 404
    )
    assert c.tracking_no not in client.get(reverse("complaints:list")).content.decode()
    assert c.tracking_no not in client.get(reverse("home")).content.decode()


def test_detail_logs_detail_level_view(client, county, intake):
    c = register(county, intake())
    client.force_login(county.a_manager)
    body = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert "110101********4578" in body
    assert "李四" in body
    assert "13812345678" not in body
    log = PiiAccessLog.objects.get()
    assert (log.user, log.complaint, log.kind) == (county.a_manager, c, "detail")


def test_reveal_shows_full_values_and_is_logged(client, county, intake):
    c = register(county, intake())
    client.force_login(county.regulator)
    body = client.post(reverse("complaints:reveal", args=[c.pk])).content.decode()
    assert "13812345678" in body
    assert FULL_ID in body
    assert (
        PiiAccessLog.objects.filter(user=county.regulator, kind="reveal", complaint=c).count() == 1
    )


def test_teller_cannot_reveal(client, county, intake):
    c = register(county, intake())
    client.force_login(county.a_teller)
    assert client.post(reverse("complaints:reveal", args=[c.pk])).status_code == 404
    assert not PiiAccessLog.objects.filter(kind="reveal").exists()


def test_intake_form_registers_and_redirects(client, county, intake, categories):
    client.force_login(county.a_teller)
    response = client.post(
        reverse("complaints:create"),
        {
            "intake_source": "phone",
            "kind": "complaint",
            "complainant_name": "王芳",
            "complainant_phone": "13712345678",
            "answer_preference": "phone",
            "description": "ATM 吞卡",
            "demand": "尽快退卡",
            "complained_institution": county.a_out1.pk,
            "category": categories["服务渠道"].pk,
        },
    )
    c = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("complaints:detail", args=[c.pk])
    assert (c.complainant_name, c.complexity, c.first_responder) == (
        "王芳",
        "complex",
        county.a_teller,
    )


def test_intake_form_errors_are_chinese_and_save_nothing(client, county, categories):
    client.force_login(county.a_teller)
    body = client.post(
        reverse("complaints:create"),
        {
            "intake_source": "phone",
            "kind": "complaint",
            "complainant_name": "",
            "complainant_phone": "12345",
            "id_type": "resident_id",
            "id_number": "110101199003074579",
            "answer_preference": "phone",
            "description": "x",
            "demand": "y",
            "complained_institution": county.a_out1.pk,
            "category": categories["服务态度"].pk,
        },
    ).content.decode()
    assert "必填项。" in body
    assert "请输入正确的手机号码" in body
    assert "校验位不正确" in body
    assert not Complaint.objects.exists()


def test_duplicate_warning_before_saving(client, county, intake, categories):
    first = register(county, intake())
    client.force_login(county.a_teller)
    payload = {
        "intake_source": "phone",
        "kind": "complaint",
        "complainant_name": "李四",
        "complainant_phone": "13812345678",
        "answer_preference": "phone",
        "description": "又来了",
        "demand": "y",
        "complained_institution": county.a_out1.pk,
        "category": categories["服务态度"].pk,
    }
    body = client.post(reverse("complaints:create"), payload).content.decode()
    assert first.tracking_no in body
    assert "已核实，仍要登记" in body
    assert Complaint.objects.count() == 1
    client.post(reverse("complaints:create"), {**payload, "confirm_duplicate": "on"})
    assert Complaint.objects.count() == 2
    assert Complaint.objects.latest("pk").repeat_of == first


def test_detail_offers_exactly_the_users_actions(client, county, intake):
    c = complaint_in_state(county, intake(), "assigned")
    client.force_login(county.a1_handler)
    body = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert set(re.findall(r'data-offered-action="([a-z_]+)"', body)) == {
        "start",
        "escalate",
        "request_extension",
        "log_contact",
        "pause",
        "refile",
        "withdraw",
        "attach",
        "attach_recording",
    }


def test_refused_transition_in_browser_shows_message_and_changes_nothing(client, county, intake):
    c = complaint_in_state(county, intake(), "registered")
    client.force_login(county.a_manager)
    response = client.post(
        reverse("complaints:act", args=[c.pk, "assign"]),
        {
            "version": c.version,
            "institution": county.a_out1.pk,
            "handler": county.b_handler.pk,
        },
    )
    # Post/Redirect/Get, refusals included: a refresh does not post again.
    detail = reverse("complaints:detail", args=[c.pk])
    assert (response.status_code, response["Location"]) == (302, f"{detail}#action-assign")
    page = client.get(detail).content.decode()
    assert "请修正表单中的错误。" in page
    assert '<details id="action-assign" open' in page
    # The form is shown once with what was submitted, then forgotten.
    assert '<details id="action-assign" open' not in client.get(detail).content.decode()
    c.refresh_from_db()
    assert c.status == "registered"


def test_stale_form_gets_conflict_message(client, county, intake):
    c = complaint_in_state(county, intake(), "registered")
    client.force_login(county.a_manager)
    data = {"version": c.version, "institution": county.a_out1.pk, "handler": county.a1_handler.pk}
    assert client.post(reverse("complaints:act", args=[c.pk, "assign"]), data).status_code == 302
    response = client.post(
        reverse("complaints:act", args=[c.pk, "refuse"]),
        {"version": c.version, "reason": "other", "note": "x"},
        follow=True,
    )
    assert response.redirect_chain[0][1] == 302
    assert "此投诉已被他人更新，请刷新后重试" in response.content.decode()
    c.refresh_from_db()
    assert c.status == "assigned"


def test_print_view_has_handling_form(client, county, intake):
    c = complaint_in_state(county, intake(), "resolved")
    client.force_login(county.a1_handler)
    body = client.get(reverse("complaints:print", args=[c.pk])).content.decode()
    assert "客户投诉处理单" in body
    assert c.tracking_no in body
    assert "经调阅监控，情况属实" in body


@pytest.mark.parametrize("who", ["a_manager", "regulator"])
def test_home_counts(client, county, intake, who):
    complaint_in_state(county, intake(), "registered")
    client.force_login(getattr(county, who))
    body = client.get(reverse("home")).content.decode()
    m = re.search(r'data-testid="q-awaiting-assignment"><span class="n">(\d+)<', body)
    assert m.group(1) == "1"


@pytest.mark.parametrize("query", ["?date_from=0001-01-01", "?date_to=9999-12-31"])
def test_absurd_dates_in_the_list_are_input_errors(client, county, query):
    client.force_login(county.a_manager)
    response = client.get(reverse("complaints:list") + query)
    assert response.status_code == 200
    assert "请输入 2000 年至今的日期。" in response.content.decode()


def test_detail_offers_merge_and_removal_from_what_it_read(client, county, intake):
    """合并 and 删除材料 are offered from what the page read with the complaint
    (complaint_page_for_user), not from a probe each: the page's statement budget."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from complaints.workflow import complaint_act

    from .helpers import jpeg_upload

    c = register(county, intake())
    client.force_login(county.a_manager)
    url = reverse("complaints:detail", args=[c.pk])

    def offered() -> set[str]:
        body = client.get(url).content.decode()
        return set(re.findall(r'data-offered-action="(\w+)"', body))

    assert not {"merge", "remove_attachment"} & offered()
    register(county, intake(description="同一客户的另一笔投诉"))
    complaint_act(
        actor=county.a_teller,
        complaint_id=c.pk,
        action="attach",
        files=[jpeg_upload()],
        kind="receipt",
    )
    assert {"merge", "remove_attachment"} <= offered()
    with CaptureQueriesContext(connection) as page:
        client.get(url)
    # Offered from the page's own read: no EXISTS probe per condition.
    probes = [q["sql"] for q in page.captured_queries if q["sql"].startswith('SELECT 1 AS "a"')]
    assert probes == []
