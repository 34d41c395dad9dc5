"""Reads of the training records: every list starts from ``rules.training_q`` (or
``rules.people_q`` for trainees), and the figures are one grouped query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from institutions import tree
from institutions.models import Institution, User

from . import rules
from .models import Trainee, TrainingSession

ZERO = Decimal("0.0")


@dataclass(frozen=True)
class TrainingFigures:
    sessions: int = 0
    trainees: int = 0
    person_hours: Decimal = ZERO


def training_figures(
    *, institutions: Sequence[Institution], starts_on: date, ends_on: date
) -> dict[int, TrainingFigures]:
    """The training figures of each institution's subtree for sessions held from
    ``starts_on`` to ``ends_on`` (both days included), counted over trainee rows whose
    institution lies in the subtree (the organiser does not matter):

    * ``sessions``     = number of distinct sessions with at least one such trainee;
    * ``trainees``     = number of such trainee rows (a person at two sessions counts twice);
    * ``person_hours`` = Σ over those rows of the session's hours.

    One grouped query; a node under two of ``institutions`` counts for the first that
    holds it (``tree.which_subtree``). Every institution asked for has an entry."""
    institutions = list(institutions)
    if not institutions:
        return {}
    rows = (
        Trainee.objects.filter(
            tree.under_any_q(institutions, "institution"),
            session__held_on__gte=starts_on,
            session__held_on__lte=ends_on,
        )
        .order_by()
        .values(group=tree.which_subtree(institutions, "institution"))
        .annotate(
            sessions=Count("session", distinct=True),
            trainees=Count("pk"),
            person_hours=Coalesce(
                Sum("session__hours"),
                Value(ZERO),
                output_field=DecimalField(max_digits=12, decimal_places=1),
            ),
        )
    )
    found = {
        row["group"]: TrainingFigures(row["sessions"], row["trainees"], row["person_hours"])
        for row in rows
        if row["group"] is not None
    }
    return {inst.pk: found.get(inst.pk, TrainingFigures()) for inst in institutions}


def training_list(
    user: User, *, starts_on: date | None = None, ends_on: date | None = None
) -> QuerySet[TrainingSession]:
    """The sessions the user sees, newest first, with their visible trainee count."""
    qs = rules.training_list_for_user(user).select_related("organiser")
    if starts_on:
        qs = qs.filter(held_on__gte=starts_on)
    if ends_on:
        qs = qs.filter(held_on__lte=ends_on)
    return qs.annotate(
        visible_trainees=Count("trainees", filter=rules.people_q(user, "trainees__institution"))
    ).order_by("-held_on", "-pk")


def trainees_for(user: User, session: TrainingSession) -> QuerySet[Trainee]:
    """The trainees of a session the user may see (their own staff only, for a
    session someone else organised)."""
    return session.trainees.filter(rules.people_q(user)).select_related("institution", "user")


def staff_get_for_user(user: User, pk) -> User:
    """A staff member within the user's scope, or 404."""
    try:
        return User.objects.select_related("institution").get(
            rules.people_q(user), pk=pk, institution__isnull=False
        )
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def staff_history(staff: User) -> QuerySet[Trainee]:
    """Every session the staff member attended, newest first (the caller fetched
    ``staff`` through :func:`staff_get_for_user`)."""
    return (
        Trainee.objects.filter(user=staff)
        .select_related("session", "session__organiser")
        .order_by("-session__held_on", "-session_id")
    )


def staff_choices(user: User) -> QuerySet[User]:
    """The accounts a recorder may name as trainees: active staff of the scope."""
    return (
        User.objects.filter(rules.people_q(user), is_active=True, institution__isnull=False)
        .select_related("institution")
        .order_by("institution__path", "full_name", "username")
    )


def institution_trainees(
    user: User, institution: Institution, *, starts_on: date, ends_on: date
) -> QuerySet[Trainee]:
    """The trainee rows behind an institution's figures (the rows the figures count)."""
    return (
        Trainee.objects.filter(
            rules.people_q(user),
            tree.subtree_q(institution, "institution"),
            session__held_on__gte=starts_on,
            session__held_on__lte=ends_on,
        )
        .select_related("session", "institution", "user")
        .order_by("-session__held_on", "session_id", "name")
    )
