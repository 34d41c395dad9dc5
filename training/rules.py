"""Who sees and records training (消保培训).

* An institution's **complaint managers** record the trainings of their own subtree
  and see every session organised in it or attended by its staff; of a session run
  by someone else (the office) they see only their own staff among the trainees.
* The **supervising office**'s supervisors record the trainings the office
  organises and see every session and trainee of their jurisdiction.
* Nobody else sees anything, and a session, staff member or institution outside the
  scope is *not found* (404), as everywhere in the access policy.
* Materials are the organiser's (a sign-in sheet names everyone present): they are
  read and added by those who see the organiser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.db.models import Q, QuerySet
from django.http import Http404

from institutions.access import (
    NOTHING,
    can_see_institution,
    institution_q,
    is_manager,
    is_regulator,
)

if TYPE_CHECKING:
    from institutions.models import User
    from training.models import TrainingSession


def _superuser(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def _desk(user) -> bool:
    """A supervisor of an office or an institution's complaint manager."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.institution_id
        and (is_regulator(user) or is_manager(user))
    )


def people_q(user: User, field: str = "institution") -> Q:
    """The trainees (or staff) whose institution the user's desk reaches."""
    if _superuser(user):
        return Q()
    if not _desk(user):
        return NOTHING
    return institution_q(user, field)


def training_q(user: User) -> Q:
    """The one visibility of sessions: organised within the scope, or attended by
    someone working within it."""
    from training.models import Trainee

    if _superuser(user):
        return Q()
    if not _desk(user):
        return NOTHING
    attended = Trainee.objects.filter(institution_q(user, "institution")).values("session_id")
    return institution_q(user, "organiser") | Q(pk__in=attended)


def training_list_for_user(user: User, queryset: QuerySet | None = None) -> QuerySet:
    from training.models import TrainingSession

    qs = TrainingSession.objects.all() if queryset is None else queryset
    return qs.filter(training_q(user))


def training_get_for_user(user: User, pk, *, queryset: QuerySet | None = None) -> TrainingSession:
    """Fetch a session the user may see, or raise 404 (missing and not visible alike)."""
    qs = training_list_for_user(user, queryset)
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@rules.predicate
def can_view_training(user, session=None) -> bool:
    if not (_superuser(user) or _desk(user)):
        return False
    return session is None or training_list_for_user(user).filter(pk=session.pk).exists()


@rules.predicate
def can_record_training(user) -> bool:
    return bool(_superuser(user) or _desk(user))


@rules.predicate
def can_manage_training(user, session=None) -> bool:
    """The organiser's side: materials and corrections."""
    if _superuser(user):
        return True
    if not _desk(user):
        return False
    return session is None or can_see_institution(user, session.organiser)


rules.add_perm("training.view_trainingsession", can_view_training)
rules.add_perm("training.add_trainingsession", can_record_training)
rules.add_perm("training.change_trainingsession", can_manage_training)
rules.add_perm("training.delete_trainingsession", rules.predicates.is_superuser)
