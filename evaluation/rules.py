"""Who may see and do what with the appraisal (考核评价).

* The **office's staff** (a regulator-role user of the supervising office that runs
  the period) keep everything: schemes, periods, scores, decisions, inspections. Only
  they score. Their scope is the periods their own office runs (``scope`` over the
  period's ``regulator``): a regulator of another county sees nothing. System
  administrators read the same pages in the admin but change nothing.
* An **institution** meets only its own results, outside the admin: a manager (机构
  消保管理员) of the appraised institution or of any institution below it acts for
  it — the appraised unit is the bank's top node in the county, its outlets'
  managers belong to it. Results are visible once the period is published, and only
  its own sheet (with its rank); another institution's sheet is *not found*.
* The **circulation notice** (通报) is, by design, read by every institution of the
  office's jurisdiction once published: it names the commended and disclosed
  institutions, never scores or ranks of others.
* Evidence files are the office's working papers: its staff only.

As everywhere in the policy, out-of-scope objects are 404, never 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import rules
from django.db.models import Q, QuerySet
from django.http import Http404

from evaluation.enums import RESULT_STATES, PeriodStatus, SelfAssessmentStatus
from institutions import tree
from institutions.access import NOTHING, is_manager, is_regulator, is_sysadmin, scope

if TYPE_CHECKING:
    from evaluation.models import (
        AppraisalPeriod,
        Evidence,
        IndicatorScheme,
        ScoreSheet,
        ScoreSheetQuerySet,
        SelfAssessment,
    )
    from institutions.models import User


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _manager_office_id(user: User) -> int | None:
    """The supervising office of an active manager's institution (None: not a
    manager, or an institution outside any office's jurisdiction)."""
    if not (_active(user) and is_manager(user)) or user.institution is None:
        return None
    return user.institution.regulator_id


def _staff_reader(user: User) -> bool:
    """Reads the appraisal in the admin: the office's staff, system administrators."""
    return bool(_active(user) and (is_regulator(user) or is_sysadmin(user)))


# --- Office side --------------------------------------------------------------------------


def period_list_for_user(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """The periods ``user`` keeps or reads in the admin: those run by their own
    office (superusers: all). Every admin list, overview and export starts here."""
    from evaluation.models import AppraisalPeriod

    qs = AppraisalPeriod.objects.all() if queryset is None else queryset
    if not _staff_reader(user):
        return qs.none()
    return scope(user, qs, "regulator")


def period_get_for_user(user: User, pk, *, queryset: QuerySet | None = None) -> AppraisalPeriod:
    qs = period_list_for_user(user, queryset)
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def sheet_list_for_staff(
    user: User, queryset: ScoreSheetQuerySet | None = None
) -> ScoreSheetQuerySet:
    from evaluation.models import ScoreSheet

    qs = ScoreSheet.objects.all() if queryset is None else queryset
    if not _staff_reader(user):
        return qs.none()
    return cast("ScoreSheetQuerySet", scope(user, qs, "period__regulator"))


def scheme_q(user: User) -> Q:
    """Schemes of the user's office's periods, and the shared template."""
    if not _staff_reader(user):
        return NOTHING
    from evaluation.models import AppraisalPeriod

    return Q(is_template=True) | Q(
        period__in=period_list_for_user(user, AppraisalPeriod.objects.all())
    )


def evidence_get_for_user(user: User, pk) -> Evidence:
    """An evidence file of a sheet the user keeps, or 404 (a guessed UUID answers
    like a missing one)."""
    from evaluation.models import Evidence

    if not _staff_reader(user):
        raise Http404
    qs = scope(user, Evidence.objects.select_related("sheet"), "sheet__period__regulator")
    try:
        return qs.get(pk=pk)
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Institution side ---------------------------------------------------------------------


def acting_for_pks(user: User) -> list[int]:
    """The institutions whose appraisal ``user`` may read and self-assess: a
    manager's own institution and every ancestor of it (read from the path)."""
    if not (_active(user) and is_manager(user)) or user.institution is None:
        return []
    return tree.ancestor_ids(user.institution)


def own_sheets(user: User, queryset: ScoreSheetQuerySet | None = None) -> ScoreSheetQuerySet:
    """The published sheets of the institution(s) the user acts for."""
    from evaluation.models import ScoreSheet

    qs = ScoreSheet.objects.all() if queryset is None else queryset
    pks = acting_for_pks(user)
    if not pks:
        return qs.none()
    return qs.filter(institution_id__in=pks, period__status__in=RESULT_STATES)


def sheet_get_for_user(user: User, pk, *, queryset: ScoreSheetQuerySet | None = None) -> ScoreSheet:
    """A sheet the user may read: the office's staff any of their periods', an
    institution only its own published one. Everything else is 404."""
    from evaluation.models import ScoreSheet

    qs = ScoreSheet.objects.all() if queryset is None else queryset
    visible = sheet_list_for_staff(user, qs) if _staff_reader(user) else own_sheets(user, qs)
    try:
        return visible.get(pk=pk)
    except (ScoreSheet.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def notice_period_get_for_user(user: User, pk) -> AppraisalPeriod:
    """A published period whose notice the user may read: the office's staff, or a
    manager of an institution in the office's jurisdiction. Otherwise 404."""
    from evaluation.models import AppraisalPeriod

    qs = AppraisalPeriod.objects.select_related("regulator").filter(status__in=RESULT_STATES)
    if _staff_reader(user):
        qs = period_list_for_user(user, qs)
    elif office_id := _manager_office_id(user):
        qs = qs.filter(regulator_id=office_id)
    else:
        raise Http404
    try:
        return qs.get(pk=pk)
    except (AppraisalPeriod.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def self_assessment_period_get_for_user(user: User, pk) -> AppraisalPeriod:
    """A period of the user's own supervising office, for the self-assessment form."""
    from evaluation.models import AppraisalPeriod

    office_id = _manager_office_id(user)
    if not office_id:
        raise Http404
    try:
        return AppraisalPeriod.objects.get(pk=pk, regulator_id=office_id)
    except (AppraisalPeriod.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Predicates -----------------------------------------------------------------------


def _period_of(obj):
    """The period an object belongs to (a period, sheet, score or evidence)."""
    from evaluation.models import AppraisalPeriod, ScoreSheet

    if obj is None or isinstance(obj, AppraisalPeriod):
        return obj
    if isinstance(obj, ScoreSheet):
        return obj.period
    sheet = getattr(obj, "sheet", None)
    return sheet.period if sheet is not None else None


@rules.predicate
def can_score(user, obj=None) -> bool:
    """The office's staff, on their own office's periods (``obj``: a period, sheet,
    score or evidence; None for "in general")."""
    if not (_active(user) and is_regulator(user)):
        return False
    period = _period_of(obj)
    return period is None or period.regulator_id == user.institution_id


@rules.predicate
def reads_admin(user) -> bool:
    return _staff_reader(user)


@rules.predicate
def can_view_results(user) -> bool:
    """Has an appraisal page outside the admin: the office's staff, institution
    managers (the nav link)."""
    return bool(_active(user) and (is_regulator(user) or is_manager(user)))


@rules.predicate
def can_self_assess(user: User, period: AppraisalPeriod | None = None) -> bool:
    """A manager of an institution supervised by the period's office."""
    office_id = _manager_office_id(user)
    if not office_id:
        return False
    return period is None or period.regulator_id == office_id


# --- Editability -----------------------------------------------------------------------
# Who may change a thing is the permission above; *when* it may change is the
# period's state. These combine the two, so the admin (which fields and lines are
# editable) and the services (what they refuse) ask the same question. They go
# through ``has_perm`` so a superuser keeps the admin's rights — but never over a
# period whose results are fixed.


def period_is_open_for_scoring(period: AppraisalPeriod) -> bool:
    """Scores, evidence, totals and key-supervision decisions may still change: the
    period is open or being scored. Once published the results are fixed."""
    return period.is_scorable


def scheme_is_editable(scheme: IndicatorScheme | None) -> bool:
    """The template, and the scheme of a period that has not started scoring: once
    scoring starts every sheet is scored against the same, fixed indicators."""
    if scheme is None or scheme.is_template:
        return True
    period = getattr(scheme, "period", None)
    return period is None or period.status == PeriodStatus.OPEN


def sheet_editable_by(user: User, obj=None) -> bool:
    """``user`` may change the lines of a sheet (``obj``: a sheet, score or evidence
    file; None for "in general"): its office's scorer, while the period is open for
    scoring."""
    if obj is None:
        return True
    period = _period_of(obj)
    return bool(
        period is not None
        and period_is_open_for_scoring(period)
        and user.has_perm("evaluation.score", obj)
    )


def self_assessment_is_open(period: AppraisalPeriod, own: SelfAssessment | None) -> bool:
    """A self-assessment can be saved while the period is open for scoring and until
    it has been reported (a reported one is the institution's statement)."""
    submitted = own is not None and own.status == SelfAssessmentStatus.SUBMITTED
    return period_is_open_for_scoring(period) and not submitted


def self_assessment_editable_by(
    user: User, period: AppraisalPeriod, own: SelfAssessment | None
) -> bool:
    """``user`` may save the self-assessment ``own`` (None: not begun) of ``period``."""
    return user.has_perm("evaluation.self_assess", period) and self_assessment_is_open(period, own)


_KEPT = (
    "appraisalperiod",
    "scoresheet",
    "indicatorscore",
    "evidence",
    "indicatorscheme",
    "section",
    "indicator",
    "gradescale",
    "gradeband",
    "inspection",
)
#: Removing a period, a sheet or a score would take results and the log with it.
_SUPERUSER_DELETES = ("appraisalperiod", "scoresheet", "indicatorscore")
for _model in _KEPT:
    rules.add_perm(f"evaluation.view_{_model}", reads_admin)
    rules.add_perm(f"evaluation.add_{_model}", can_score)
    rules.add_perm(f"evaluation.change_{_model}", can_score)
    rules.add_perm(
        f"evaluation.delete_{_model}",
        rules.predicates.is_superuser if _model in _SUPERUSER_DELETES else can_score,
    )
# Written by the institutions and the services, read in the admin.
for _model in ("selfassessment", "selfassessmententry", "appraisallog"):
    rules.add_perm(f"evaluation.view_{_model}", reads_admin)
rules.add_perm("evaluation.score", can_score)
rules.add_perm("evaluation.view_results", can_view_results)
rules.add_perm("evaluation.self_assess", can_self_assess)
