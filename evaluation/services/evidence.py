"""Evidence files supporting a score: the office's working papers. Attaching and
deleting one are both the scorer's, while the period is open for scoring, and both
leave a row in the appraisal log."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from institutions.models import User

from ..enums import AppraisalAction
from ..errors import AppraisalError
from ..models import Evidence, Indicator, ScoreSheet
from ..validators import inspect_evidence
from .base import lock_period, log_action, require_scorable, require_scorer


@transaction.atomic
def evidence_attach(
    *, actor: User, sheet: ScoreSheet, indicator: Indicator, file: File, description: str = ""
) -> Evidence:
    """Keep a file supporting a score: checked by content (validators), stored under
    a random name; refused whole if anything is wrong."""
    require_scorer(actor, sheet.period)
    require_scorable(sheet.period)
    if indicator.scheme_id != sheet.period.scheme_id:
        raise AppraisalError(_("该指标不属于本考核期的指标方案。"), code="indicator")
    try:
        info = inspect_evidence(file)
    except ValidationError as exc:
        raise AppraisalError(messages=exc.messages, code="evidence_file") from None
    evidence = Evidence(
        sheet=sheet,
        indicator=indicator,
        original_name=(getattr(file, "name", "") or "").rsplit("/", 1)[-1][:120],
        content_type=info.content_type,
        size=info.size,
        description=(description or "").strip()[:200],
        uploaded_by=actor,
    )
    evidence.file.save(f"{evidence.pk.hex}.{info.extension}", file, save=False)
    evidence.save()
    log_action(
        sheet.period,
        actor,
        AppraisalAction.ATTACH_EVIDENCE,
        f"{indicator.code}: {evidence.original_name}",
        sheet=sheet,
    )
    return evidence


@transaction.atomic
def evidence_delete(*, actor: User, evidence: Evidence) -> None:
    """Remove an evidence file: the period's scorer, while it is open for scoring
    (the period row is locked so a publication cannot slip in between). The log keeps
    what was removed; the stored file goes once the deletion is committed, so a
    rolled-back deletion never loses it. Deleting one already gone does nothing."""
    sheet = evidence.sheet
    period = lock_period(sheet.period)
    require_scorer(actor, period)
    require_scorable(period)
    current = Evidence.objects.select_related("indicator").filter(pk=evidence.pk).first()
    if current is None:
        return
    storage, name = current.file.storage, current.file.name
    current.delete()
    log_action(
        period,
        actor,
        AppraisalAction.DELETE_EVIDENCE,
        f"{current.indicator.code}: {current.original_name}",
        sheet=sheet,
    )
    if name:
        transaction.on_commit(lambda: storage.delete(name))
