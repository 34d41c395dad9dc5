"""The case archive: which complaints qualify, masking of personal data, circulation
and its notices, the library's scope, and read receipts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from notifications.models import Notification
from supervision import selectors, services
from supervision.models import CaseReadReceipt, Circulation, TypicalCase

from ..complaints.helpers import complaint_in_state

FULL_ID = "110101199003074578"
RAW = ("李四", "13812345678", FULL_ID, "幸福路1号")


def _data(**overrides):
    fields = {
        "title": "李四反映排队时间过长",
        "category": "typical",
        "cause_analysis": "客户李四（电话13812345678，身份证110101199003074578）在高峰期排队。",
        "handling_process": "网点负责人致电13812345678向李四道歉；另一位客户13900001111同样反映。",
        "lessons": "高峰期增开窗口。",
        "published": True,
    }
    fields.update(overrides)
    return services.TypicalCaseData(**fields)


@pytest.fixture
def answered(county, intake):
    return complaint_in_state(county, intake(), "answered")


@pytest.fixture
def case(county, answered):
    return services.typical_case_create(
        actor=county.regulator, complaint_id=answered.pk, data=_data()
    )


def test_personal_data_is_stored_masked(case):
    case.refresh_from_db()
    text = " ".join((case.title, case.cause_analysis, case.handling_process, case.lessons))
    for raw in RAW[:3]:
        assert raw not in text
    assert case.title == "李*反映排队时间过长"
    assert "电话138****5678" in case.cause_analysis
    assert "身份证1****************8" in case.cause_analysis
    assert "139****1111" in case.handling_process


def test_archive_pages_never_show_personal_data_unmasked(client, county, case):
    services.typical_case_circulate(
        actor=county.regulator, case_id=case.pk, institutions=[county.bank_b]
    )
    for user in (county.regulator, county.b_teller):
        client.force_login(user)
        for url in (
            reverse("supervision:library"),
            reverse("supervision:case_detail", args=[case.pk]),
        ):
            body = client.get(url).content.decode()
            for raw in RAW:
                assert raw not in body, (user, url, raw)
    body = client.get(reverse("supervision:case_detail", args=[case.pk])).content.decode()
    assert "李*" in body
    assert "138****5678" in body


def test_the_form_prefills_and_saves_masked(client, county, answered):
    client.force_login(county.regulator)
    url = reverse("supervision:case_create", args=[answered.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "经调阅监控，情况属实" in form.content.decode()
    response = client.post(
        url,
        {
            "title": "排队案例",
            "category": "frequent",
            "cause_analysis": "李四反映",
            "handling_process": "致电 13812345678",
            "lessons": "增开窗口",
            "published": "on",
        },
    )
    case = TypicalCase.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("supervision:case_detail", args=[case.pk])
    assert (case.cause_analysis, case.handling_process) == ("李*反映", "致电 138****5678")
    assert (case.owner, case.created_by, case.published) == (county.pbc, county.regulator, True)
    # 发布到案例库 publishes through the service, which records who did it.
    assert case.published_by == county.regulator
    assert case.published_at is not None
    page = client.get(response.url).content.decode()
    assert "草稿" not in page
    assert f"已发布：{county.regulator.get_full_name()}" in page


@pytest.mark.parametrize("state", ["registered", "assigned", "in_progress", "refused"])
def test_only_decided_complaints_become_typical_cases(county, intake, state):
    c = complaint_in_state(county, intake(), state)
    with pytest.raises(ValidationError):
        services.typical_case_create(actor=county.regulator, complaint_id=c.pk, data=_data())
    assert not TypicalCase.objects.exists()


@pytest.mark.parametrize("state", ["resolved", "answered", "archived"])
def test_decided_complaints_qualify_once(county, intake, state):
    c = complaint_in_state(county, intake(), state)
    services.typical_case_create(actor=county.regulator, complaint_id=c.pk, data=_data())
    with pytest.raises(ValidationError):
        services.typical_case_create(actor=county.regulator, complaint_id=c.pk, data=_data())
    assert TypicalCase.objects.count() == 1


def test_who_may_write_up_a_complaint(county, answered):
    for user in (county.a_teller, county.a1_handler):
        with pytest.raises(PermissionDenied):
            services.typical_case_create(actor=user, complaint_id=answered.pk, data=_data())
    # Bank A's own handler works on bank A's cases only, not its outlets'.
    for user in (county.a_handler, county.b_manager, county.other_regulator):
        with pytest.raises(Http404):
            services.typical_case_create(actor=user, complaint_id=answered.pk, data=_data())
    case = services.typical_case_create(
        actor=county.a_manager, complaint_id=answered.pk, data=_data(published=False)
    )
    assert case.owner == county.bank_a


def test_empty_texts_are_refused(county, answered):
    with pytest.raises(ValidationError) as exc:
        services.typical_case_create(
            actor=county.regulator, complaint_id=answered.pk, data=_data(lessons="  ")
        )
    assert exc.value.message_dict == {"lessons": ["请填写经验教训与改进措施。"]}


def test_circulation_notifies_managers_once(county, case):
    created = services.typical_case_circulate(
        actor=county.regulator,
        case_id=case.pk,
        institutions=[county.bank_b, county.a_out2],
        note="请组织学习",
    )
    assert {c.institution for c in created} == {county.bank_b, county.a_out2}
    notes = Notification.objects.filter(kind="circulated")
    # bank B's manager; the outlet has no manager, so bank A's manager is told.
    assert {(n.recipient, n.body) for n in notes} == {
        (county.b_manager, "请组织学习"),
        (county.a_manager, "请组织学习"),
    }
    assert all(n.url == reverse("supervision:case_detail", args=[case.pk]) for n in notes)
    again = services.typical_case_circulate(
        actor=county.regulator, case_id=case.pk, institutions=[county.bank_b]
    )
    assert again == []
    assert Circulation.objects.count() == 2
    assert Notification.objects.filter(kind="circulated").count() == 2


def test_circulation_stays_within_the_authors_scope(county, case, intake):
    for target in (county.bank_x, county.pbc):
        with pytest.raises(ValidationError):
            services.typical_case_circulate(
                actor=county.regulator, case_id=case.pk, institutions=[target]
            )
    own = services.typical_case_create(
        actor=county.a_manager,
        complaint_id=complaint_in_state(
            county, intake(complainant_phone="13700001111", id_number=""), "answered"
        ).pk,
        data=_data(),
    )
    with pytest.raises(ValidationError):
        services.typical_case_circulate(
            actor=county.a_manager, case_id=own.pk, institutions=[county.bank_b]
        )
    with pytest.raises(Http404):
        services.typical_case_circulate(
            actor=county.b_manager, case_id=own.pk, institutions=[county.bank_b]
        )


def test_a_draft_is_seen_by_its_authors_only(client, county, answered):
    draft = services.typical_case_create(
        actor=county.a_manager, complaint_id=answered.pk, data=_data(published=False)
    )
    visible = {
        name: draft in selectors.typical_case_library(getattr(county, name))
        for name in ("a_manager", "regulator", "a_teller", "b_manager", "other_regulator")
    }
    assert visible == {
        "a_manager": True,
        "regulator": True,
        "a_teller": False,
        "b_manager": False,
        "other_regulator": False,
    }
    client.force_login(county.b_manager)
    assert client.get(reverse("supervision:case_detail", args=[draft.pk])).status_code == 404


def test_a_published_case_reaches_the_jurisdiction_and_a_banks_case_its_subtree(
    county, answered, intake
):
    office_case = services.typical_case_create(
        actor=county.regulator, complaint_id=answered.pk, data=_data()
    )
    other = complaint_in_state(
        county, intake(complainant_phone="13700002222", id_number=""), "answered"
    )
    bank_case = services.typical_case_create(
        actor=county.a_manager, complaint_id=other.pk, data=_data()
    )

    def library(user):
        return set(selectors.typical_case_library(user))

    assert library(county.b_teller) == {office_case}
    assert library(county.a2_teller) == {office_case, bank_case}
    assert library(county.other_regulator) == set()
    # Circulating the bank's case to bank B (by the office) brings it to bank B.
    services.typical_case_circulate(
        actor=county.regulator, case_id=bank_case.pk, institutions=[county.bank_b]
    )
    assert library(county.b_teller) == {office_case, bank_case}


def test_read_receipts(client, county, case):
    services.typical_case_circulate(
        actor=county.regulator, case_id=case.pk, institutions=[county.bank_b]
    )
    # bank B's outlet teller is reached through the bank; bank A's is not.
    row = selectors.typical_case_library(county.b_teller).get(pk=case.pk)
    assert (row.reaches_me, row.read_by_me) == (True, False)
    assert selectors.unread_circulated_count(county.b_teller) == 1
    client.force_login(county.b_teller)
    body = client.get(reverse("supervision:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="confirm-read"' in body
    response = client.post(reverse("supervision:case_read", args=[case.pk]))
    assert response.status_code == 302
    receipt = CaseReadReceipt.objects.get()
    assert (receipt.user, receipt.institution, receipt.circulation.institution) == (
        county.b_teller,
        county.b_out1,
        county.bank_b,
    )
    assert services.typical_case_confirm_read(user=county.b_teller, case_id=case.pk) == receipt
    assert selectors.unread_circulated_count(county.b_teller) == 0
    body = client.get(reverse("supervision:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="read-receipt"' in body

    client.force_login(county.a_teller)
    assert client.post(reverse("supervision:case_read", args=[case.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.typical_case_confirm_read(user=county.a_teller, case_id=case.pk)
    assert CaseReadReceipt.objects.count() == 1

    # The author sees who read it, per circulated institution.
    status = selectors.circulation_status(case)
    assert [(s.circulation.institution, [r.user for r in s.receipts]) for s in status] == [
        (county.bank_b, [county.b_teller])
    ]
    client.force_login(county.regulator)
    body = client.get(reverse("supervision:case_detail", args=[case.pk])).content.decode()
    assert county.b_teller.get_full_name() in body


def test_library_filters(client, county, case, answered):
    def titles(query):
        client.force_login(county.regulator)
        response = client.get(reverse("supervision:library") + query)
        return [t.title for t in response.context["page"]]

    assert titles("?q=排队") == [case.title]
    assert titles("?q=理财") == []
    assert titles("?category=typical") == [case.title]
    assert titles("?category=frequent") == []


def test_complaint_page_links_to_its_case(client, county, case, answered):
    client.force_login(county.a_manager)
    body = client.get(reverse("complaints:detail", args=[answered.pk])).content.decode()
    assert reverse("supervision:case_detail", args=[case.pk]) in body
    # A decided complaint without a case offers the write-up to its manager.
    client.force_login(county.a_teller)
    body = client.get(reverse("complaints:detail", args=[answered.pk])).content.decode()
    assert "编入案例档案" not in body


def test_draft_published_later_records_the_editor_and_withdrawal_clears_it(county, answered):
    case = services.typical_case_create(
        actor=county.a_manager, complaint_id=answered.pk, data=_data(published=False)
    )
    assert (case.published, case.published_at, case.published_by) == (False, None, None)
    case = services.typical_case_update(
        actor=county.a_manager, case_id=case.pk, data=_data(published=True)
    )
    assert (case.published, case.published_by) == (True, county.a_manager)
    assert case.published_at is not None
    case = services.typical_case_update(
        actor=county.a_manager, case_id=case.pk, data=_data(published=False)
    )
    assert (case.published, case.published_at, case.published_by) == (False, None, None)
