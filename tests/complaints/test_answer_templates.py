"""答复模板: placeholders checked on save, filled with what the user may see, offered
where they apply, kept by managers."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from complaints import answer_templates
from complaints.models import AnswerTemplate
from institutions.enums import Role
from tests.institutions.factories import UserFactory

from .helpers import complaint_in_state

TEXT = (
    "尊敬的{customer_name}：您于{received_date}提出的投诉"
    "（编号 {tracking_no}，金额 {amount} 元）已办结。"
)


def template(inst, category=None, text=TEXT, title="办结答复"):
    t = AnswerTemplate(institution=inst, category=category, title=title, text=text)
    t.full_clean()
    t.save()
    return t


@pytest.mark.parametrize(
    "text",
    ["您好{customer}", "{customer_name.__class__}", "{tracking_no!r}", "{amount:>20}", "{0}"],
)
def test_unknown_or_decorated_placeholder_is_refused(county, text):
    with pytest.raises(ValidationError) as exc:
        AnswerTemplate(institution=county.bank_a, title="x", text=text).full_clean()
    assert "未知的占位符" in str(exc.value)
    assert "{customer_name}" in str(exc.value)  # the known ones are listed


def test_unpaired_brace_is_refused_and_doubled_is_literal(county):
    with pytest.raises(ValidationError, match="花括号"):
        AnswerTemplate(institution=county.bank_a, title="x", text="您好{").full_clean()
    assert answer_templates.fill("{{编号}} {tracking_no}", {"tracking_no": "T-1"}) == "{编号} T-1"


def test_filled_with_the_name_as_each_caller_sees_it(county, intake):
    c = complaint_in_state(county, intake(amount=Decimal("1234.5")), "resolved")
    template(county.bank_a)
    manager = Client()
    manager.force_login(county.a_manager)
    url = reverse("api:complaint-answer-templates", args=[c.pk])
    (row,) = manager.get(url).json()
    assert row["text"] == (
        f"尊敬的李四：您于{c.received_at.astimezone().date():%Y-%m-%d}提出的投诉"
        f"（编号 {c.tracking_no}，金额 1,234.50 元）已办结。"
    )
    # A teller of the same outlet who did not take the complaint sees the list level.
    colleague = UserFactory(username="a_tel_2", role=Role.TELLER, institution=county.a_out1)
    other = Client()
    other.force_login(colleague)
    (row,) = other.get(url).json()
    assert "李四" not in row["text"]
    assert row["text"].startswith("尊敬的李*：")


def test_offered_only_where_it_applies(county, intake, categories):
    c = complaint_in_state(county, intake(), "resolved")
    mine = template(county.bank_a, title="甲行通用")
    template(county.bank_b, title="乙行通用")
    template(county.bank_a, category=categories["服务渠道"], title="渠道类")
    same = template(county.bank_a, category=c.category, title="本类别")
    office = template(county.pbc, title="人民银行通用")
    template(county.bank_a, title="停用").__class__.objects.filter(title="停用").update(
        is_active=False
    )
    assert set(answer_templates.templates_for(c)) == {office, mine, same}


def test_answer_form_offers_filled_templates(county, intake):
    c = complaint_in_state(county, intake(), "resolved")
    template(county.bank_a)
    client = Client()
    client.force_login(county.a_manager)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert 'data-fills="note"' in page
    assert f"编号 {c.tracking_no}" in page
    assert "js/answer_templates.js" in page


def test_managers_keep_templates_in_their_scope(county):
    client = Client()
    client.force_login(county.a_manager)
    r = client.post(
        reverse("complaints:answer_template_new"),
        {"title": "通用", "institution": county.bank_a.pk, "text": "您好{custmer_name}"},
    )
    assert r.status_code == 200
    assert "未知的占位符" in r.content.decode()
    r = client.post(
        reverse("complaints:answer_template_new"),
        {"title": "乙行", "institution": county.bank_b.pk, "text": "您好"},
    )
    assert r.status_code == 200  # another bank is not a choice
    assert not AnswerTemplate.objects.exists()
    r = client.post(
        reverse("complaints:answer_template_new"),
        {"title": "通用", "institution": county.bank_a.pk, "text": "您好{customer_name}"},
    )
    assert r.status_code == 302
    t = AnswerTemplate.objects.get()
    assert t.updated_by == county.a_manager
    b = Client()
    b.force_login(county.b_manager)
    assert b.get(reverse("complaints:answer_template_edit", args=[t.pk])).status_code == 404
    teller = Client()
    teller.force_login(county.a_teller)
    assert teller.get(reverse("complaints:answer_templates")).status_code == 404
