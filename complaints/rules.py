"""Who may see and do what with complaints.

A complaint is visible to whoever can see its handling, accepting or complained-about
institution (the outlet that took it keeps following it: 首问负责制). What a user may
*do* depends on their role and on where the complaint stands; the FSM transitions
name the permissions registered at the bottom of this module.
"""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet
from django.http import Http404

from institutions import tree
from institutions.access import (
    can_see_institution,
    institution_q,
    is_manager,
    is_regulator,
    scope_kind,
)
from institutions.enums import Role
from institutions.models import Institution

from .consumer import is_consumer_actor

SCOPE_FIELDS = ("handling_institution", "accepting_institution", "complained_institution")


def complaint_q(user, through: str = "") -> Q:
    """The complaints whose handling, accepting or complained-about institution the
    user can see; with ``through`` (e.g. ``"complaint"``), the rows of another model
    whose complaint is. This is the one definition of complaint visibility: lists,
    the admin, the API, exports and every getter filter with it.

    For a manager (a subtree) or a supervisor (a jurisdiction) each of the three is
    tested as ``<field>_id IN (SELECT id FROM institution WHERE <institution_q>)``
    rather than through a join: the same rows (the three foreign keys are never null),
    but an OR across three joined institution tables cannot be answered from an index
    and made PostgreSQL join every candidate complaint three times, while this shape
    checks each complaint's own columns against one small hashed set. Own-institution
    scopes already compare the complaint's columns directly."""
    if is_consumer_actor(user):
        # The portal's consumer account (complaints.consumer): the complaints filed on
        # the portal, each reached only after the portal checked the person's code.
        field = f"{through}__submitted_by_consumer" if through else "submitted_by_consumer"
        return Q(**{field: True})
    kind = scope_kind(user)
    if kind == "all":
        return Q()  # a superuser: every complaint (an OR with the empty set would lose it)
    prefix = f"{through}__" if through else ""
    q = Q(pk__in=[])
    if kind in ("subtree", "jurisdiction"):
        reachable = Institution.objects.filter(institution_q(user)).values("pk")
        for field in SCOPE_FIELDS:
            q |= Q(**{f"{prefix}{field}__in": reachable})
        return q
    for field in SCOPE_FIELDS:
        q |= institution_q(user, f"{prefix}{field}")
    return q


def complaints_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Every complaint list, count, export, report and API starts here."""
    from complaints.models import Complaint

    qs = Complaint.objects.all() if queryset is None else queryset
    return qs.filter(complaint_q(user))


def complaint_get_for_user(user, pk, *, queryset: QuerySet | None = None, lock: bool = False):
    """Fetch a complaint the user may see, or raise 404: missing and not-visible
    answer the same, so ids cannot be probed."""
    qs = complaints_visible_to(user, queryset)
    if lock:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_see_complaint(user, complaint) -> bool:
    return any(can_see_institution(user, getattr(complaint, field)) for field in SCOPE_FIELDS)


def managed_handling_q(user) -> Q:
    """``manages_handling`` as a filter: the complaints whose handling institution the
    user manages (a manager over his subtree, the regulator over its jurisdiction);
    nothing for anyone else. The work queues (待分办, 待我审批) start from it."""
    if not manages_some(user):
        return Q(pk__in=[])
    return Q(handling_institution__in=Institution.objects.filter(institution_q(user)).values("pk"))


def _manages(user, institution) -> bool:
    """A manager over the institution (own subtree), or the regulator over it."""
    if institution is None or not user.is_authenticated:
        return False
    if is_regulator(user):
        return can_see_institution(user, institution)
    return bool(is_manager(user) and tree.is_within(institution, user.institution))


def _works_at_handling(user, complaint) -> bool:
    return bool(
        user.is_authenticated
        and user.role in (Role.HANDLER, Role.MANAGER)
        and user.institution_id
        and can_see_institution(user, complaint.handling_institution)
        and _same_or_below(complaint.handling_institution, user.institution)
    )


def _same_or_below(inst, ancestor) -> bool:
    return tree.is_within(inst, ancestor)


# --- Predicates (object-level; ``complaint`` may be None for "in general") -----------


@rules.predicate
def can_register(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.institution_id
        and user.role in (Role.TELLER, Role.HANDLER, Role.MANAGER, Role.REGULATOR)
    )


@rules.predicate
def manages_some(user) -> bool:
    """Whether ``manages_handling`` can hold for the user on any complaint at all: a
    manager or the regulator. Whoever fails it never assigns, approves or archives."""
    return bool(is_manager(user) or is_regulator(user))


@rules.predicate
def manages_handling(user, complaint) -> bool:
    return complaint is not None and _manages(user, complaint.handling_institution)


@rules.predicate
def is_handler_of(user, complaint) -> bool:
    return complaint is not None and complaint.handler_id == user.pk


@rules.predicate
def is_first_responder(user, complaint) -> bool:
    return complaint is not None and complaint.first_responder_id == user.pk


@rules.predicate
def accepted_here(user, complaint) -> bool:
    """Staff of the institution that accepted it (the outlet at the counter)."""
    return bool(
        complaint is not None
        and user.is_authenticated
        and user.institution_id
        and complaint.accepting_institution_id == user.institution_id
    )


@rules.predicate
def sees(user, complaint) -> bool:
    return complaint is not None and can_see_complaint(user, complaint)


@rules.predicate
def is_escalated(user, complaint) -> bool:
    return complaint is not None and complaint.escalation_level > 0


@rules.predicate
def is_major_complaint(user, complaint) -> bool:
    return complaint is not None and complaint.is_major


@rules.predicate
def held_by_the_office(user, complaint) -> bool:
    """Registered at the office and not yet dispatched to a bank."""
    return complaint is not None and complaint.handling_institution.is_regulator


# The office supervises a bank's complaint (urge, assign, refuse, archive) but does not
# ask itself for more time on it or pass it up the bank's hierarchy: that is the
# bank's own handling. On a complaint it still holds itself it acts as the handler.
bank_side = ~is_regulator | held_by_the_office

# 首问负责制 gives the first responder a say only while the case is still where they
# took it: once escalated, the level that now holds it acts (its handler and the
# managers over it), and the outlet that escalated can no longer refuse or close it.
first_responder_holds = is_first_responder & ~is_escalated

# Who may perform each action (the action table in complaints.workflow names these
# permissions). Every predicate also requires that the user can see the complaint.
# A major complaint is refused or transferred only by the managers over the holding
# institution or by the regulator.
can_refuse = sees & (manages_handling | (first_responder_holds & ~is_major_complaint))
can_transfer = sees & (manages_handling | (first_responder_holds & ~is_major_complaint))
can_assign = sees & manages_handling
can_start = sees & is_handler_of
can_escalate = sees & (is_handler_of | (manages_handling & bank_side))
can_request_extension = sees & (is_handler_of | (manages_handling & bank_side))
can_approve_extension = sees & manages_handling
can_supervise = sees & manages_handling
can_resolve = sees & (is_handler_of | manages_handling)
can_answer = sees & (is_handler_of | manages_handling | first_responder_holds)
can_reopen = sees & (is_handler_of | manages_handling | first_responder_holds)
can_archive = sees & manages_handling
can_reverify = sees & (is_handler_of | manages_handling)
# A follow-up call or visit: whoever is working on it, or took it, and can see it.
can_log_contact = sees & (is_handler_of | manages_handling | first_responder_holds)
# The statutory clock (complaints.clock): the bank's side handles it. Pausing and a
# refiling with new facts are the handler's call; extending the statutory limit is
# an approval (the rule pack names the level, checked by the action); withdrawal and
# merging end the case, like a refusal.
can_pause = sees & (is_handler_of | (manages_handling & bank_side))
can_extend_statutory = sees & manages_handling & ~is_regulator
can_withdraw = sees & (is_handler_of | manages_handling | first_responder_holds)
can_merge = sees & (
    is_handler_of | manages_handling | (first_responder_holds & ~is_major_complaint)
)
# The case file: whoever works the case adds evidence (the teller who took it, its
# handler, the managers over it); only a manager over it removes an item (with a
# reason on the timeline).
can_attach_evidence = can_log_contact
can_remove_evidence = sees & manages_handling


@rules.predicate
def is_the_consumer(user, complaint) -> bool:
    """The portal's consumer account on a complaint filed on the portal: the only
    holder of the consumer's own actions (补充材料, 评价, 不满意重新处理)."""
    return bool(
        complaint is not None and is_consumer_actor(user) and complaint.submitted_by_consumer
    )


#: For the permissions behind the work queues and the bulk actions, who could hold
#: them on *some* complaint: the part of the predicate that does not depend on the
#: complaint. The workbench's tiles, the list's queue filter and its checkboxes ask
#: this (through the action table), so nobody is offered a queue they never act on.
ON_SOME = {
    "complaints.assign_complaint": manages_some,
    "complaints.approve_extension": manages_some,
    "complaints.archive_complaint": manages_some,
}


def may_act_on_some(user, permission: str) -> bool:
    """Whether ``permission`` can hold for ``user`` on any complaint (``ON_SOME``)."""
    return bool(ON_SOME[permission](user))


rules.add_perm("complaints.add_complaint", can_register)
rules.add_perm("complaints.refuse_complaint", can_refuse)
rules.add_perm("complaints.transfer_complaint", can_transfer)
rules.add_perm("complaints.assign_complaint", can_assign)
rules.add_perm("complaints.start_complaint", can_start)
rules.add_perm("complaints.escalate_complaint", can_escalate)
rules.add_perm("complaints.request_extension", can_request_extension)
rules.add_perm("complaints.approve_extension", can_approve_extension)
rules.add_perm("complaints.supervise_complaint", can_supervise)
rules.add_perm("complaints.resolve_complaint", can_resolve)
rules.add_perm("complaints.answer_complaint", can_answer)
rules.add_perm("complaints.reopen_complaint", can_reopen)
rules.add_perm("complaints.archive_complaint", can_archive)
rules.add_perm("complaints.reverify_complaint", can_reverify)
rules.add_perm("complaints.log_contact", can_log_contact)
rules.add_perm("complaints.pause_complaint", can_pause)
rules.add_perm("complaints.extend_statutory", can_extend_statutory)
rules.add_perm("complaints.withdraw_complaint", can_withdraw)
rules.add_perm("complaints.merge_complaint", can_merge)
rules.add_perm("complaints.attach_evidence", can_attach_evidence)
rules.add_perm("complaints.remove_evidence", can_remove_evidence)
rules.add_perm("complaints.manage_answer_templates", manages_some)
rules.add_perm("complaints.consumer_add", is_the_consumer)
rules.add_perm("complaints.consumer_rate", is_the_consumer)
rules.add_perm("complaints.consumer_reopen", is_the_consumer)

# --- Personal data --------------------------------------------------------------------


@rules.predicate
def sees_detail_pii(user, complaint) -> bool:
    """The detail-level mask (ID first 6 + last 4, full name): the handling
    institution's handlers and managers, the regulator, and the first responder."""
    return bool(
        sees(user, complaint)
        and (
            is_regulator(user)
            or _works_at_handling(user, complaint)
            or manages_handling(user, complaint)
            or is_first_responder(user, complaint)
        )
    )


@rules.predicate
def may_reveal_pii(user, complaint) -> bool:
    """Full values, behind a logged reveal: the regulator, the handler and the
    managers over the handling institution."""
    return bool(
        sees(user, complaint)
        and (
            is_regulator(user)
            or is_handler_of(user, complaint)
            or manages_handling(user, complaint)
        )
    )


rules.add_perm("complaints.reveal_pii", may_reveal_pii)

# --- Admin ----------------------------------------------------------------------------
admin_reader = rules.predicates.is_superuser | is_regulator
for _model in ("complaint", "timelineentry", "extensionrequest", "urge", "complaintpause"):
    rules.add_perm(f"complaints.view_{_model}", admin_reader | sees)
rules.add_perm("complaints.view_piiaccesslog", rules.predicates.is_superuser | is_regulator)
rules.add_perm("complaints.view_hotlinetransfer", admin_reader)
for _model in ("taxonomycode", "handlingcategory", "statutoryrulepack"):
    rules.add_perm(f"complaints.view_{_model}", admin_reader | rules.predicates.is_staff)
    rules.add_perm(f"complaints.change_{_model}", rules.predicates.is_superuser | is_regulator)
    rules.add_perm(f"complaints.add_{_model}", rules.predicates.is_superuser | is_regulator)
# Answer templates in the admin: the office for its jurisdiction (ScopedAdmin keeps
# the rows and the institution choices within it).
for _perm in ("view", "change", "add"):
    rules.add_perm(f"complaints.{_perm}_answertemplate", admin_reader)

__all__ = ["Http404", "complaint_get_for_user", "complaints_visible_to"]
