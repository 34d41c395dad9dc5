"""Reads of the convention: the version in force, who signed it, and the figures the
appraisal and the public directory ask for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from institutions import access, tree
from institutions.models import Institution, User

from . import rules
from .models import ConventionSignature, ConventionVersion


def _in_force(office, as_of: date) -> QuerySet[ConventionVersion]:
    """Versions of ``office`` (a pk or an expression) in force on ``as_of``, the one
    in force first: active, effective on or before the day, latest effective date
    (then latest published) wins."""
    return ConventionVersion.objects.filter(
        office_id=office, active=True, effective_on__lte=as_of
    ).order_by("-effective_on", "-pk")


def current_version(office_id: int | None, as_of: date | None = None) -> ConventionVersion | None:
    if office_id is None:
        return None
    return _in_force(office_id, as_of or timezone.localdate()).first()


def signed_by(*, institutions: Sequence[Institution], as_of: date) -> dict[int, bool]:
    """Whether each institution's subtree had signed, on or before ``as_of``, the
    version of the convention in force on ``as_of`` for its supervising office:

        signed(I) = ∃ signature s: s.institution ∈ subtree(I)
                                  ∧ s.signed_on ≤ as_of
                                  ∧ s.version = the version in force on as_of
                                    for s.institution's office

    (a signature of an earlier version no longer counts once a new one is in force;
    no version in force → False). One grouped query; a node under two of
    ``institutions`` counts for the first that holds it (``tree.which_subtree``)."""
    institutions = list(institutions)
    if not institutions:
        return {}
    in_force = _in_force(OuterRef("institution__regulator_id"), as_of).values("pk")[:1]
    rows = (
        ConventionSignature.objects.filter(
            tree.under_any_q(institutions, "institution"), signed_on__lte=as_of
        )
        .filter(version_id=Subquery(in_force))
        .order_by()
        .values_list(tree.which_subtree(institutions, "institution"))
        .annotate(n=Count("pk"))
    )
    found = {group: n > 0 for group, n in rows if group is not None}
    return {inst.pk: found.get(inst.pk, False) for inst in institutions}


def versions_for_user(user: User) -> QuerySet[ConventionVersion]:
    return ConventionVersion.objects.filter(rules.versions_q(user)).select_related("office")


def version_get_for_user(user: User, pk) -> ConventionVersion:
    """A version of the user's office's convention, or 404."""
    try:
        return versions_for_user(user).get(pk=pk)
    except (ConventionVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def signatures_for_user(user: User) -> QuerySet[ConventionSignature]:
    return ConventionSignature.objects.filter(rules.signatures_q(user)).select_related(
        "institution", "version", "recorded_by"
    )


@dataclass
class SignatureRow:
    institution: Institution
    signature: ConventionSignature | None


def signature_status(user: User, version: ConventionVersion) -> list[SignatureRow]:
    """The banks of the user's scope (tops of banks; an office's whole jurisdiction)
    with the signature of ``version`` recorded in each bank's subtree, if any: the
    office's list to chase. Two queries."""
    banks = list(
        access.institutions_visible_to(user)
        .filter(tree.bank_roots_q(), is_active=True, regulator_id=version.office_id)
        .order_by("path")
    )
    by_bank: dict[int, ConventionSignature] = {}
    for sig in signatures_for_user(user).filter(version=version).order_by("signed_on", "pk"):
        by_bank.setdefault(tree.bank_root_id(sig.institution), sig)
    return [SignatureRow(b, by_bank.get(b.pk)) for b in banks]


def public_signatures(
    institutions: Sequence[Institution], *, inherit: bool = True, as_of: date | None = None
) -> dict[int, ConventionSignature]:
    """For the public directory: for each institution, the signature of the version
    in force by the institution itself or (``inherit``) by its nearest ancestor (a
    bank signs for its outlets). Only name-free facts are shown (version, date).
    One query."""
    as_of = as_of or timezone.localdate()
    wanted = {
        pk for inst in institutions for pk in (tree.ancestor_ids(inst) if inherit else [inst.pk])
    }
    if not wanted:
        return {}
    in_force = _in_force(OuterRef("version__office_id"), as_of).values("pk")[:1]
    sigs = {
        s.institution_id: s
        for s in ConventionSignature.objects.filter(institution_id__in=wanted, signed_on__lte=as_of)
        .filter(version_id=Subquery(in_force))
        .select_related("version")
        .only("institution_id", "signed_on", "version__label")
    }
    found = {}
    for inst in institutions:
        for pk in reversed(tree.ancestor_ids(inst)) if inherit else [inst.pk]:
            if pk in sigs:
                found[inst.pk] = sigs[pk]
                break
    return found
