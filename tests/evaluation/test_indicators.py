"""Computed indicators on hand-made data, checked by hand (exact numbers)."""

from datetime import date
from decimal import Decimal as D

import pytest

from complaints.enums import ComplaintStatus as S
from complaints.models import Urge
from convention import services as convention_services
from evaluation import indicators
from evaluation.enums import ComputedKind as K
from supervision.models import RectificationItem
from tests.complaints.factories import ComplaintFactory
from tests.publicity.factories import ActivityFactory, CampaignFactory
from tests.supervision.factories import EnforcementCaseFactory
from training import services as training_services

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

    # Rectification ordered by the office, due in Q3: bank A answered one by its
    # deadline (accepted later) and left one open → 50%; one due in October and a
    # bank's own item do not count; bank B has none.
    def item(inst, due, *, overseer=None, answered=None, accepted=None):
        return RectificationItem.objects.create(
            institution=inst,
            overseer=overseer or c.pbc,
            source="measure",
            requirement="整改",
            due_on=due,
            status="accepted" if accepted else "open",
            answered_at=at(answered) if answered else None,
            accepted_at=at(accepted) if accepted else None,
            opened_by=c.regulator,
            opened_at=at("2026-07-01 09:00"),
        )

    item(c.a_out1, date(2026, 8, 10), answered="2026-08-10 16:00", accepted="2026-08-12 10:00")
    item(c.bank_a, date(2026, 9, 1))
    item(c.bank_a, date(2026, 10, 9))
    item(c.a_out2, date(2026, 9, 1), overseer=c.bank_a)

    # Training in Q3: bank A's own session (2 h × teller and handler) = 4 person-hours;
    # an office session in October is outside the quarter.
    def train(actor, organiser, staff, held_on, hours):
        return training_services.training_record(
            actor=actor,
            data=training_services.SessionData(
                organiser_id=organiser.pk,
                held_on=held_on,
                topic="投诉处理规范",
                hours=D(hours),
                staff_ids=[u.pk for u in staff],
                named=[],
                materials=[],
            ),
        )

    train(c.a_manager, c.bank_a, [c.a_teller, c.a1_handler], date(2026, 7, 20), "2.0")
    train(c.regulator, c.pbc, [c.b_teller], date(2026, 10, 8), "3.0")

    # The convention in force from 1 July: bank A signed it in August, bank B never.
    version = convention_services.convention_publish(
        actor=c.regulator,
        label="2026年版",
        text="第一条 依法合规经营。",
        effective_on=date(2026, 7, 1),
    )
    convention_services.convention_sign(
        actor=c.regulator,
        data=convention_services.SignatureData(
            institution_id=c.bank_a.pk,
            version_id=version.pk,
            signed_on=date(2026, 8, 3),
            signer_name="钱卫东",
            signer_title="行长",
        ),
    )
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
    # complaints, urges, publicity (activities, media), mediation, enforcement,
    # rectification, training, convention
    with django_assert_num_queries(9):
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
        K.RECTIFICATION_ON_TIME_RATE: D("50.00"),
        K.TRAINING_PERSON_HOURS: D("4.0"),
        K.CONVENTION_SIGNED: D(1),
    }
    b = values[data.bank_b.pk]
    assert (b[K.RECTIFICATION_ON_TIME_RATE], b[K.TRAINING_PERSON_HOURS]) == (None, D(0))
    assert b[K.CONVENTION_SIGNED] == D(0)
    assert values[data.bank_b.pk][K.SELF_ASSESSMENT_ON_TIME] == D(0)
    assert values[data.bank_b.pk][K.ON_TIME_RATE] == D("100.00")
