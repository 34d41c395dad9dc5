"""Supervisory measures and rectification items through the real services:
the flow to acceptance, root-cause tracing inside a bank, scoping, the sweep."""

from datetime import date

import pytest
import time_machine
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from deadlines.selectors import current_calendar
from notifications.models import Notification
from supervision.measures import rules as access
from supervision.measures import services
from supervision.measures.errors import MeasureError, PermissionRefused, StepRefused
from supervision.measures.models import Measure, RectificationItem
from supervision.measures.workflow import available_steps, rectification_act
from supervision.selectors import rectification as selectors

from ..complaints.helpers import jpeg_upload


def _order(county, institution=None, **kw):
    data = {
        "institution_id": (institution or county.bank_a).pk,
        "kind": "rectify_order",
        "taken_on": timezone.localdate(),
        "basis": "《中国人民银行金融消费者权益保护实施办法》第五十八条",
        "content": "抽查发现贷款业务存在搭售理财产品问题",
        "requirement": "停止搭售并自查同类业务",
        "working_days": 10,
        **kw,
    }
    return services.measure_record(actor=county.regulator, data=services.MeasureData(**data))


def _act(user, item, action, **data):
    return rectification_act(actor=user, item_id=item.pk, action=action, **data)


def _kinds(item):
    return list(item.events.values_list("kind", flat=True))


def test_rectify_order_opens_an_item_on_the_working_day_calendar(county):
    measure = _order(county)
    item = measure.items.get()
    assert item.institution == county.bank_a
    assert item.overseer == county.pbc
    assert item.source == "measure"
    assert item.due_on == current_calendar().workday_after(timezone.localdate(), 10)
    assert item.status == "open"
    assert _kinds(item) == ["open"]


def test_rectify_order_without_a_requirement_is_refused(county):
    with pytest.raises(MeasureError) as exc:
        _order(county, requirement="")
    assert exc.value.field == "requirement"
    assert not Measure.objects.exists()


def test_penalty_referral_needs_an_enforcement_case(county):
    with pytest.raises(MeasureError) as exc:
        _order(county, kind="penalty_referral", requirement="")
    assert exc.value.field == "enforcement_case"


def test_only_the_office_records_measures(county):
    data = services.MeasureData(
        institution_id=county.a_out1.pk,
        kind="guidance",
        taken_on=timezone.localdate(),
        basis="依据",
        content="内容",
    )
    with pytest.raises(PermissionRefused):
        services.measure_record(actor=county.a_manager, data=data)
    # Another county's office: the institution is not found at all.
    with pytest.raises(Http404):
        services.measure_record(actor=county.other_regulator, data=data)


def test_answer_return_answer_accept(county):
    item = _order(county).items.get()
    assert [s.name for s in available_steps(county.a_manager, item)] == ["answer"]
    assert available_steps(county.regulator, item) == []
    _act(county.a_manager, item, "answer", response="已停止搭售", files=[jpeg_upload()])
    item.refresh_from_db()
    assert item.status == "answered"
    assert item.documents.count() == 1
    assert [s.name for s in available_steps(county.regulator, item)] == ["accept", "return"]
    with pytest.raises(MeasureError):
        _act(county.regulator, item, "return", note="")
    _act(county.regulator, item, "return", note="未提供自查报告")
    item.refresh_from_db()
    assert item.status == "returned"
    assert item.decision_note == "未提供自查报告"
    with pytest.raises(PermissionRefused):
        _act(county.a_manager, item, "accept")
    _act(county.a_manager, item, "answer", response="补充自查报告")
    _act(county.regulator, item, "accept", note="整改到位")
    item.refresh_from_db()
    assert item.status == "accepted"
    assert item.accepted_at is not None
    assert _kinds(item) == ["open", "answer", "return", "answer", "accept"]
    with pytest.raises(StepRefused):
        _act(county.regulator, item, "return", note="再看看")
    titles = set(Notification.objects.values_list("title", flat=True))
    assert "整改事项已验收通过" in titles


def test_a_refused_file_writes_nothing(county):
    item = _order(county).items.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.svg", b"<svg/>", content_type="image/svg+xml")
    with pytest.raises(MeasureError):
        _act(county.a_manager, item, "answer", response="已整改", files=[bad])
    item.refresh_from_db()
    assert item.status == "open"
    assert list(item.events.values_list("kind", flat=True)) == ["open"]


def test_institution_a_never_sees_b_and_county_b_sees_nothing_of_a(county):
    _order(county)
    item = RectificationItem.objects.get()
    measure = Measure.objects.get()
    for outsider in (county.b_manager, county.b_handler, county.other_regulator, county.a_teller):
        assert not access.measure_list_for_user(outsider).exists()
        assert not access.rectification_list_for_user(outsider).exists()
        with pytest.raises(Http404):
            access.rectification_get_for_user(outsider, item.pk)
        with pytest.raises(Http404):
            rectification_act(actor=outsider, item_id=item.pk, action="answer", response="x")
    assert list(access.measure_list_for_user(county.a_manager)) == [measure]
    assert list(access.rectification_list_for_user(county.a_manager)) == [item]
    # A handler of bank A sees the bank's own item; the outlet's handler does not.
    assert access.rectification_list_for_user(county.a_handler).count() == 1
    assert not access.rectification_list_for_user(county.a1_handler).exists()


@pytest.mark.parametrize("who", ["b_manager", "other_regulator"])
def test_pages_of_another_bank_or_county_are_not_found(client, county, who):
    measure = _order(county)
    item = measure.items.get()
    client.force_login(getattr(county, who))
    for url in (
        reverse("supervision:measure_detail", args=[measure.pk]),
        reverse("supervision:rectification_detail", args=[item.pk]),
    ):
        assert client.get(url).status_code == 404
    r = client.post(
        reverse("supervision:rectification_step", args=[item.pk, "answer"]),
        {"answer-response": "x"},
    )
    assert r.status_code == 404
    assert RectificationItem.objects.get().status == "open"
    listing = client.get(reverse("supervision:rectification_list"))
    assert listing.status_code == 200
    assert list(listing.context["page"]) == []


def test_manager_answers_on_the_page_and_office_accepts(client, county):
    item = _order(county).items.get()
    client.force_login(county.a_manager)
    page = client.get(reverse("supervision:rectification_detail", args=[item.pk]))
    assert [s.name for s, _f in page.context["step_forms"]] == ["answer"]
    r = client.post(
        reverse("supervision:rectification_step", args=[item.pk, "answer"]),
        {"answer-response": "已整改"},
    )
    assert r.status_code == 302
    client.force_login(county.regulator)
    page = client.get(reverse("supervision:rectification_detail", args=[item.pk]))
    assert [s.name for s, _f in page.context["step_forms"]] == ["accept", "return"]
    r = client.post(
        reverse("supervision:rectification_step", args=[item.pk, "return"]), {"return-note": ""}
    )
    assert r.status_code == 422
    assert RectificationItem.objects.get().status == "answered"


def test_root_cause_item_is_accepted_by_the_bank(county, make):
    complaint = make(county.a_out1)
    item = services.rectification_open(
        actor=county.a_manager,
        data=services.ItemData(
            institution_id=county.a_out1.pk,
            source="complaint",
            complaint_id=complaint.pk,
            requirement="网点柜员复核制度培训",
            working_days=5,
        ),
    )
    assert item.overseer == county.bank_a
    assert item.source_ref == complaint.tracking_no
    # The bank's manager accepts; the outlet's handler answers.
    assert [s.name for s in available_steps(county.a_manager, item)] == []
    assert [s.name for s in available_steps(county.a1_handler, item)] == ["answer"]
    _act(county.a1_handler, item, "answer", response="已培训")
    _act(county.a_manager, item, "accept")
    item.refresh_from_db()
    assert item.status == "accepted"
    # The office sees it but does not accept a bank's own item.
    assert access.rectification_list_for_user(county.regulator).count() == 1
    assert not county.regulator.has_perm("supervision.decide_rectification", item)
    assert not access.rectification_list_for_user(county.b_manager).exists()


def test_a_manager_opens_items_only_below_their_own_institution(county):
    data = {"source": "cluster", "source_ref": "同类投诉", "requirement": "整改"}
    with pytest.raises(PermissionRefused):
        services.rectification_open(
            actor=county.a_manager,
            data=services.ItemData(institution_id=county.bank_a.pk, **data),
        )
    with pytest.raises(Http404):
        services.rectification_open(
            actor=county.a_manager,
            data=services.ItemData(institution_id=county.b_out1.pk, **data),
        )
    assert not RectificationItem.objects.exists()


def test_hotspot_link_prefills_the_form_and_describes_the_cell(client, county, taxonomy):
    from complaints.models import TaxonomyCode

    cause = TaxonomyCode.objects.filter(dimension="C").first()
    line = TaxonomyCode.objects.filter(dimension="B").first()
    client.force_login(county.regulator)
    query = (
        f"?source=hotspot&institution={county.bank_a.pk}&cause={cause.pk}"
        f"&business_line={line.pk}&period=2026Q3"
    )
    url = reverse("supervision:rectification_new")
    page = client.get(url + query)
    assert page.status_code == 200
    form = page.context["form"]
    assert form["source"].value() == "hotspot"
    assert form["institution"].value() == county.bank_a.pk
    r = client.post(
        url,
        {
            "institution": county.bank_a.pk,
            "source": "hotspot",
            "cause": cause.pk,
            "business_line": line.pk,
            "period": "2026Q3",
            "requirement": "针对热点开展专项整改",
            "working_days": 15,
        },
    )
    assert r.status_code == 302
    item = RectificationItem.objects.get()
    assert (item.cause, item.business_line, item.period) == (cause, line, "2026Q3")
    assert item.source_ref == f"{county.bank_a.name} × {line.name} × {cause.name} × 2026Q3"


def test_sweep_reminds_then_marks_overdue_once(county):
    with time_machine.travel(date(2026, 3, 2), tick=False):  # a Monday
        item = _order(county, working_days=5).items.get()
    assert item.due_on == date(2026, 3, 9)
    with time_machine.travel(date(2026, 3, 6), tick=False):
        assert services.rectification_sweep() == {"reminded": 1, "overdue": 0}
        assert services.rectification_sweep() == {"reminded": 0, "overdue": 0}
    with time_machine.travel(date(2026, 3, 10), tick=False):
        assert services.rectification_sweep() == {"reminded": 0, "overdue": 1}
        assert services.rectification_sweep() == {"reminded": 0, "overdue": 0}
        item.refresh_from_db()
        assert item.is_overdue
        assert selectors.rectification_list(county.regulator, overdue=True).count() == 1
    assert _kinds(item) == ["open", "remind", "overdue"]
    kinds = Notification.objects.filter(recipient=county.a_manager).values_list("kind", flat=True)
    assert sorted(kinds) == ["due_soon", "info", "overdue"]
    assert Notification.objects.filter(recipient=county.regulator, kind="overdue").count() == 1
    # An answered item is not marked.
    _act(county.a_manager, item, "answer", response="已整改")
    item.refresh_from_db()
    assert not item.is_overdue


def test_rectification_figures_against_a_hand_count(county, make):
    """Q1 2026, as of 10 April: bank A has three office items due in the quarter —
    one answered on time and accepted, one answered late and accepted, one still
    open — plus one due in April (not counted) and its own root-cause item (not
    counted); bank B has one answered on time but accepted after the as-of date."""
    tz = timezone.get_current_timezone()

    def item(inst, due, *, overseer=None, answered=None, accepted=None):
        from datetime import datetime

        return RectificationItem.objects.create(
            institution=inst,
            overseer=overseer or county.pbc,
            source="measure",
            requirement="整改",
            due_on=due,
            status="accepted" if accepted else ("answered" if answered else "open"),
            answered_at=datetime(*answered, tzinfo=tz) if answered else None,
            accepted_at=datetime(*accepted, tzinfo=tz) if accepted else None,
            opened_by=county.regulator,
            opened_at=datetime(2026, 1, 5, tzinfo=tz),
        )

    item(county.bank_a, date(2026, 2, 10), answered=(2026, 2, 10, 23, 30), accepted=(2026, 2, 12))
    item(county.a_out1, date(2026, 3, 10), answered=(2026, 3, 11, 0, 30), accepted=(2026, 3, 12))
    item(county.a_out2, date(2026, 3, 31))
    item(county.bank_a, date(2026, 4, 2), answered=(2026, 4, 1), accepted=(2026, 4, 1))
    item(
        county.a_out1,
        date(2026, 3, 1),
        overseer=county.bank_a,
        answered=(2026, 2, 1),
        accepted=(2026, 2, 2),
    )
    item(county.bank_b, date(2026, 3, 20), answered=(2026, 3, 19), accepted=(2026, 4, 11))
    figures = selectors.rectification_figures(
        institutions=[county.bank_a, county.bank_b, county.bank_x],
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 3, 31),
        as_of=date(2026, 4, 10),
    )
    assert figures == {county.bank_a.pk: (3, 1), county.bank_b.pk: (1, 0)}
