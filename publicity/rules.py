"""Who may see and do what with publicity campaigns and their activities.

* An **activity** belongs to the institution that held it: it is visible to whoever
  can see that institution (``scope`` over ``institution``), so bank A's staff never
  see bank B's activities, and the regulator sees its whole jurisdiction.
* A **campaign** is an announcement that flows down the tree: it is visible to those
  who can see its organiser or one of its participants (the office's jurisdiction, a
  manager's subtree), *and* to the staff below them — an outlet sees the campaigns
  of its own bank, of the banks above it and of its supervising office, and the
  campaigns its bank was asked to join. Seeing a campaign never shows another
  institution's activities: every figure is taken from the activity scope.
* Outlet staff (teller, handler, manager) and the office's supervisors record
  activities for the institutions in their scope. The regulator and institution
  managers create campaigns and change the ones whose organiser they can see.

Out-of-scope objects are *not found* (404), like everywhere else in the policy.
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
    home_institution,
    institution_q,
    is_manager,
    is_regulator,
    is_sysadmin,
    scope,
)
from institutions.enums import Role

if TYPE_CHECKING:
    from uuid import UUID

    from institutions.models import User
    from publicity.models import Activity, ActivityPhoto, Campaign

RECORDING_ROLES = (Role.TELLER, Role.HANDLER, Role.MANAGER, Role.REGULATOR)


def _active_with_institution(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.institution_id)


# --- Activities ------------------------------------------------------------------------


def activity_list_for_user(user: User, queryset: QuerySet | None = None) -> QuerySet[Activity]:
    """The activities ``user`` may see. Every activity list, summary, export, photo
    and admin page starts here."""
    from publicity.models import Activity

    return scope(user, Activity.objects.all() if queryset is None else queryset, "institution")


def activity_get_for_user(user: User, pk, *, queryset: QuerySet | None = None) -> Activity:
    """Fetch a visible activity or raise 404: missing and not visible answer the same."""
    qs = activity_list_for_user(user, queryset)
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def photo_get_for_user(user: User, pk: UUID | str) -> ActivityPhoto:
    """Fetch a photo through its activity's scope, or raise 404. The id is a random
    UUID, and a guessed one answers like a missing one."""
    from publicity.models import ActivityPhoto

    qs = scope(user, ActivityPhoto.objects.select_related("activity"), "activity__institution")
    try:
        return qs.get(pk=pk)
    except (ActivityPhoto.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Campaigns -------------------------------------------------------------------------


def _above_and_own(user: User) -> list[int]:
    """Where published material that reaches the user comes from."""
    return tree.with_ancestors_and_office(home_institution(user))


def campaign_q(user: User) -> Q:
    if user.is_authenticated and user.is_active and user.is_superuser:
        return Q()
    if not _active_with_institution(user):
        return NOTHING
    above = _above_and_own(user)
    return (
        institution_q(user, "organiser")
        | Q(organiser_id__in=above)
        | institution_q(user, "participants")
        | Q(participants__in=above)
    )


def campaign_list_for_user(user: User, queryset: QuerySet | None = None) -> QuerySet[Campaign]:
    """The campaigns that reach ``user`` (see the module docstring). The participants
    join is kept in a subquery so that a campaign appears once."""
    from publicity.models import Campaign

    qs = Campaign.objects.all() if queryset is None else queryset
    return qs.filter(pk__in=Campaign.objects.filter(campaign_q(user)).values("pk"))


def campaign_get_for_user(user: User, pk, *, queryset: QuerySet | None = None) -> Campaign:
    """Fetch a campaign that reaches the user, or raise 404."""
    qs = campaign_list_for_user(user, queryset)
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def recordable_institutions(user: User):
    """Institutions the user may record an activity for: the active ones in scope."""
    from institutions.models import Institution

    return scope(user, Institution.objects.filter(is_active=True))


# --- Predicates (object-level; the object may be None for "in general") ---------------


@rules.predicate
def can_view_publicity(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser) or (
        _active_with_institution(user)
    )


@rules.predicate
def can_keep_reference_lists(user) -> bool:
    """The office keeps the lists of topics and audiences (and system administrators)."""
    return bool(is_sysadmin(user) or is_regulator(user))


@rules.predicate
def can_record_activity(user, campaign=None) -> bool:
    """Outlet staff and the office's supervisors record activities; with a campaign,
    only for one that reaches them."""
    if not (_active_with_institution(user) and user.role in RECORDING_ROLES):
        return False
    return campaign is None or campaign_list_for_user(user).filter(pk=campaign.pk).exists()


@rules.predicate
def can_change_activity(user, activity=None) -> bool:
    """Whoever may record may correct the activities they can see."""
    if not (_active_with_institution(user) and user.role in RECORDING_ROLES):
        return False
    return activity is None or can_see_institution(user, activity.institution)


@rules.predicate
def can_create_campaign(user) -> bool:
    return bool(is_regulator(user) or is_manager(user))


@rules.predicate
def can_change_campaign(user, campaign=None) -> bool:
    """The regulator, or a manager of the organiser (the organiser in their scope)."""
    if not can_create_campaign(user):
        return False
    return campaign is None or can_see_institution(user, campaign.organiser)


rules.add_perm("publicity.view_campaign", can_view_publicity)
rules.add_perm("publicity.add_campaign", can_create_campaign)
rules.add_perm("publicity.change_campaign", can_change_campaign)
rules.add_perm("publicity.delete_campaign", rules.predicates.is_superuser)
rules.add_perm("publicity.view_activity", can_view_publicity)
rules.add_perm("publicity.add_activity", can_record_activity)
rules.add_perm("publicity.change_activity", can_change_activity)
rules.add_perm("publicity.delete_activity", can_change_activity)
rules.add_perm("publicity.view_campaign_summary", can_view_publicity)
for _model in ("topic", "audience"):
    rules.add_perm(f"publicity.view_{_model}", can_keep_reference_lists)
    rules.add_perm(f"publicity.add_{_model}", can_keep_reference_lists)
    rules.add_perm(f"publicity.change_{_model}", can_keep_reference_lists)
# Retire entries with "启用" instead: old activities keep pointing at them.
for _model in ("topic", "audience"):
    rules.add_perm(f"publicity.delete_{_model}", rules.predicates.is_superuser)
# Media reports and photos are kept through their activity.
for _model in ("mediareport", "activityphoto"):
    rules.add_perm(f"publicity.view_{_model}", can_view_publicity)
    rules.add_perm(f"publicity.add_{_model}", can_change_activity)
    rules.add_perm(f"publicity.change_{_model}", can_change_activity)
    rules.add_perm(f"publicity.delete_{_model}", can_change_activity)
