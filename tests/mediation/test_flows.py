"""Mediation flows through the real services, scoping and the judicial reminder."""

from datetime import date, timedelta

import pytest
import time_machine
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from complaints.errors import WorkflowError
from complaints.models import Complaint
from complaints.workflow import complaint_act
from mediation import selectors, services
from mediation.errors import MediationError, PermissionRefused, StepRefused
from mediation.models import Mediator
from mediation.workflow import mediation_act
from notifications.models import Notification

from ..complaints.helpers import complaint_in_state


def _unsatisfied(county, intake):
    c = complaint_in_state(county, intake(), "answered")
    Complaint.objects.filter(pk=c.pk).update(satisfaction="unsatisfied")
    return c


def _open(county, complaint):
    return services.mediation_open(
        actor=county.regulator,
        complaint_id=complaint.pk,
        data=services.Application(
            applied_on=timezone.localdate(),
            request="要求退还费用",
            procedure="simple",
            mode="on_site",
        ),
    )


def _act(user, case, action, **data):
    return mediation_act(actor=user, case_id=case.pk, action=action, **data)


def _mediator(county, **kw):
    return Mediator.objects.create(office=county.pbc, name="王调解", organisation="县调委会", **kw)


def _to_mediating(county, case):
    _act(county.regulator, case, "consent", party="consumer", agreed=True)
    _act(county.a_manager, case, "consent", party="institution", agreed=True)
    _act(county.regulator, case, "assign_mediator", mediator=_mediator(county).pk)
    return _act(
        county.regulator,
        case,
        "session",
        held_at=timezone.now() - timedelta(hours=1),
        mode="on_site",
        place="消保办调解室",
        participants="双方",
        statements="消费者要求退费",
        offers="机构同意退还 50 元",
    )


AGREEMENT = {
    "parties": "申请人李某；被申请人甲银行一号网点",
    "facts": "收费争议",
    "responsibilities": "网点未充分告知",
    "terms": "退还手续费 50 元",
    "performance_method": "转账至消费者账户",
}


def _agree(county, case, effective_on=None):
    day = effective_on or timezone.localdate()
    return _act(
        county.regulator,
        case,
        "agreement",
        perform_by=day + timedelta(days=5),
        effective_on=day,
        consumer_signatory="李四",
        institution_signatory="张行长",
        **AGREEMENT,
    )


def test_open_from_unsatisfied_complaint_marks_the_complaint(county, intake):
    c = _unsatisfied(county, intake)
    case = _open(county, c)
    c.refresh_from_db()
    assert (case.status, case.institution, case.office, c.in_mediation) == (
        "applied",
        county.a_out1,
        county.pbc,
        True,
    )
    assert case.case_no == f"PBC-TJ-{timezone.localdate().year}-001"
    assert list(c.timeline.values_list("action", flat=True))[-1] == "mediation_open"
    with pytest.raises(WorkflowError) as exc:
        complaint_act(actor=county.a_manager, complaint_id=c.pk, action="archive")
    assert exc.value.code == "in_mediation"
    with pytest.raises(MediationError):
        _open(county, c)


def test_consent_refused_ends_with_reason_and_frees_the_complaint(county, intake):
    c = _unsatisfied(county, intake)
    case = _open(county, c)
    with pytest.raises(PermissionRefused):
        _act(county.a_manager, case, "consent", party="consumer", agreed=True)
    with pytest.raises(MediationError) as exc:
        _act(county.a_manager, case, "consent", party="institution", agreed=False)
    assert exc.value.field == "reason"
    case = _act(
        county.a_manager,
        case,
        "consent",
        party="institution",
        agreed=False,
        reason="已按规定处理完毕",
    )
    c.refresh_from_db()
    assert (case.status, case.end_reason, c.in_mediation) == ("declined", "已按规定处理完毕", False)
    assert "诉讼" in case.remedies
    assert c.timeline.last().payload == {"case_no": case.case_no, "outcome": "declined"}
    complaint_act(actor=county.a_manager, complaint_id=c.pk, action="archive")


def test_recusal_refuses_a_mediator_of_the_bank_or_involved_staff(county, intake):
    c = _unsatisfied(county, intake)
    case = _open(county, c)
    of_bank = _mediator(county, institution=county.bank_a)
    with pytest.raises(MediationError) as exc:
        _act(county.regulator, case, "assign_mediator", mediator=of_bank.pk)
    assert exc.value.code == "recusal"
    handler = _mediator(county, user=county.a1_handler)
    with pytest.raises(MediationError):
        _act(county.regulator, case, "assign_mediator", mediator=handler.pk)
    declared = _mediator(county)
    declared.conflicts.add(county.bank_a)
    with pytest.raises(MediationError):
        _act(county.regulator, case, "assign_mediator", mediator=declared.pk)
    other_bank = _mediator(county, institution=county.bank_b)
    case = _act(county.regulator, case, "assign_mediator", mediator=other_bank.pk)
    assert case.mediator == other_bank


def test_session_agreement_performance_and_judicial(county, intake):
    c = _unsatisfied(county, intake)
    case = _open(county, c)
    with pytest.raises(StepRefused):
        _agree(county, case)
    case = _to_mediating(county, case)
    assert (case.status, case.sessions.count()) == ("mediating", 1)
    case = _agree(county, case)
    c.refresh_from_db()
    assert (case.status, c.in_mediation) == ("agreed", False)
    assert case.judicial_deadline == timezone.localdate() + timedelta(days=30)
    case = _act(county.a_manager, case, "performance", note="已转账 50 元", completed=True)
    assert case.status == "performed"
    assert case.performed_at is not None
    with pytest.raises(MediationError):
        _act(
            county.regulator,
            case,
            "judicial",
            applied_on=timezone.localdate() + timedelta(31),
            court="清河县人民法院",
            court_case_no="(2026)冀0534民特1号",
            decision="confirmed",
            decided_on=timezone.localdate(),
        )
    case = _act(
        county.regulator,
        case,
        "judicial",
        applied_on=timezone.localdate(),
        court="清河县人民法院",
        court_case_no="(2026)冀0534民特1号",
        decision="confirmed",
        decided_on=timezone.localdate(),
    )
    assert (case.judicial_case_no, case.judicial_decision) == ("(2026)冀0534民特1号", "confirmed")
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == [
        "open",
        "consent",
        "consent",
        "mediator",
        "session",
        "agreement",
        "performed",
        "judicial",
    ]


def test_failure_ends_with_remedies(county, intake):
    c = _unsatisfied(county, intake)
    case = _to_mediating(county, _open(county, c))
    case = _act(
        county.regulator, case, "fail", reason="双方对金额分歧过大", remedies="可向法院起诉"
    )
    c.refresh_from_db()
    assert (case.status, case.remedies, c.in_mediation) == ("failed", "可向法院起诉", False)
    with pytest.raises(StepRefused):
        _act(county.regulator, case, "session", held_at=timezone.now())


def test_scoping(county, intake):
    c = _unsatisfied(county, intake)
    case = _open(county, c)
    assert list(selectors.mediation_cases(county.a_manager)) == [case]
    for user in (county.b_manager, county.other_regulator, county.a_teller, county.a1_handler):
        assert list(selectors.mediation_cases(user)) == []
        with pytest.raises(Http404):
            _act(user, case, "fail", reason="x")
    with pytest.raises(Http404):
        services.mediation_open(
            actor=county.other_regulator,
            complaint_id=c.pk,
            data=services.Application(
                applied_on=timezone.localdate(), request="x", procedure="simple", mode="phone"
            ),
        )
    with pytest.raises(PermissionRefused):
        _act(county.a_manager, case, "fail", reason="x")


def test_judicial_reminder_once_before_the_window_closes(county, intake):
    c = _unsatisfied(county, intake)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        case = _agree(county, _to_mediating(county, _open(county, c)))
    assert case.judicial_deadline == date(2026, 4, 1)
    with time_machine.travel(date(2026, 3, 20), tick=False):
        assert services.judicial_reminders() == 0
    with time_machine.travel(date(2026, 3, 26), tick=False):
        assert services.judicial_reminders() == 1
        assert services.judicial_reminders() == 0
    notes = Notification.objects.filter(dedupe_key=f"mediation-judicial:{case.pk}")
    assert sorted(n.recipient.username for n in notes) == ["a_mgr", "reg"]
    assert case.events.filter(kind="judicial_remind").count() == 1


def test_hostile_input_is_a_4xx(client, county, intake):
    c = _unsatisfied(county, intake)
    client.force_login(county.regulator)
    r = client.post(
        reverse("mediation:open_from_complaint", args=[c.pk]),
        {
            "applied_on": "2999-01-01",
            "request": "<script>x</script>",
            "procedure": "nope",
            "mode": "on_site",
        },
    )
    assert r.status_code == 422
    case = _open(county, c)
    url = reverse("mediation:act", args=[case.pk, "session"])
    assert client.post(url, {"session-held_at": "garbage"}).status_code in (409, 422)
    assert client.post(reverse("mediation:act", args=[case.pk, "nope"])).status_code == 404
    r = client.post(
        reverse("mediation:act", args=[case.pk, "consent"]),
        {"consent-party": "consumer", "consent-agreed": "no"},
    )
    assert r.status_code == 422
    assert "请填写不同意调解的理由" in r.content.decode()


def test_pages_and_prints(client, county, intake):
    c = _unsatisfied(county, intake)
    case = _agree(county, _to_mediating(county, _open(county, c)))
    client.force_login(county.regulator)
    detail = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert "mediation-links" in detail
    assert case.case_no in detail
    for name, args in (
        ("detail", [case.pk]),
        ("print_application", [case.pk]),
        ("print_agreement", [case.pk]),
        ("print_session", [case.pk, case.sessions.get().pk]),
    ):
        r = client.get(reverse(f"mediation:{name}", args=args))
        assert r.status_code == 200, name
    assert (
        "退还手续费 50 元"
        in client.get(reverse("mediation:print_agreement", args=[case.pk])).content.decode()
    )
    client.force_login(county.b_manager)
    assert client.get(reverse("mediation:detail", args=[case.pk])).status_code == 404


def test_mediation_figures_against_a_hand_count(county, intake):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        agreed = _agree(county, _to_mediating(county, _open(county, _unsatisfied(county, intake))))
        failed = _to_mediating(county, _open(county, _unsatisfied(county, intake)))
        _act(county.regulator, failed, "fail", reason="分歧大")
        _act(county.regulator, agreed, "performance", note="已履行", completed=True)
    with time_machine.travel(date(2026, 5, 2), tick=False):
        _open(county, _unsatisfied(county, intake))

    def figures(starts_on, ends_on):
        return selectors.mediation_figures(
            institutions=[county.bank_a, county.bank_b], starts_on=starts_on, ends_on=ends_on
        )

    q1 = figures(date(2026, 1, 1), date(2026, 3, 31))
    a = q1[county.bank_a.pk]
    assert (a.opened, a.agreements, a.performed, a.failed, a.declined) == (2, 1, 1, 1, 0)
    assert a.success_rate == 0.5
    assert q1[county.bank_b.pk].opened == 0
    q2 = figures(date(2026, 4, 1), date(2026, 6, 30))
    assert (q2[county.bank_a.pk].opened, q2[county.bank_a.pk].agreements) == (1, 0)


def test_demo_seeds_one_mediation_idempotently(db):
    from django.core.management import call_command

    from mediation.models import MediationCase

    call_command("seed_demo", stdout=__import__("io").StringIO())
    call_command("seed_demo", stdout=__import__("io").StringIO())
    case = MediationCase.objects.get()
    assert (case.status, case.sessions.count(), case.complaint.in_mediation) == (
        "mediating",
        1,
        True,
    )
