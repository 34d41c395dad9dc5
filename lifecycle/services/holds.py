"""Legal holds and consumers' PIPL requests: the writes, each checked against the
access policy (lifecycle.rules) and the domain rules, raising DomainError."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint
from deadlines.snapshot import current as deadline_snapshot
from institutions.errors import DomainError, PermissionRefused

from ..models import LegalHold, PiplRequest
from ..rules import can_manage_holds, can_manage_pipl_requests


def legal_hold_place(*, actor, complaint: Complaint, reason: str, note: str) -> LegalHold:
    """Place a hold; while it is active the complaint is never anonymised. A second
    active hold for the same reason is refused (the first still applies)."""
    if not can_manage_holds(actor, complaint):
        raise PermissionRefused(_("您无权设置法律保全。"))
    if not note.strip():
        raise DomainError(_("请填写保全说明。"))
    with transaction.atomic():
        Complaint.objects.select_for_update().filter(pk=complaint.pk).first()
        if LegalHold.objects.filter(
            complaint=complaint, reason=reason, lifted_at__isnull=True
        ).exists():
            raise DomainError(_("该投诉已有同一事由的有效保全。"))
        return LegalHold.objects.create(
            complaint=complaint, reason=reason, note=note.strip(), placed_by=actor
        )


def legal_hold_lift(*, actor, hold: LegalHold, note: str) -> LegalHold:
    """Lift a hold, recording who, when and why; the row stays."""
    if not can_manage_holds(actor, hold.complaint):
        raise PermissionRefused(_("您无权解除法律保全。"))
    if not note.strip():
        raise DomainError(_("请填写解除说明。"))
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.lifted_at is not None:
            raise DomainError(_("该保全已解除。"))
        hold.lifted_at = timezone.now()
        hold.lifted_by = actor
        hold.lift_note = note.strip()
        hold.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    return hold


def pipl_due_on(received_on: datetime.date) -> datetime.date:
    """The deadline: ``PIPL_REQUEST_WORKING_DAYS`` working days after receipt on the
    deadlines calendar (holidays and make-up working days included)."""
    calendar = deadline_snapshot().calendar
    return calendar.workday_after(received_on, settings.PIPL_REQUEST_WORKING_DAYS)


def pipl_request_record(
    *, actor, kind: str, complaints: list[Complaint], received_on: datetime.date, summary: str
) -> PiplRequest:
    """Record a request with its deadline."""
    if not can_manage_pipl_requests(actor):
        raise PermissionRefused(_("您无权登记个人信息权利请求。"))
    if not complaints:
        raise DomainError(_("请选择请求涉及的投诉。"))
    if received_on > timezone.localdate():
        raise DomainError(_("收到日期不能晚于今天。"))
    with transaction.atomic():
        request = PiplRequest.objects.create(
            kind=kind,
            received_on=received_on,
            due_on=pipl_due_on(received_on),
            summary=summary,
            recorded_by=actor,
        )
        request.complaints.set(complaints)
    return request


def pipl_request_answer(
    *, actor, request: PiplRequest, outcome: str, note: str, answered_on: datetime.date
) -> PiplRequest:
    """Record the answer and who gave it."""
    if not can_manage_pipl_requests(actor):
        raise PermissionRefused(_("您无权办理个人信息权利请求。"))
    if not outcome:
        raise DomainError(_("请选择办理结果。"))
    if answered_on < request.received_on:
        raise DomainError(_("答复日期不能早于收到日期。"))
    request.outcome, request.outcome_note = outcome, note
    request.answered_on, request.handled_by = answered_on, actor
    request.save(update_fields=["outcome", "outcome_note", "answered_on", "handled_by"])
    return request
