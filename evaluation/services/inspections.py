"""Inspections planned for the institutions under key supervision."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from institutions.models import User

from .. import selectors
from ..models import AppraisalPeriod, Inspection
from .base import require_scorer


@transaction.atomic
def inspections_plan_for_key_supervision(
    *, actor: User, period: AppraisalPeriod, kind: str, planned_on: date, subject: str
) -> int:
    """Plan an inspection of every institution ``period`` put under key supervision
    that has none planned from this period yet. Returns how many were planned."""
    require_scorer(actor, period)
    created = 0
    for sheet in selectors.key_supervision_list(period=period):
        if sheet.inspections.exists():
            continue
        Inspection.objects.create(
            regulator_id=period.regulator_id,
            institution=sheet.institution,
            source_sheet=sheet,
            kind=kind,
            subject=subject,
            planned_on=planned_on,
            created_by=actor,
        )
        created += 1
    return created
