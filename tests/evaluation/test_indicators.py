"""Computed indicators on hand-made data, checked by hand (exact numbers)."""

from datetime import date
from decimal import Decimal as D

import pytest

from complaints.enums import ComplaintStatus as S
from complaints.models import Urge
from evaluation import indicators
from evaluation.enums import ComputedKind as K
from tests.complaints.factories import ComplaintFactory
from tests.publicity.factories import ActivityFactory, CampaignFactory
from tests.supervision.factories import EnforcementCaseFactory

from .conftest import at

Q3 = {"starts_on": date(2026, 7, 1), "ends_on": date(2026, 9, 30)}
AS_OF = at("2026-10-01 09:00")


@pytest.fixture
def data(county):
    """Bank A's subtree (four complaints in the quarter, three not counted), bank B
    (one), and bank X of the other county."""
    c = county

    def complaint(inst, received, **kw):
        return ComplaintFactory(
            complained_institution=inst,
            first_responder=c.a_teller,
            received_at=at(received),
            **kw,
        )

    # Answered on time, satisfied.
    c1 = complaint(
        c.a_out1,
        "2026-07-05 10:00",
        due_at=at("2026-07-05 17:00"),
        answered_at=at("2026-07-05 15:00"),
        satisfaction="satisfied",
        status=S.ANSWERED,
    )
    # Answered two days late, basically satisfied, a repeat.
    c2 = complaint(
        c.bank_a,
        "2026-08-01 09:00",
        due_at=at("2026-08-04 17:00"),
        answered_at=at("2026-08-06 10:00"),
        satisfaction="basic",
        is_repeat=True,
        status=S.ARCHIVED,
    )
    # Still in progress past its due time: overdue, decided (late).
    complaint(c.a_out2, "2026-09-10 10:00", due_at=at("2026-09-10 17:00"), status=S.IN_PROGRESS)
    # Received on the last evening, due after the cut-off: counted, not yet decided; major.
    complaint(
        c.a_out1,
        "2026-09-30 23:30",
        due_at=at("2026-10-09 17:00"),
        status=S.ASSIGNED,
        is_major=True,
    )
    # Not counted: the day before the quarter, the first minute after it, refused,
    # transferred, a consultation.
    c5 = complaint(c.a_out1, "2026-06-30 23:59", due_at=at("2026-07-01 17:00"), status=S.REGISTERED)
    complaint(c.a_out1, "2026-10-01 00:00", status=S.REGISTERED)
    complaint(c.a_out1, "2026-07-02 10:00", status=S.REFUSED)
    complaint(c.a_out1, "2026-07-03 10:00", status=S.TRANSFERRED)
    complaint(
        c.a_out1,
        "2026-07-04 10:00",
        kind="consultation",
        status=S.ANSWERED,
        answered_at=at("2026-07-04 11:00"),
        due_at=at("2026-07-04 17:00"),
    )
    # Bank B: one answered on time, unsatisfied.
    c8 = complaint(
        c.bank_b,
        "2026-07-15 10:00",
        due_at=at("2026-07-16 17:00"),
        answered_at=at("2026-07-16 09:00"),
        satisfaction="unsatisfied",
        status=S.ANSWERED,
    )
    # Bank X (other county): never part of this appraisal.
    complaint(c.bank_x, "2026-07-15 10:00", due_at=at("2026-07-15 17:00"), status=S.IN_PROGRESS)

    # Urges count by when they were made: two in the quarter for bank A (one on a
    # complaint received in June), one after it for bank B.
    Urge.objects.create(
        complaint=c2, urged_by=c.regulator, note="请尽快答复", created_at=at("2026-08-05 09:00")
    )
    Urge.objects.create(
        complaint=c5, urged_by=c.regulator, note="请尽快答复", created_at=at("2026-07-01 09:00")
    )
    Urge.objects.create(
        complaint=c8, urged_by=c.regulator, note="请尽快答复", created_at=at("2026-10-01 08:00")
    )
    Urge.objects.create(
        complaint=c1, urged_by=c.regulator, note="请尽快答复", created_at=at("2026-06-30 08:00")
    )

    # Publicity: two activities in bank A's subtree in the quarter, one outside it.
    campaign = CampaignFactory(
        organiser=c.pbc, starts_on=date(2026, 6, 1), ends_on=date(2026, 10, 31)
    )
    ActivityFactory(
        campaign=campaign, institution=c.a_out1, held_on=date(2026, 8, 1), people_reached=120
    )
    ActivityFactory(
        campaign=campaign, institution=c.a_out2, held_on=date(2026, 9, 30), people_reached=80
    )
    ActivityFactory(
        campaign=campaign, institution=c.bank_b, held_on=date(2026, 10, 1), people_reached=500
    )
    # 诉转案: one about an outlet of bank A in the quarter, one about bank A the day
    # after it, one about bank X (another county).
    EnforcementCaseFactory(
        complaint=c2, institution=c.a_out2, office=c.pbc, opened_at=at("2026-09-30 16:00")
    )
    EnforcementCaseFactory(
        complaint=c2, institution=c.bank_a, office=c.pbc, opened_at=at("2026-10-01 09:00")
    )
    EnforcementCaseFactory(institution=c.bank_x, opened_at=at("2026-08-01 09:00"))
    return c  # fmt: skip


def test_complaint_figures_per_subtree(data):
    figures = indicators.complaint_figures(
        institutions=[data.bank_a, data.bank_b], as_of=AS_OF, **Q3
    )
    a, b = figures[data.bank_a.pk], figures[data.bank_b.pk]
    counts = ("received", "decided", "on_time", "overdue", "rated", "satisfied", "repeat", "major")
    assert [getattr(a, name) for name in counts] == [4, 3, 1, 2, 2, 2, 1, 1]
    assert (a.on_time_rate, a.satisfaction_rate, a.repeat_rate) == (
        D("33.33"),
        D("100.00"),
        D("25.00"),
    )
    assert [getattr(b, name) for name in counts] == [1, 1, 1, 0, 1, 0, 0, 0]
    assert (b.on_time_rate, b.satisfaction_rate, b.repeat_rate) == (
        D("100.00"),
        D("0.00"),
        D("0.00"),
    )


def test_overdue_depends_on_the_cut_off(data):
    """Before the open case's due time it is neither late nor decided."""
    early = indicators.complaint_figures(
        institutions=[data.bank_a], as_of=at("2026-09-10 12:00"), **Q3
    )[data.bank_a.pk]
    assert (early.decided, early.on_time, early.overdue) == (2, 1, 1)


def test_an_institution_without_data_gets_zeros_and_no_rates(county):
    f = indicators.complaint_figures(institutions=[county.bank_b], as_of=AS_OF, **Q3)[
        county.bank_b.pk
    ]
    assert (f.received, f.on_time_rate, f.satisfaction_rate, f.repeat_rate) == (0, None, None, None)


def test_enforcement_cases_count_by_opening_in_the_period(data):
    assert indicators.enforcement_figures(institutions=[data.bank_a, data.bank_b], **Q3) == {
        data.bank_a.pk: 1,
        data.bank_b.pk: 0,
    }


def test_urges_count_by_creation_in_the_period(data):
    assert indicators.urges_received(institutions=[data.bank_a, data.bank_b], **Q3) == {
        data.bank_a.pk: 2,
        data.bank_b.pk: 0,
    }


def test_publicity_figures_come_from_the_publicity_totals(data):
    assert indicators.publicity_figures(institutions=[data.bank_a, data.bank_b], **Q3) == {
        data.bank_a.pk: (2, 200),
        data.bank_b.pk: (0, 0),
    }


def test_raw_values_for_every_kind_in_a_constant_number_of_queries(data, django_assert_num_queries):
    # complaints, urges, publicity (activities, media), mediation, enforcement
    with django_assert_num_queries(6):
        values, _figures = indicators.raw_values(
            institutions=[data.bank_a, data.bank_b],
            as_of=AS_OF,
            kinds=set(K.values),
            self_assessment_on_time={data.bank_a.pk: True},
            **Q3,
        )
    assert values[data.bank_a.pk] == {
        K.COMPLAINTS_RECEIVED: D(4),
        K.ON_TIME_RATE: D("33.33"),
        K.SATISFACTION_RATE: D("100.00"),
        K.REPEAT_RATE: D("25.00"),
        K.MAJOR_COMPLAINTS: D(1),
        K.OVERDUE_COUNT: D(2),
        K.URGES_RECEIVED: D(2),
        K.PUBLICITY_ACTIVITIES: D(2),
        K.PEOPLE_REACHED: D(200),
        K.SELF_ASSESSMENT_ON_TIME: D(1),
        K.MEDIATION_CASES: D(0),
        K.MEDIATION_SUCCESS_RATE: None,
        K.ENFORCEMENT_CASES: D(1),
    }
    assert values[data.bank_b.pk][K.SELF_ASSESSMENT_ON_TIME] == D(0)
    assert values[data.bank_b.pk][K.ON_TIME_RATE] == D("100.00")
