"""Card, account, mobile and ID numbers written into a complaint's free text are masked
wherever the structured fields are, at the same level: the detail page, the print
form, the admin and its export, notices and the supervision lists. A logged reveal
shows them in full to those allowed."""

import io
import re

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, PiiAccessLog
from institutions.enums import Role
from notifications.models import Notification
from notifications.services import deliver_emails
from tests.institutions.factories import UserFactory

from .pii_text import (
    ACCOUNT,
    ACCOUNT_FIELD,
    CARD,
    CARD_GROUPED,
    FULL,
    ID_X,
    MASKS,
    MOBILE,
    TRACKING_REF,
    complaint_with_numbers,
)


def shown(level: str) -> dict[str, str]:
    """Each text of ``complaint_with_numbers`` as it shows at ``level`` (list, detail,
    or full after a reveal, where the card keeps the groups it was written in)."""
    m = MASKS.get(level) or {n: n for n in FULL}
    grouped = CARD_GROUPED if level == "full" else m[CARD]
    return {
        "description": (
            f"卡号{m[CARD]}被盗刷，账号：{m[ACCOUNT]}。家属电话{m[MOBILE]}，"
            f"身份证{m[ID_X]}。参考 {TRACKING_REF}，2026-11-26 扣款 5000 元。"
        ),
        "demand": f"退回卡号 {grouped} 的损失",
        "assign": f"请核实卡号{m[CARD]}",
        "extension": f"需调取账号：{m[ACCOUNT]} 的流水",
        "decision": f"同意，已联系{m[MOBILE]}",
        "urge": f"请尽快核实卡号 {grouped}",
        "findings": f"经核实卡号{m[CARD]}确被盗刷",
        "measures": f"冻结账号：{m[ACCOUNT]}",
        "answer": f"已致电{m[MOBILE]}",
        "reopen": f"客户称身份证{m[ID_X]}被冒用",
        "reverification": f"再次核对账号：{m[ACCOUNT]}",
    }


def _user(county, who: str):
    if who == "colleague":  # sees the complaint through the outlet, not its details
        return UserFactory(username="a_tel_2", role=Role.TELLER, institution=county.a_out1)
    return getattr(county, who)


# Who sees which level: a colleague at the accepting outlet the list level; the first
# responder, the handler, the bank's manager and the regulator the detail level.
LEVELS = [
    ("colleague", "list"),
    ("a_teller", "detail"),
    ("a1_handler", "detail"),
    ("a_manager", "detail"),
    ("regulator", "detail"),
]


def _assert_masked(body: str, level: str, keys) -> None:
    for number in (*FULL, CARD_GROUPED):
        assert number not in body
    texts = shown(level)
    for key in keys:
        assert texts[key] in body, key
    if "description" in keys:
        assert TRACKING_REF in body  # a code, not a number: kept


@pytest.mark.parametrize(("who", "level"), LEVELS)
def test_detail_page_masks_numbers_in_every_text_at_the_users_level(
    client, county, intake, who, level
):
    c = complaint_with_numbers(county, intake)
    client.force_login(_user(county, who))
    body = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    _assert_masked(body, level, shown(level))
    assert f'data-testid="description">{shown(level)["description"]}</dd>' in body
    assert f'data-testid="party-account">{MASKS[level][ACCOUNT_FIELD]}</dd>' in body
    assert f'id="complaint-main" data-level="{level}"' in body


@pytest.mark.parametrize(("who", "level"), LEVELS)
def test_print_form_masks_numbers_at_the_users_level(client, county, intake, who, level):
    c = complaint_with_numbers(county, intake)
    client.force_login(_user(county, who))
    body = client.get(reverse("complaints:print", args=[c.pk])).content.decode()
    keys = ("description", "demand", "findings", "measures", "assign", "urge", "reopen")
    _assert_masked(body, level, keys)
    # The account cell (a wide value cell; its other attributes are layout).
    account = re.escape(MASKS[level][ACCOUNT_FIELD])
    assert re.search(rf'<td[^>]*colspan="3"[^>]*>{account}</td>', body)


@pytest.mark.parametrize("who", ["a_manager", "regulator", "a1_handler"])
def test_reveal_shows_every_text_in_full_and_logs_the_fields(client, county, intake, who):
    c = complaint_with_numbers(county, intake)
    user = _user(county, who)
    client.force_login(user)
    before = PiiAccessLog.objects.filter(kind="reveal").count()
    response = client.post(reverse("complaints:reveal", args=[c.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    for text in shown("full").values():
        assert text in body
    assert f'data-testid="party-account">{ACCOUNT_FIELD}</dd>' in body
    assert 'id="complaint-main" data-level="full"' in body
    log = PiiAccessLog.objects.filter(kind="reveal").latest("created_at")
    assert PiiAccessLog.objects.filter(kind="reveal").count() == before + 1
    assert (log.user, log.complaint) == (user, c)
    assert log.fields == [
        "complainant_name",
        "complainant_phone",
        "id_number",
        "contact_address",
        "account_number",
        "description",
        "demand",
        "findings",
        "measures",
        "reverification",
        "answer_note",
        "timeline",
        "urges",
        "extensions",
    ]


@pytest.mark.parametrize("who", ["colleague", "a_teller"])
def test_reveal_is_refused_below_the_reveal_right(client, county, intake, who):
    c = complaint_with_numbers(county, intake)
    client.force_login(_user(county, who))
    assert client.post(reverse("complaints:reveal", args=[c.pk])).status_code == 404
    assert not PiiAccessLog.objects.filter(kind="reveal").exists()


def test_admin_change_page_masks_free_text_at_list_level(client, county, intake):
    c = complaint_with_numbers(county, intake)
    client.force_login(county.regulator)
    body = client.get(reverse("admin:complaints_complaint_change", args=[c.pk])).content.decode()
    _assert_masked(body, "list", ("description", "demand", "findings", "assign", "reopen"))
    assert MASKS["list"][ACCOUNT_FIELD] in body


def test_admin_urge_page_masks_the_note(client, county, intake):
    c = complaint_with_numbers(county, intake)
    client.force_login(county.regulator)
    urge = c.urges.get()
    body = client.get(reverse("admin:complaints_urge_change", args=[urge.pk])).content.decode()
    _assert_masked(body, "list", ("urge",))


def test_admin_export_masks_free_text_and_account_number(client, county, intake):
    complaint_with_numbers(county, intake)
    client.force_login(county.regulator)
    response = client.post(
        reverse("admin:complaints_complaint_export"),
        {
            "format": "1",
            "resource": "0",
            **{
                f"complaintexportresource_{f}": "on"
                for f in ("tracking_no", "description", "account_number")
            },
        },
    )
    header, row = openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
        values_only=True
    )
    data = dict(zip(header, row, strict=True))
    assert data["投诉事项"] == shown("list")["description"]
    assert data["银行卡号/账号"] == MASKS["list"][ACCOUNT_FIELD]
    log = PiiAccessLog.objects.get(kind="export")
    assert (log.user, log.fields) == (county.regulator, ["masked"])


def test_urge_notice_and_its_email_carry_the_list_level_note(client, county, intake):
    county.a1_handler.email = "a1@example.com"
    county.a1_handler.save(update_fields=["email"])
    complaint_with_numbers(county, intake)
    notice = Notification.objects.get(kind="urged", recipient=county.a1_handler)
    assert notice.body == shown("list")["urge"]
    deliver_emails()
    (sent,) = [m for m in mail.outbox if m.subject == notice.title]
    assert shown("list")["urge"] in sent.body
    assert CARD not in sent.body
    client.force_login(county.a1_handler)
    body = client.get(reverse("notifications:list")).content.decode()
    assert shown("list")["urge"] in body


def test_overdue_urge_list_masks_the_note(client, county, intake):
    complaint_with_numbers(county, intake)
    client.force_login(county.regulator)
    body = client.get(reverse("supervision:urges")).content.decode()
    _assert_masked(body, "list", ("urge",))


def test_registered_account_number_finds_the_earlier_complaint(client, county, intake):
    first = complaint_with_numbers(county, intake)
    again = intake(
        complainant_phone="13700001234",
        id_type="",
        id_number="",
        account_number=ACCOUNT_FIELD,
    )
    c, _warnings = services.complaint_register(actor=county.a_teller, data=again)
    assert (c.is_repeat, c.repeat_of) == (True, first)


def _intake_post(county, categories, **extra) -> dict:
    return {
        "intake_source": "phone",
        "kind": "complaint",
        "complainant_name": "王芳",
        "complainant_phone": "13712345678",
        "answer_preference": "phone",
        "description": "ATM 吞卡",
        "demand": "尽快退卡",
        "complained_institution": county.a_out1.pk,
        "category": categories["服务渠道"].pk,
        **extra,
    }


def test_intake_form_stores_the_account_number_as_digits(client, county, categories, calendar):
    client.force_login(county.a_teller)
    page = client.get(reverse("complaints:create")).content.decode()
    assert 'name="account_number"' in page
    response = client.post(
        reverse("complaints:create"),
        _intake_post(county, categories, account_number="6217 0000-1234 5678 901"),
    )
    c = Complaint.objects.get()
    assert response.url == reverse("complaints:detail", args=[c.pk])
    assert c.account_number == ACCOUNT_FIELD
    body = client.get(response.url).content.decode()
    assert f'data-testid="party-account">{MASKS["detail"][ACCOUNT_FIELD]}</dd>' in body


def test_intake_form_refuses_a_malformed_account_number(client, county, categories):
    client.force_login(county.a_teller)
    body = client.post(
        reverse("complaints:create"), _intake_post(county, categories, account_number="12345")
    ).content.decode()
    assert "银行卡号/账号应为 10–25 位数字（可含空格或短横线）。" in body
    assert not Complaint.objects.exists()
