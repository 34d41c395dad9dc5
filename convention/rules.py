"""Who sees and does what with the county convention (公约).

* The **supervising office**'s supervisors publish versions of their office's
  convention, record signatures for institutions of their jurisdiction and see who
  has and has not signed.
* An institution's **complaint managers** read their office's convention and see
  and record the signatures of their own subtree.
* Everyone else sees nothing here (the public sees the signatories on the portal's
  directory). Versions of another office and signatures outside the scope are *not
  found* (404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.db.models import Q

from institutions import tree
from institutions.access import (
    NOTHING,
    can_see_institution,
    institution_q,
    is_manager,
    is_regulator,
)
from institutions.enums import InstitutionKind

if TYPE_CHECKING:
    from institutions.models import Institution, User


def _superuser(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def _desk(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.institution_id
        and (is_regulator(user) or is_manager(user))
    )


def office_of(user: User) -> int | None:
    """The office whose convention applies to the user (an office is its own)."""
    if user.institution is None:
        return None
    return tree.supervising_office_id(user.institution)


def versions_q(user: User) -> Q:
    if _superuser(user):
        return Q()
    office = office_of(user) if _desk(user) else None
    return Q(office_id=office) if office else NOTHING


def signatures_q(user: User) -> Q:
    if _superuser(user):
        return Q()
    if not _desk(user):
        return NOTHING
    return institution_q(user, "institution")


@rules.predicate
def can_view_convention(user) -> bool:
    return bool(_superuser(user) or _desk(user))


@rules.predicate
def can_publish_convention(user) -> bool:
    return bool(_superuser(user) or (_desk(user) and is_regulator(user)))


@rules.predicate
def can_sign_for(user, institution: Institution | None = None) -> bool:
    """The office for an institution of its jurisdiction, a manager for its own
    subtree; an office itself does not sign."""
    if not (_superuser(user) or _desk(user)):
        return False
    if institution is None:
        return True
    if institution.kind == InstitutionKind.REGULATOR:
        return False
    return _superuser(user) or can_see_institution(user, institution)


rules.add_perm("convention.view_conventionversion", can_view_convention)
rules.add_perm("convention.add_conventionversion", can_publish_convention)
rules.add_perm("convention.change_conventionversion", can_publish_convention)
rules.add_perm("convention.view_conventionsignature", can_view_convention)
rules.add_perm("convention.add_conventionsignature", can_sign_for)
rules.add_perm("convention.delete_conventionsignature", rules.predicates.is_superuser)
rules.add_perm("convention.delete_conventionversion", rules.predicates.is_superuser)
