"""Who sees and does what in a mediation (金融纠纷调解).

* The **supervising office** of the institution concerned runs the mediation: its
  supervisors see every case whose institution is in their jurisdiction and take
  every step (``mediation.manage_mediationcase``).
* The institution's **complaint managers** see the cases of their own subtree and,
  as the institution party, record the institution's consent and the performance of
  the agreement (``mediation.respond_mediationcase``).
* Nobody else sees anything: a case outside the scope is *not found* (404), like
  everywhere in the access policy (the office of another county, the other bank,
  tellers and handlers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.db.models import Q, QuerySet
from django.http import Http404

from complaints.rules import can_see_complaint
from institutions.access import (
    NOTHING,
    can_see_institution,
    institution_q,
    is_manager,
    is_regulator,
)

if TYPE_CHECKING:
    from institutions.models import User
    from mediation.models import MediationCase


def _superuser(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.institution_id)


def mediation_q(user: User) -> Q:
    """The one visibility of mediation cases: lists, counts, prints and the admin
    start from it."""
    if _superuser(user):
        return Q()
    if not _active(user) or not (is_regulator(user) or is_manager(user)):
        return NOTHING
    return institution_q(user, "institution")


def mediation_list_for_user(user: User, queryset: QuerySet | None = None) -> QuerySet:
    from mediation.models import MediationCase

    qs = MediationCase.objects.all() if queryset is None else queryset
    return qs.filter(mediation_q(user))


def mediation_get_for_user(user: User, pk, *, queryset: QuerySet | None = None) -> MediationCase:
    """Fetch a case the user may see, or raise 404 (missing and not visible alike)."""
    qs = mediation_list_for_user(user, queryset)
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@rules.predicate
def can_view_mediation(user) -> bool:
    """The list page: the office's supervisors and institution managers."""
    return bool(_superuser(user) or (_active(user) and (is_regulator(user) or is_manager(user))))


@rules.predicate
def can_manage_mediation(user, case=None) -> bool:
    """The office runs the mediation of an institution in its jurisdiction."""
    if _superuser(user):
        return True
    if not is_regulator(user):
        return False
    return case is None or can_see_institution(user, case.institution)


@rules.predicate
def can_respond_mediation(user, case=None) -> bool:
    """The institution party's managers: consent and performance of their own case."""
    if not (_active(user) and is_manager(user)):
        return False
    return case is None or can_see_institution(user, case.institution)


@rules.predicate
def can_open_mediation(user, complaint=None) -> bool:
    """The office's supervisors, from a complaint they can see (or directly)."""
    if not (_superuser(user) or is_regulator(user)):
        return False
    return complaint is None or can_see_complaint(user, complaint)


rules.add_perm("mediation.view_mediationcase", can_view_mediation)
rules.add_perm("mediation.add_mediationcase", can_open_mediation)
rules.add_perm("mediation.manage_mediationcase", can_manage_mediation)
rules.add_perm("mediation.respond_mediationcase", can_respond_mediation)

# The roster is kept by the office's supervisors in the admin.
_roster = rules.predicates.is_superuser | is_regulator
for _verb in ("view", "add", "change"):
    rules.add_perm(f"mediation.{_verb}_mediator", _roster)
rules.add_perm("mediation.delete_mediator", rules.predicates.is_superuser)
