"""Who sees and does what with supervisory measures and rectification items.

* **Measures** are the office's log: its supervisors record them for institutions of
  their jurisdiction and see them all; an institution's complaint managers read the
  measures addressed to their own subtree (read-only). Nobody else sees any.
* **Rectification items** are seen by the office over its jurisdiction and by the
  staff of the institution concerned in their own scope (managers over their
  subtree, handlers at their own institution). The *overseer* accepts or returns an
  answer: the supervising office for an item it opened, or — for root-cause tracing
  inside a bank (投诉溯源整改) — the bank node whose manager opened it for an outlet
  below, whose managers (and those above) then play the accepting role. The staff
  who see the item's institution and are not on the accepting side answer it, so
  nobody accepts their own answer.
* Anything outside the scope is *not found* (404), like everywhere in the policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.db.models import Q, QuerySet
from django.http import Http404

from institutions import tree
from institutions.access import (
    NOTHING,
    can_see_institution,
    institution_q,
    is_handler,
    is_manager,
    is_regulator,
    is_sysadmin,
)

if TYPE_CHECKING:
    from institutions.models import Institution, User

    from .models import Measure, RectificationItem


def _superuser(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.institution_id)


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Measures ----------------------------------------------------------------------------


def measure_q(user: User) -> Q:
    """The one visibility of measures: lists, counts, sheets and the admin start here."""
    if _superuser(user):
        return Q()
    if not _active(user) or not (is_regulator(user) or is_manager(user)):
        return NOTHING
    return institution_q(user, "institution")


def measure_list_for_user(user: User, queryset: QuerySet | None = None) -> QuerySet:
    from .models import Measure

    qs = Measure.objects.all() if queryset is None else queryset
    return qs.filter(measure_q(user))


def measure_get_for_user(user: User, pk, *, queryset: QuerySet | None = None) -> Measure:
    """A measure the user may see, or 404 (missing and not visible alike)."""
    return _get(measure_list_for_user(user, queryset), pk)


@rules.predicate
def can_view_measures(user) -> bool:
    return bool(_superuser(user) or (_active(user) and (is_regulator(user) or is_manager(user))))


@rules.predicate
def can_record_measure(user, institution: Institution | None = None) -> bool:
    """The office's supervisors, for an institution (not an office) of their
    jurisdiction."""
    if not is_regulator(user):
        return False
    if institution is None:
        return True
    return not institution.is_regulator and can_see_institution(user, institution)


# --- Rectification items -----------------------------------------------------------------


def rectification_q(user: User) -> Q:
    """The one visibility of items (see the module docstring)."""
    if _superuser(user):
        return Q()
    if not _active(user) or not (is_regulator(user) or is_manager(user) or is_handler(user)):
        return NOTHING
    return institution_q(user, "institution")


def rectification_list_for_user(user: User, queryset: QuerySet | None = None) -> QuerySet:
    from .models import RectificationItem

    qs = RectificationItem.objects.all() if queryset is None else queryset
    return qs.filter(rectification_q(user))


def rectification_get_for_user(
    user: User, pk, *, queryset: QuerySet | None = None
) -> RectificationItem:
    """An item the user may see, or 404 (missing and not visible alike)."""
    return _get(rectification_list_for_user(user, queryset), pk)


@rules.predicate
def can_view_rectification(user) -> bool:
    return bool(
        _superuser(user)
        or (_active(user) and (is_regulator(user) or is_manager(user) or is_handler(user)))
    )


@rules.predicate
def can_open_rectification(user, institution: Institution | None = None) -> bool:
    """The office for an institution of its jurisdiction; a complaint manager for an
    institution strictly below their own (root-cause tracing for an outlet)."""
    if is_regulator(user):
        return institution is None or (
            not institution.is_regulator and can_see_institution(user, institution)
        )
    if not (_active(user) and is_manager(user)):
        return False
    if institution is None:
        return True
    return institution.pk != user.institution_id and tree.is_within(institution, user.institution)


@rules.predicate
def can_decide_rectification(user, item: RectificationItem | None = None) -> bool:
    """The overseer's side: the office that opened the item, or the managers of the
    bank node that opened it and of the nodes above."""
    if _superuser(user):
        return True
    if item is None:
        return bool(is_regulator(user) or (_active(user) and is_manager(user)))
    if item.overseer.is_regulator:
        return bool(is_regulator(user) and user.institution_id == item.overseer_id)
    return bool(_active(user) and is_manager(user) and can_see_institution(user, item.overseer))


@rules.predicate
def can_answer_rectification(user, item: RectificationItem | None = None) -> bool:
    """The institution's own staff in scope, not on the accepting side."""
    if not (_active(user) and (is_manager(user) or is_handler(user))):
        return False
    if item is None:
        return True
    return can_see_institution(user, item.institution) and not can_decide_rectification(user, item)


rules.add_perm("supervision.view_measures", can_view_measures)
rules.add_perm("supervision.record_measure", can_record_measure)
rules.add_perm("supervision.view_rectification", can_view_rectification)
rules.add_perm("supervision.open_rectification", can_open_rectification)
rules.add_perm("supervision.decide_rectification", can_decide_rectification)
rules.add_perm("supervision.answer_rectification", can_answer_rectification)

# The admin only reads these rows (writes go through the services).
_admin_reader = rules.predicates.is_superuser | is_regulator | is_sysadmin
for _model in ("measure", "rectificationitem", "rectificationevent", "supervisorydocument"):
    rules.add_perm(f"supervision.view_{_model}", _admin_reader)
