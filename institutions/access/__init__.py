"""The access policy: the one place that decides what a user may see and do.

Every list, count, export, report, admin page, API endpoint and task starts from the
scoping functions here; views never re-implement a rule. The model of scope:

* a teller or handler sees their own institution only;
* an institution complaint manager (and a system administrator placed in a bank)
  sees their institution's whole subtree;
* a regulator supervisor (or anyone placed in a supervising office) sees every
  institution in that office's jurisdiction;
* a superuser sees everything; a user without an institution sees nothing.

Objects outside the scope are *not found* (404), never "forbidden": ids cannot be
probed, and a 403 page would confirm that the object exists.

The core scoping (which institutions a user reaches, as filters and as predicates)
is here and nowhere else. Each domain's predicates live beside the domain, built only
from these functions: ``complaints.rules``, ``supervision.rules``,
``evaluation.rules``, ``publicity.rules``, ``reports.rules``, ``deadlines.rules``.
django-rules' autodiscovery imports every app's ``rules`` module at start-up, which
registers their permissions; ``institutions`` itself imports no app above it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .. import tree
from ..enums import Role
from ..models import Institution

if TYPE_CHECKING:
    from ..models import User

NOTHING = Q(pk__in=[])


def home_institution(user: User) -> Institution:
    """The institution a user works at. Callers ask only for users whose scope says
    they have one (scope "own", "subtree" or "jurisdiction"); one without is refused
    rather than crashed, so a mistaken caller fails closed."""
    institution = user.institution
    if institution is None:
        raise PermissionDenied
    return institution


def scope_kind(user: User) -> str:
    if not user.is_authenticated or not user.is_active:
        return "none"
    if user.is_superuser:
        return "all"
    if user.institution is None:
        return "none"
    if user.institution.is_regulator:
        return "jurisdiction"
    if user.role in (Role.MANAGER, Role.SYSADMIN):
        return "subtree"
    if user.role in (Role.TELLER, Role.HANDLER):
        return "own"
    return "none"


def scope_key(user: User) -> tuple[str, int | None]:
    """What the user's institution scope depends on, as a hashable key (for lists
    kept per scope, such as ``institutions.options``): the kind of scope and the
    institution it starts from. A change of the tree itself changes the options'
    revision, not this key."""
    kind = scope_kind(user)
    return kind, (user.institution_id if kind in ("own", "subtree", "jurisdiction") else None)


def institution_q(user: User, field: str = "") -> Q:
    """A filter on the institution reached through ``field`` (a lookup path such as
    ``"handling_institution"``, or ``""`` for Institution itself) that keeps only what
    ``user`` may see. Every scoped query in the project is built from this."""
    kind = scope_kind(user)
    prefix = f"{field}__" if field else ""
    if kind == "all":
        return Q()
    if kind == "none":
        return NOTHING
    inst = home_institution(user)
    if kind == "own":
        return Q(**{f"{prefix}pk": inst.pk})
    if kind == "subtree":
        return tree.subtree_q(inst, field)
    return tree.jurisdiction_q(inst, field)


def scope(user: User, queryset: QuerySet, *fields: str) -> QuerySet:
    """Keep the rows of ``queryset`` whose institution through any of ``fields`` is
    visible to ``user`` (OR across fields: a complaint is visible to the accepting
    and to the handling institution)."""
    if scope_kind(user) == "all":
        # Not an OR of empty filters: ``Q(pk__in=[]) | Q()`` is still the empty set.
        return queryset
    q = NOTHING
    for field in fields:
        q |= institution_q(user, field)
    if not fields:
        q = institution_q(user)
    return queryset.filter(q)


def institutions_visible_to(user: User) -> QuerySet[Institution]:
    return scope(user, Institution.objects.all())


def institution_get_for_user(user: User, pk: int) -> Institution:
    """Fetch an institution the user may see, or raise 404 (missing and not visible
    answer the same)."""
    try:
        return institutions_visible_to(user).get(pk=pk)
    except (Institution.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_see_institution(user: User, institution: Institution | None) -> bool:
    if institution is None:
        return False
    kind = scope_kind(user)
    if kind == "all":
        return True
    if kind == "none":
        return False
    own = home_institution(user)
    if kind == "own":
        return institution.pk == own.pk
    if kind == "subtree":
        return tree.is_within(institution, own)
    return institution.pk == own.pk or institution.regulator_id == own.pk


# --- Predicates (django-rules): what a user may do --------------------------------------


@rules.predicate
def has_institution(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.institution_id)


@rules.predicate
def is_regulator(user) -> bool:
    return bool(
        user.is_authenticated
        and user.role == Role.REGULATOR
        and user.institution_id
        and user.institution.is_regulator
    )


@rules.predicate
def is_manager(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.MANAGER and user.institution_id)


@rules.predicate
def is_handler(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.HANDLER and user.institution_id)


@rules.predicate
def is_sysadmin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.SYSADMIN))


# Institutions and staff are kept by system administrators in the admin; regulators
# read the tree of their jurisdiction there.
rules.add_perm("institutions.view_institution", is_sysadmin | is_regulator)
rules.add_perm("institutions.add_institution", is_sysadmin)
rules.add_perm("institutions.change_institution", is_sysadmin)
rules.add_perm("institutions.delete_institution", rules.predicates.is_superuser)
rules.add_perm("institutions.view_user", is_sysadmin | is_regulator)
rules.add_perm("institutions.add_user", is_sysadmin)
rules.add_perm("institutions.change_user", is_sysadmin)
rules.add_perm("institutions.delete_user", is_sysadmin)


def can_use_admin(user) -> bool:
    """Only the office's staff and system administrators work in the admin site."""
    return bool(is_sysadmin(user) or is_regulator(user))
