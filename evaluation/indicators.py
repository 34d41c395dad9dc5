"""The figures computed indicators are measured on, read from the other apps through
these functions only.

Each function takes the appraised institutions (whose subtrees must not overlap)
and the period's local dates, and returns ``{institution pk: value}`` for every
institution given, computed by the database in one grouped query: a row belongs to
the appraised institution whose materialised path prefixes its own.

Definitions (see also ``docs/evaluation.md``), over complaints whose *handling*
institution is in the subtree and that were *received* in the period:

* received: ``kind = 投诉`` (not consultations or reports), except those refused
  (不予受理) or transferred out of the system (已移送);
* answered on time: ``answered_at ≤ due_at``; decided: answered (with a due time) or
  still unanswered past its due time at ``as_of``; on-time rate = on time / decided;
* overdue: answered after ``due_at``, or unanswered (open) past ``due_at`` at ``as_of``;
* satisfaction rate = (满意 + 基本满意) / answered with a satisfaction recorded;
* repeat rate = repeat complaints / received; major = ``is_major`` among received.

Urges count ``Urge`` rows created in the period on complaints handled in the
subtree, whenever those complaints were received. Publicity figures come from
``publicity.selectors.activity_totals_by_subtree`` (activities held in the period).

The regulator's toolbox, each from its own app's grouped selector:

* mediation cases = cases opened in the period about the subtree; success rate =
  agreements that took effect / (those + mediations that failed), refusals to
  mediate not counted (``mediation.selectors.mediation_figures``);
* 诉转案 = enforcement cases opened in the period about the subtree;
* rectification on time = items the office ordered that fell due in the period and
  were accepted with an answer given by the deadline / items due in the period;
* training person-hours = Σ session hours over the subtree's trainees in the period;
* convention signed = 1 when the subtree signed the version in force at the end of
  the period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, Count, F, Q
from django.utils import timezone

from complaints.enums import OPEN_STATES, ComplaintKind, ComplaintStatus, Satisfaction
from complaints.models import Complaint, Urge
from institutions import tree
from institutions.models import Institution

from .enums import ComputedKind

HUNDRED = Decimal(100)


def period_bounds(starts_on: date, ends_on: date) -> tuple[datetime, datetime]:
    """[local midnight of the first day, local midnight after the last day)."""
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(starts_on, time.min), tz)
    end = timezone.make_aware(datetime.combine(ends_on + timedelta(days=1), time.min), tz)
    return start, end


def _subtree_key(prefix: str, roots: Sequence[Institution]) -> Case:
    return tree.which_subtree(roots, prefix.removesuffix("__"))


def _under_any(prefix: str, roots: Sequence[Institution]) -> Q:
    return tree.under_any_q(roots, prefix.removesuffix("__"))


def _rate(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class ComplaintFigures:
    received: int = 0
    decided: int = 0
    on_time: int = 0
    overdue: int = 0
    rated: int = 0
    satisfied: int = 0
    repeat: int = 0
    major: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return _rate(self.on_time, self.decided)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return _rate(self.satisfied, self.rated)

    @property
    def repeat_rate(self) -> Decimal | None:
        return _rate(self.repeat, self.received)


def complaint_figures(
    *, institutions: Sequence[Institution], starts_on: date, ends_on: date, as_of: datetime
) -> dict[int, ComplaintFigures]:
    """The complaint figures of each subtree (module docstring), one grouped query."""
    institutions = list(institutions)
    if not institutions:
        return {}
    start, end = period_bounds(starts_on, ends_on)
    answered = Q(answered_at__isnull=False, due_at__isnull=False)
    open_late = Q(answered_at__isnull=True, status__in=OPEN_STATES, due_at__lt=as_of)
    late_answer = Q(answered_at__isnull=False, due_at__isnull=False, answered_at__gt=F("due_at"))
    rows = (
        Complaint.objects.filter(
            _under_any("handling_institution__", institutions),
            kind=ComplaintKind.COMPLAINT,
            received_at__gte=start,
            received_at__lt=end,
        )
        .exclude(status__in=(ComplaintStatus.REFUSED, ComplaintStatus.TRANSFERRED))
        .order_by()
        .values(group=_subtree_key("handling_institution__", institutions))
        .annotate(
            received=Count("pk"),
            decided=Count("pk", filter=answered | open_late),
            on_time=Count("pk", filter=answered & Q(answered_at__lte=F("due_at"))),
            overdue=Count("pk", filter=late_answer | open_late),
            rated=Count("pk", filter=~Q(satisfaction="")),
            satisfied=Count(
                "pk", filter=Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASIC))
            ),
            repeat=Count("pk", filter=Q(is_repeat=True)),
            major=Count("pk", filter=Q(is_major=True)),
        )
    )
    found = {row.pop("group"): ComplaintFigures(**row) for row in rows if row["group"] is not None}
    return {inst.pk: found.get(inst.pk, ComplaintFigures()) for inst in institutions}


def urges_received(
    *, institutions: Sequence[Institution], starts_on: date, ends_on: date
) -> dict[int, int]:
    """督办 rows created in the period on complaints handled in each subtree."""
    institutions = list(institutions)
    if not institutions:
        return {}
    start, end = period_bounds(starts_on, ends_on)
    rows = (
        Urge.objects.filter(
            _under_any("complaint__handling_institution__", institutions),
            created_at__gte=start,
            created_at__lt=end,
        )
        .order_by()
        .values_list(_subtree_key("complaint__handling_institution__", institutions))
        .annotate(n=Count("pk"))
    )
    found = dict(rows)
    return {inst.pk: found.get(inst.pk, 0) for inst in institutions}


def publicity_figures(
    *, institutions: Sequence[Institution], starts_on: date, ends_on: date
) -> dict[int, tuple[int, int]]:
    """(activities held, people reached) of each subtree in the period, from the
    publicity app's totals selector."""
    from publicity.selectors import activity_totals_by_subtree

    totals = activity_totals_by_subtree(
        institutions=list(institutions), date_from=starts_on, date_to=ends_on
    )
    return {pk: (t.activities, t.people_reached) for pk, t in totals.items()}


def mediation_figures(
    *, institutions: Sequence[Institution], starts_on: date, ends_on: date
) -> dict[int, tuple[int, Decimal | None]]:
    """(cases opened, success rate %) of each subtree in the period, from the
    mediation app's figures: success = agreements that took effect over mediations
    that ended (agreed or failed); refusals to mediate are not counted."""
    from mediation.selectors import mediation_figures as figures_of

    counts = figures_of(institutions=institutions, starts_on=starts_on, ends_on=ends_on)
    return {
        pk: (c.opened, _rate(c.agreements, c.agreements + c.failed)) for pk, c in counts.items()
    }


def enforcement_figures(
    *, institutions: Sequence[Institution], starts_on: date, ends_on: date
) -> dict[int, int]:
    """诉转案 opened in the period about each subtree, from the supervision desk."""
    from supervision.selectors import enforcement_figures as figures_of

    return figures_of(institutions=list(institutions), starts_on=starts_on, ends_on=ends_on)


def rectification_figures(
    *, institutions: Sequence[Institution], starts_on: date, ends_on: date, as_of: datetime
) -> dict[int, Decimal | None]:
    """Rectification on time (%) of each subtree: items the office ordered, due in the
    period, accepted with an answer given by the deadline, over those due (the
    supervision desk's figures; None when nothing was due)."""
    from supervision.selectors.rectification import rectification_figures as figures_of

    found = figures_of(
        institutions=institutions,
        starts_on=starts_on,
        ends_on=ends_on,
        as_of=timezone.localtime(as_of).date(),
    )
    return {
        inst.pk: _rate(found.get(inst.pk, (0, 0))[1], found.get(inst.pk, (0, 0))[0])
        for inst in institutions
    }


def training_hours(
    *, institutions: Sequence[Institution], starts_on: date, ends_on: date
) -> dict[int, Decimal]:
    """Person-hours of consumer-protection training of the subtree's staff in the
    period (Σ over trainee rows of the session's hours)."""
    from training.selectors import training_figures

    found = training_figures(institutions=institutions, starts_on=starts_on, ends_on=ends_on)
    return {pk: f.person_hours for pk, f in found.items()}


def convention_signed(
    *, institutions: Sequence[Institution], ends_on: date, as_of: datetime
) -> dict[int, bool]:
    """Whether the subtree had signed the convention version in force at the end of
    the period (or at the cut-off, if earlier)."""
    from convention.selectors import signed_by

    day = min(ends_on, timezone.localtime(as_of).date())
    return signed_by(institutions=institutions, as_of=day)


def raw_values(
    *,
    institutions: Sequence[Institution],
    starts_on: date,
    ends_on: date,
    as_of: datetime,
    kinds: set[str],
    self_assessment_on_time: dict[int, bool],
) -> tuple[dict[int, dict[str, Decimal | None]], dict[int, ComplaintFigures]]:
    """Every computed kind in ``kinds`` for every institution, plus the complaint
    figures (always read: the key-supervision rules need major and overdue counts).
    At most three grouped queries for the complaint side and two for publicity."""
    figures = complaint_figures(
        institutions=institutions, starts_on=starts_on, ends_on=ends_on, as_of=as_of
    )
    urges = (
        urges_received(institutions=institutions, starts_on=starts_on, ends_on=ends_on)
        if ComputedKind.URGES_RECEIVED in kinds
        else {}
    )
    publicity = (
        publicity_figures(institutions=institutions, starts_on=starts_on, ends_on=ends_on)
        if kinds & {ComputedKind.PUBLICITY_ACTIVITIES, ComputedKind.PEOPLE_REACHED}
        else {}
    )
    mediation = (
        mediation_figures(institutions=institutions, starts_on=starts_on, ends_on=ends_on)
        if kinds & {ComputedKind.MEDIATION_CASES, ComputedKind.MEDIATION_SUCCESS_RATE}
        else {}
    )
    enforcement = (
        enforcement_figures(institutions=institutions, starts_on=starts_on, ends_on=ends_on)
        if ComputedKind.ENFORCEMENT_CASES in kinds
        else {}
    )
    rectification = (
        rectification_figures(
            institutions=institutions, starts_on=starts_on, ends_on=ends_on, as_of=as_of
        )
        if ComputedKind.RECTIFICATION_ON_TIME_RATE in kinds
        else {}
    )
    training = (
        training_hours(institutions=institutions, starts_on=starts_on, ends_on=ends_on)
        if ComputedKind.TRAINING_PERSON_HOURS in kinds
        else {}
    )
    convention = (
        convention_signed(institutions=institutions, ends_on=ends_on, as_of=as_of)
        if ComputedKind.CONVENTION_SIGNED in kinds
        else {}
    )
    K = ComputedKind
    values: dict[int, dict[str, Decimal | None]] = {}
    for inst in institutions:
        f = figures[inst.pk]
        activities, people = publicity.get(inst.pk, (0, 0))
        mediations, mediation_success = mediation.get(inst.pk, (0, None))
        values[inst.pk] = {
            K.COMPLAINTS_RECEIVED: Decimal(f.received),
            K.ON_TIME_RATE: f.on_time_rate,
            K.SATISFACTION_RATE: f.satisfaction_rate,
            K.REPEAT_RATE: f.repeat_rate,
            K.MAJOR_COMPLAINTS: Decimal(f.major),
            K.OVERDUE_COUNT: Decimal(f.overdue),
            K.URGES_RECEIVED: Decimal(urges.get(inst.pk, 0)),
            K.PUBLICITY_ACTIVITIES: Decimal(activities),
            K.PEOPLE_REACHED: Decimal(people),
            K.SELF_ASSESSMENT_ON_TIME: Decimal(1 if self_assessment_on_time.get(inst.pk) else 0),
            K.MEDIATION_CASES: Decimal(mediations),
            K.MEDIATION_SUCCESS_RATE: mediation_success,
            K.ENFORCEMENT_CASES: Decimal(enforcement.get(inst.pk, 0)),
            K.RECTIFICATION_ON_TIME_RATE: rectification.get(inst.pk),
            K.TRAINING_PERSON_HOURS: training.get(inst.pk, Decimal(0)),
            K.CONVENTION_SIGNED: Decimal(1 if convention.get(inst.pk) else 0),
        }
    return values, figures
