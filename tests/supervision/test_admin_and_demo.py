"""The admin reads the desk's rows within the access policy; the demo data loads
once and can be loaded again."""

from django.core.management import call_command
from django.urls import reverse

from supervision.models import CaseReadReceipt, Circulation, EnforcementCase, TypicalCase

from .factories import CaseReadReceiptFactory, EnforcementCaseFactory, TypicalCaseFactory

MODELS = ("typicalcase", "circulation", "casereadreceipt", "enforcementcase")


def test_admin_lists_are_scoped_and_read_only(client, county, make):
    ours = TypicalCaseFactory(complaint=make(county.a_out1, status="answered"))
    theirs = TypicalCaseFactory(complaint=make(county.bank_x, status="answered"))
    CaseReadReceiptFactory(circulation__case=ours, circulation__institution=county.bank_b)
    EnforcementCaseFactory(complaint=make(county.a_out1), office=county.pbc)
    EnforcementCaseFactory(complaint=make(county.bank_x), office=county.other_pbc)

    client.force_login(county.regulator)
    for model in MODELS:
        response = client.get(reverse(f"admin:supervision_{model}_changelist"))
        assert response.status_code == 200, model
        assert response.context["cl"].result_count == 1, model
        assert client.get(reverse(f"admin:supervision_{model}_add")).status_code == 403
    body = client.get(reverse("admin:supervision_typicalcase_changelist")).content.decode()
    assert ours.title in body
    assert theirs.title not in body
    assert (
        client.get(reverse("admin:supervision_typicalcase_change", args=[ours.pk])).status_code
        == 200
    )

    client.force_login(county.a_manager)  # managers do not use the admin
    assert client.get(reverse("admin:supervision_typicalcase_changelist")).status_code == 302


def test_demo_data_loads_once(db):
    call_command("seed_demo")
    snapshot = (
        TypicalCase.objects.count(),
        sorted(Circulation.objects.values_list("institution__code", flat=True)),
        EnforcementCase.objects.count(),
    )
    assert snapshot == (1, ["ABC-HB", "ICBC-QH", "RCB-QH", "VB-QH", "XTB-QH"], 1)
    case = TypicalCase.objects.get()
    assert (case.owner.code, case.published, case.complaint.status) == ("PBC-QH", True, "answered")
    assert "吴志强" not in case.handling_process
    enforcement = EnforcementCase.objects.get()
    assert (enforcement.institution.code, enforcement.status) == ("RCB-QH-0101", "open")
    call_command("seed_demo")
    assert (
        TypicalCase.objects.count(),
        sorted(Circulation.objects.values_list("institution__code", flat=True)),
        EnforcementCase.objects.count(),
    ) == snapshot
    assert not CaseReadReceipt.objects.exists()


def test_demo_measures_and_items_load_once(db):
    from supervision.models import Measure, RectificationItem

    call_command("seed_demo")
    shape = sorted(Measure.objects.values_list("kind", "institution__code"))
    items = sorted(
        RectificationItem.objects.values_list("status", "institution__code", "overseer__code")
    )
    assert shape == [("persuasion", "ABC-QH"), ("rectify_order", "RCB-QH")]
    assert items == [("answered", "RCB-QH", "PBC-QH"), ("open", "ABC-QH-01", "ABC-QH")]
    call_command("seed_demo")
    assert sorted(Measure.objects.values_list("kind", "institution__code")) == shape
    assert RectificationItem.objects.count() == 2


def test_admin_lists_measures_and_items_in_scope(client, county):
    from django.utils import timezone

    from supervision.measures import services

    for regulator, bank in (
        (county.regulator, county.bank_a),
        (county.other_regulator, county.bank_x),
    ):
        services.measure_record(
            actor=regulator,
            data=services.MeasureData(
                institution_id=bank.pk,
                kind="rectify_order",
                taken_on=timezone.localdate(),
                basis="依据",
                content="内容",
                requirement="整改",
            ),
        )
    client.force_login(county.regulator)
    for model in ("measure", "rectificationitem"):
        response = client.get(reverse(f"admin:supervision_{model}_changelist"))
        assert response.status_code == 200, model
        assert response.context["cl"].result_count == 1, model
        assert client.get(reverse(f"admin:supervision_{model}_add")).status_code == 403
