"""Writes of the appraisal, one module per subdomain: ``periods`` (create, start
scoring, publish, close, next), ``schemes`` (the period's scheme copy and its sheets),
``totals`` (recompute and the derived totals, ranks, grades and proposals),
``scores`` (manual scores, imports, key-supervision decisions), ``evidence``,
``self_assessment`` and ``inspections``; ``base`` holds the lock and the log.

Every function checks the permission itself (``evaluation.rules``; views and the
admin only call it), runs in one transaction, locks the period row when it changes
totals (two supervisors recomputing and scoring at once must not interleave), and
writes an ``AppraisalLog`` row. Refusals are ``AppraisalError`` (a business rule)
or ``PermissionRefused`` (the role), both ``institutions.errors.DomainError``.

Callers in the app import from the submodule; the names below stay importable from
the package for the tests and the demo's scripts.
"""

from .evidence import evidence_attach, evidence_delete
from .inspections import inspections_plan_for_key_supervision
from .periods import (
    period_close,
    period_create,
    period_create_next,
    period_label,
    period_publish,
    period_setup,
    period_start_scoring,
    publish_problems,
)
from .schemes import scheme_copy, scheme_copy_from_previous, sheets_ensure
from .scores import key_supervision_decide, parse_score, score_record, scores_record_many
from .self_assessment import self_assessment_save
from .totals import period_recompute, totals_refresh

__all__ = [
    "evidence_attach",
    "evidence_delete",
    "inspections_plan_for_key_supervision",
    "key_supervision_decide",
    "parse_score",
    "period_close",
    "period_create",
    "period_create_next",
    "period_label",
    "period_publish",
    "period_recompute",
    "period_setup",
    "period_start_scoring",
    "publish_problems",
    "scheme_copy",
    "scheme_copy_from_previous",
    "score_record",
    "scores_record_many",
    "self_assessment_save",
    "sheets_ensure",
    "totals_refresh",
]
