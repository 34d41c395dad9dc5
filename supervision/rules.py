"""Who may use the regulator's desk (督查), the case archive (投诉案例档案) and the
enforcement follow-ups (诉转案).

* **The desk** (supervision board, major complaints, overdue urges, statistics) is for
  the county office's supervisors over their jurisdiction and for institution
  complaint managers over their own subtree. Tellers and handlers work on their own
  cases on the complaint pages and do not get the desk.
* **Typical cases** are written by a supervisor (jurisdiction) or by an institution
  manager (own subtree, to circulate lessons bank-wide, 篇八), about a complaint they
  can see. The author's institution *owns* the case. Authors (regulators and
  managers who can see the owner) see drafts and published cases; every member of
  staff sees the *published* cases of their own institution, of its ancestors and of
  their supervising office, and those circulated (通报) to their institution or an
  ancestor of it. Staff reached by a circulation confirm that they read the case.
* **Enforcement cases** (专项检查 / 执法检查 opened from a complaint) belong to the
  regulator: only the office's supervisors see and keep them (the institution meets
  the inspection itself, not the office's working file).

Objects outside the scope are *not found* (404), like everywhere in the policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.db.models import Q, QuerySet
from django.http import Http404

from complaints.rules import can_see_complaint
from institutions import tree
from institutions.access import (
    NOTHING,
    can_see_institution,
    has_institution,
    home_institution,
    institution_q,
    is_manager,
    is_regulator,
    is_sysadmin,
)

if TYPE_CHECKING:
    from institutions.models import User
    from supervision.models import Circulation, EnforcementCase, TypicalCase


def _active_with_institution(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.institution_id)


def _superuser(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def above_and_own(user: User) -> list[int]:
    """Where published material that reaches the user comes from."""
    return tree.with_ancestors_and_office(home_institution(user))


# --- The desk --------------------------------------------------------------------------


@rules.predicate
def can_supervise(user) -> bool:
    """The board, the major-complaint and overdue-urge lists and the statistics."""
    return bool(_active_with_institution(user) and (is_regulator(user) or is_manager(user)))


@rules.predicate
def can_chase_directory(user) -> bool:
    """The office's list of institutions in its jurisdiction whose published complaint
    information (投诉渠道公示) is incomplete, to chase them: the office's supervisors
    only. Banks keep their own information through the office's administrators."""
    return bool(_superuser(user) or is_regulator(user))


# --- Typical cases ---------------------------------------------------------------------


@rules.predicate
def is_case_author(user) -> bool:
    return can_supervise(user)


def typical_case_q(user: User) -> Q:
    if _superuser(user):
        return Q()
    if not _active_with_institution(user):
        return NOTHING
    above = above_and_own(user)
    reader = Q(published=True) & (Q(owner_id__in=above) | Q(circulations__institution_id__in=above))
    if is_case_author(user):
        return reader | institution_q(user, "owner")
    return reader


def typical_case_list_for_user(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """The typical cases ``user`` may read (see the module docstring). The
    circulations join stays in a subquery so that a case appears once."""
    from supervision.models import TypicalCase

    qs = TypicalCase.objects.all() if queryset is None else queryset
    return qs.filter(pk__in=TypicalCase.objects.filter(typical_case_q(user)).values("pk"))


def typical_case_get_for_user(user: User, pk, *, queryset: QuerySet | None = None) -> TypicalCase:
    """Fetch a case the user may read, or raise 404 (missing and not visible alike)."""
    qs = typical_case_list_for_user(user, queryset)
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def circulation_reaching(user: User, case: TypicalCase) -> Circulation | None:
    """The circulation of ``case`` that reaches the user's institution: to the
    institution itself or the nearest ancestor that was chosen."""
    if not _active_with_institution(user):
        return None
    above = above_and_own(user)
    return (
        case.circulations.filter(institution_id__in=above)
        .select_related("institution")
        .order_by("-institution__depth", "pk")
        .first()
    )


@rules.predicate
def can_create_typical_case(user, complaint=None) -> bool:
    """A supervisor or a manager, about a complaint whose handling institution is in
    their scope (the status rule is the service's)."""
    if not is_case_author(user):
        return False
    return complaint is None or bool(
        can_see_complaint(user, complaint)
        and can_see_institution(user, complaint.handling_institution)
    )


@rules.predicate
def can_change_typical_case(user, case=None) -> bool:
    """Authors who can see the owning institution edit and circulate the case."""
    if not is_case_author(user):
        return False
    return case is None or can_see_institution(user, case.owner)


@rules.predicate
def can_confirm_read(user, case=None) -> bool:
    """Staff reached by a circulation of a published case confirm they read it."""
    if not _active_with_institution(user):
        return False
    if case is None:
        return True
    return bool(case.published and circulation_reaching(user, case) is not None)


# --- Enforcement cases (诉转案) ----------------------------------------------------------


def enforcement_q(user: User) -> Q:
    if _superuser(user):
        return Q()
    if not is_regulator(user):
        return NOTHING
    return institution_q(user, "institution")


def enforcement_list_for_user(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Every enforcement-case list, count and admin page starts here."""
    from supervision.models import EnforcementCase

    qs = EnforcementCase.objects.all() if queryset is None else queryset
    return qs.filter(enforcement_q(user))


def enforcement_get_for_user(
    user: User, pk, *, queryset: QuerySet | None = None
) -> EnforcementCase:
    qs = enforcement_list_for_user(user, queryset)
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@rules.predicate
def can_view_enforcement(user) -> bool:
    return bool(_superuser(user) or is_regulator(user))


@rules.predicate
def can_open_enforcement(user, complaint=None) -> bool:
    """The office's supervisors, from a complaint in their jurisdiction."""
    if not is_regulator(user):
        return False
    return complaint is None or can_see_complaint(user, complaint)


@rules.predicate
def can_close_enforcement(user, case=None) -> bool:
    if not is_regulator(user):
        return False
    return case is None or can_see_institution(user, case.institution)


rules.add_perm("supervision.view_board", can_supervise)
rules.add_perm("supervision.chase_directory", can_chase_directory)
rules.add_perm("supervision.view_library", rules.predicates.is_superuser | has_institution)
rules.add_perm("supervision.add_typicalcase", can_create_typical_case)
rules.add_perm("supervision.change_typicalcase", can_change_typical_case)
rules.add_perm("supervision.circulate_typicalcase", can_change_typical_case)
rules.add_perm("supervision.confirm_read", can_confirm_read)
rules.add_perm("supervision.view_enforcementcase", can_view_enforcement)
rules.add_perm("supervision.add_enforcementcase", can_open_enforcement)
rules.add_perm("supervision.change_enforcementcase", can_close_enforcement)

# The admin only reads these rows (writes go through supervision.services, which
# masks and notifies); the office's staff and system administrators read them there.
_admin_reader = rules.predicates.is_superuser | is_regulator | is_sysadmin
for _model in ("typicalcase", "circulation", "casereadreceipt"):
    rules.add_perm(f"supervision.view_{_model}", _admin_reader)

# Measures and rectification items keep their predicates beside their domain;
# importing the module registers their permissions.
from .measures import rules as _measure_rules  # noqa: E402, F401
