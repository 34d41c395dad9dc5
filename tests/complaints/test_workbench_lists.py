"""The workbench and the list (issue 22): queues per role, the approval queue and its
badge, the xlsx export, bulk actions and earlier complaints while typing."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from complaints import exports, selectors, tasks
from complaints.models import Complaint, ComplaintExport, ExtensionRequest, TimelineEntry
from complaints.selectors import ComplaintFilters
from complaints.workflow import ACTIONS, available_actions, complaint_act
from institutions.enums import Role
from tests.complaints.factories import ComplaintFactory
from tests.complaints.helpers import complaint_in_state, register, valid_data
from tests.institutions.factories import UserFactory


def _ask_extension(county, c, by):
    data = valid_data("request_extension", c, county)
    return complaint_act(actor=by, complaint_id=c.pk, action="request_extension", **data)


@pytest.fixture
def scene(county, intake):
    """Bank A: two registered complaints, two in progress of which one has a pending
    extension asked by its handler, one answered; bank B: one with a pending request."""
    reg1 = register(county, intake())
    reg2 = register(county, intake(complainant_phone="13900000002"))
    asked = complaint_in_state(county, intake(complainant_phone="13900000003"), "in_progress")
    asked = _ask_extension(county, asked, county.a1_handler)
    quiet = complaint_in_state(county, intake(complainant_phone="13900000004"), "in_progress")
    answered = complaint_in_state(county, intake(complainant_phone="13900000005"), "answered")
    b = register(county, intake(complained_institution=county.b_out1), actor=county.b_teller)
    b = complaint_act(
        actor=county.b_manager,
        complaint_id=b.pk,
        action="assign",
        institution=county.bank_b,
        handler=county.b_handler,
    )
    b = _ask_extension(county, b, county.b_handler)
    # Handled by the manager himself, who asked for more time: not his to approve.
    own = register(county, intake(complainant_phone="13900000006"))
    own = complaint_act(
        actor=county.a_manager,
        complaint_id=own.pk,
        action="assign",
        institution=county.bank_a,
        handler=county.a_manager,
    )
    own = _ask_extension(county, own, county.a_manager)
    # Taken at outlet 1, handled (and waiting for approval) at bank A: the outlet's
    # manager sees it but does not manage where it is handled.
    county.out1_manager = UserFactory(
        username="a1_mgr", role=Role.MANAGER, institution=county.a_out1
    )
    above = ComplaintFactory(
        complained_institution=county.a_out1,
        handling_institution=county.bank_a,
        handler=county.a_handler,
        status="in_progress",
    )
    ExtensionRequest.objects.create(
        complaint=above,
        requested_by=county.a_handler,
        reason="需调取录像",
        requested_due_at=timezone.now() + timedelta(days=9),
        customer_told=True,
    )
    return {
        "own": own,
        "above": above,
        "reg1": reg1,
        "reg2": reg2,
        "asked": asked,
        "quiet": quiet,
        "answered": answered,
        "b": b,
    }


def _listed(user, queue: str) -> set[int]:
    qs = selectors.complaint_list_for_user(user, ComplaintFilters(queue=queue))
    return set(qs.values_list("pk", flat=True))


def _offered(user, action: str) -> set[int]:
    qs = Complaint.objects.prefetch_related("extensions")
    return {c.pk for c in qs if ACTIONS[action] in available_actions(user, c)}


@pytest.mark.parametrize(
    "who",
    [
        "a_manager",
        "out1_manager",
        "b_manager",
        "regulator",
        "a_teller",
        "a1_handler",
        "other_regulator",
    ],
)
def test_queue_awaiting_approval_is_what_the_action_table_offers(county, scene, who):
    user = getattr(county, who)
    assert _listed(user, "awaiting_approval") == _offered(user, "decide_extension")


@pytest.mark.parametrize("who", ["a_manager", "out1_manager", "regulator", "a_teller"])
def test_queue_awaiting_assignment_is_the_registered_ones_the_user_may_assign(county, scene, who):
    user = getattr(county, who)
    registered = {
        pk for pk in _offered(user, "assign") if Complaint.objects.get(pk=pk).status == "registered"
    }
    assert _listed(user, "awaiting_assignment") == registered


def test_queue_awaiting_approval_exact_rows(county, scene):
    assert _listed(county.a_manager, "awaiting_approval") == {
        scene["asked"].pk,
        scene["above"].pk,
    }
    assert _listed(county.regulator, "awaiting_approval") == {
        scene["asked"].pk,
        scene["above"].pk,
        scene["own"].pk,
        scene["b"].pk,
    }
    assert _listed(county.out1_manager, "awaiting_approval") == {scene["asked"].pk}
    # The requester never approves their own request; a teller has no such queue.
    assert _listed(county.a1_handler, "awaiting_approval") == set()
    assert _listed(county.a_teller, "awaiting_approval") == set()


def test_workbench_tiles_per_role(client, county, scene):
    client.force_login(county.a_manager)
    body = client.get("/").content.decode()
    approval = re.search(r'href="([^"]+)" data-testid="q-approval"><span class="n">(\d+)<', body)
    assignment = re.search(r'data-testid="q-awaiting-assignment"><span class="n">(\d+)<', body)
    assert approval.group(1) == "/complaints/?queue=awaiting_approval"
    assert approval.group(2) == "2"
    assert assignment.group(1) == "2"
    for who in ("a_teller", "a1_handler", "a_handler"):
        client.force_login(getattr(county, who))
        body = client.get("/").content.decode()
        assert 'data-testid="q-mine"' in body
        assert "q-approval" not in body
        assert "q-awaiting-assignment" not in body
        assert "待我审批" not in body
    client.force_login(county.regulator)
    body = client.get("/").content.decode()
    assert re.search(r'data-testid="q-approval"><span class="n">4<', body)


def test_approval_queue_lists_exactly_the_pending_and_marks_them(client, county, scene):
    client.force_login(county.a_manager)
    body = client.get("/complaints/?queue=awaiting_approval").content.decode()
    assert "共 2 件" in body
    assert scene["asked"].tracking_no in body
    assert scene["above"].tracking_no in body
    assert scene["quiet"].tracking_no not in body
    row = re.search(rf"{scene['asked'].tracking_no}</a>(.*?)</td>", body).group(1)
    assert "待审批" in row
    # The same badge in the whole list, on those rows only.
    body = client.get("/complaints/").content.decode()
    assert body.count(">待审批</span>") == 2


def test_queue_filter_is_not_offered_to_a_teller(client, county, scene):
    client.force_login(county.a_teller)
    body = client.get("/complaints/?queue=awaiting_approval").content.decode()
    assert 'name="queue"' not in body
    # An unknown filter for this user is ignored, not an error: the whole list.
    assert "共 7 件" in body


# --- export ------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _sheet(response) -> list[tuple]:
    data = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(r) for r in wb.active.iter_rows(values_only=True)]


def test_export_is_the_filtered_list_masked(client, county, scene, media):
    client.force_login(county.a_manager)
    r = client.post(reverse("complaints:export"), {"query": "status=registered&page=3"})
    export = ComplaintExport.objects.get()
    assert r.status_code == 302
    assert r.url == reverse("complaints:export_download", args=[export.pk])
    assert (export.owner, export.query, export.state) == (
        county.a_manager,
        "status=registered",
        "done",
    )
    r = client.get(r.url)
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r["Content-Disposition"]
    rows = _sheet(r)
    assert rows[0][:4] == ("投诉编号", "受理时间", "投诉人", "电话")
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {scene["reg1"].tracking_no, scene["reg2"].tracking_no}
    by_no = {row[0]: row for row in rows[1:]}
    row = by_no[scene["reg1"].tracking_no]
    # Masked as the list shows them, never the full values.
    assert (row[2], row[3]) == ("李*", "138****5678")
    assert row[8] == "已登记"
    flat = repr(rows)
    assert "13812345678" not in flat
    assert "李四" not in flat
    assert "110101199003074578" not in flat


def test_export_keeps_to_the_owners_scope(client, county, scene, media):
    client.force_login(county.a_manager)
    r = client.post(reverse("complaints:export"), {"query": ""})
    numbers = {row[0] for row in _sheet(client.get(r.url))[1:]}
    assert scene["b"].tracking_no not in numbers
    assert len(numbers) == 7


def test_export_cannot_be_downloaded_by_another_user(client, county, scene, media):
    client.force_login(county.a_manager)
    r = client.post(reverse("complaints:export"), {"query": ""})
    export = ComplaintExport.objects.get()
    for other in (county.a_handler, county.regulator, county.b_manager):
        client.force_login(other)
        assert client.get(r.url).status_code == 404
        assert client.get(reverse("complaints:export_status", args=[export.pk])).status_code == 404
    client.force_login(county.a_manager)
    assert client.get(r.url).status_code == 200


def test_export_expired_is_gone(client, county, scene, media):
    client.force_login(county.a_manager)
    r = client.post(reverse("complaints:export"), {"query": ""})
    export = ComplaintExport.objects.get()
    ComplaintExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(1))
    assert client.get(r.url).status_code == 404
    path = media / export.file.name
    assert path.exists()
    assert exports.export_purge_expired() == 1
    assert not path.exists()
    assert not ComplaintExport.objects.exists()


def test_large_export_runs_in_the_background_with_progress(
    client, county, scene, media, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "INLINE_LIMIT", 2)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    sent = []
    monkeypatch.setattr(tasks.complaint_export_write, "delay", sent.append)
    client.force_login(county.a_manager)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("complaints:export"), {"query": "sort=due"})
    export = ComplaintExport.objects.get()
    assert sent == [export.pk]
    assert r.url == reverse("complaints:export_status", args=[export.pk])
    page = client.get(r.url).content.decode()
    assert "排队中" in page
    assert 'hx-trigger="every 1s"' in page
    assert "export-download" not in page

    tasks.complaint_export_write(export.pk)  # what the worker runs
    export.refresh_from_db()
    assert (export.state, export.total, export.written, export.percent) == ("done", 7, 7, 100)
    box = client.get(r.url, headers={"HX-Request": "true"}).content.decode()
    assert box.startswith('<div id="export-progress"')
    assert "hx-trigger" not in box  # polling stops
    assert "已写 7 / 7 行" in box
    assert reverse("complaints:export_download", args=[export.pk]) in box
    tasks.complaint_export_write(export.pk)  # delivered twice: written once
    assert ComplaintExport.objects.get().file.name == export.file.name


def test_list_has_the_export_button_with_the_filters(client, county, scene):
    client.force_login(county.a_teller)
    body = client.get("/complaints/?status=registered&page=1").content.decode()
    assert f'action="{reverse("complaints:export")}"' in body
    assert '<input type="hidden" name="query" value="status=registered">' in body


# --- bulk actions ------------------------------------------------------------------------


def test_bulk_assign_does_each_and_reports_the_refused(client, county, scene):
    client.force_login(county.a_manager)
    pks = [scene["reg1"].pk, scene["reg2"].pk, scene["answered"].pk]
    r = client.post(
        reverse("complaints:bulk"),
        {
            "action": "assign",
            "handler": county.a_handler.pk,
            "pk": pks,
            "query": "status=registered",
        },
        follow=True,
    )
    assert r.redirect_chain[0][0] == "/complaints/?status=registered"
    msgs = [str(m) for m in r.context["messages"]]
    assert msgs == [
        "批量分办：已完成 2 件。",
        f"{scene['answered'].tracking_no} 未分办：当前状态为“已反馈”，不能执行此操作。",
    ]
    for key in ("reg1", "reg2"):
        c = Complaint.objects.get(pk=scene[key].pk)
        assert (c.status, c.handler, c.handling_institution) == (
            "assigned",
            county.a_handler,
            county.bank_a,
        )
        assert TimelineEntry.objects.filter(complaint=c, action="assign").count() == 1
    assert Complaint.objects.get(pk=scene["answered"].pk).status == "answered"


def test_bulk_archive_and_out_of_scope_ids(client, county, scene):
    other = ComplaintFactory(complained_institution=county.bank_x, status="answered")
    client.force_login(county.a_manager)
    pks = [scene["answered"].pk, scene["reg1"].pk, other.pk]
    r = client.post(reverse("complaints:bulk"), {"action": "archive", "pk": pks}, follow=True)
    msgs = [str(m) for m in r.context["messages"]]
    assert msgs == [
        "批量归档：已完成 1 件。",
        f"{scene['reg1'].tracking_no} 未归档：当前状态为“已登记”，不能执行此操作。",
        "— 未归档：投诉不存在或您无权查看。",
    ]
    assert Complaint.objects.get(pk=scene["answered"].pk).status == "archived"
    assert Complaint.objects.get(pk=other.pk).status == "answered"
    assert other.tracking_no not in r.content.decode()


def test_bulk_refusal_from_preconditions(county, scene):
    """The reason is the action table's: here 非当事人 (not_a_party)."""
    from complaints.bulk import complaint_bulk_act

    Complaint.objects.filter(pk=scene["reg1"].pk).update(complained_staff=county.a_manager)
    result = complaint_bulk_act(
        actor=county.a_manager,
        action="assign",
        complaint_ids=[scene["reg1"].pk, scene["reg2"].pk],
        institution=county.bank_a,
        handler=county.a_handler,
    )
    assert [c.pk for c in result.done] == [scene["reg2"].pk]
    assert [(r.pk, r.code) for r in result.refused] == [(scene["reg1"].pk, "actor_is_party")]


def test_bulk_is_only_for_those_who_may(client, county, scene):
    for who in ("a_teller", "a1_handler"):
        client.force_login(getattr(county, who))
        body = client.get("/complaints/").content.decode()
        assert "bulk-form" not in body
        assert "data-bulk-row" not in body
        r = client.post(
            reverse("complaints:bulk"), {"action": "archive", "pk": [scene["answered"].pk]}
        )
        assert r.status_code == 404
    assert Complaint.objects.get(pk=scene["answered"].pk).status == "answered"
    client.force_login(county.a_manager)
    body = client.get("/complaints/").content.decode()
    assert body.count("data-bulk-row") == 7
    assert 'src="/static/js/bulk.js"' in body


def test_bulk_needs_a_selection_and_a_handler(client, county, scene):
    client.force_login(county.a_manager)
    r = client.post(reverse("complaints:bulk"), {"action": "assign"}, follow=True)
    assert [str(m) for m in r.context["messages"]] == ["批量分办须选择处理人。", "请先勾选投诉。"]
    assert Complaint.objects.filter(status="registered").count() == 2


# --- earlier complaints while typing -----------------------------------------------------


@pytest.fixture
def no_throttle():
    cache.clear()
    yield
    cache.clear()


def test_earlier_complaints_of_the_typed_phone(client, county, scene, no_throttle):
    client.force_login(county.a_teller)
    url = reverse("complaints:earlier")
    body = client.get(url, {"complainant_phone": "13812345678"}).content.decode()
    # reg1 (李四, 13812345678) and bank B's complaint by the same customer: only A's.
    assert scene["reg1"].tracking_no in body
    assert scene["b"].tracking_no not in body
    assert "李*" in body
    assert "李四" not in body
    assert "13812345678" not in body
    # By ID number: every A complaint of the intake payload's customer.
    body = client.get(url, {"id_number": "110101199003074578"}).content.decode()
    assert body.count("<li>") == 7
    # Too short to be a whole number: nothing is looked up.
    assert client.get(url, {"complainant_phone": "138123"}).content.strip() == b""
    assert client.get(url, {"id_number": "1101011990"}).content.strip() == b""


def test_earlier_complaints_are_rate_limited(client, county, scene, no_throttle, monkeypatch):
    from complaints import views

    monkeypatch.setattr(views, "EARLIER_PER_MINUTE", 2)
    client.force_login(county.a_teller)
    url = reverse("complaints:earlier")
    codes = [client.get(url, {"complainant_phone": "13812345678"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_intake_form_has_the_earlier_box(client, county, scene):
    client.force_login(county.a_teller)
    body = client.get(reverse("complaints:create")).content.decode()
    assert f'data-earlier-url="{reverse("complaints:earlier")}"' in body
    assert "accesskey" not in body
    assert 'data-shortcut="save"' in body
