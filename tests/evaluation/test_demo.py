"""The demo appraisal: idempotent, and leaves exactly what the demo walk-through needs."""

from django.core.management import call_command

from evaluation import selectors, services
from evaluation.models import AppraisalPeriod, IndicatorScore
from institutions.models import User


def test_demo_seed_is_idempotent_and_ready_for_the_supervisor(db):
    call_command("seed_demo")
    call_command("seed_demo")
    before, last = AppraisalPeriod.objects.order_by("starts_on")
    assert AppraisalPeriod.objects.count() == 2
    assert (before.status, last.status) == ("published", "scoring")
    assert last.scheme.copied_from == before.scheme
    assert [s.institution.code for s in selectors.key_supervision_list(period=before)] == ["XTB-QH"]
    _prev, listed = selectors.key_supervision_from_previous(period=last)
    assert [s.institution.code for s in listed] == ["XTB-QH"]
    unscored = IndicatorScore.objects.filter(
        sheet__period=last, score__isnull=True, indicator__method="manual"
    )
    assert sorted(unscored.values_list("sheet__institution__code", "indicator__code")) == [
        ("VB-QH", "MECH-1"),
        ("VB-QH", "ORG-1"),
    ]
    assert set(last.self_assessments.values_list("institution__code", "status")) == {
        ("ABC-HB", "submitted"),
        ("RCB-QH", "submitted"),
    }

    supervisor = User.objects.get(username="pbc_supervisor")
    services.period_recompute(actor=supervisor, period=last)
    for score in unscored:
        services.score_record(actor=supervisor, score=score, value=9, reason="现场检查：制度健全")
    services.period_publish(actor=supervisor, period=last)
    flagged = {
        s.institution.code: s.proposal_reasons for s in selectors.key_supervision_list(period=last)
    }
    assert set(flagged) == {"ICBC-QH", "XTB-QH"}
    assert "考核期内发生重大投诉 1 件" in flagged["ICBC-QH"]
    mech4 = dict(
        IndicatorScore.objects.filter(sheet__period=last, indicator__code="MECH-4").values_list(
            "sheet__institution__code", "raw_value"
        )
    )
    assert (mech4["ABC-HB"], mech4["RCB-QH"]) == (1, 0)  # on time vs late
