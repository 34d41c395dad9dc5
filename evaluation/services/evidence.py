"""Evidence files supporting a score: the office's working papers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from institutions.models import User

from ..errors import AppraisalError
from ..models import Evidence, Indicator, ScoreSheet
from ..validators import inspect_evidence
from .base import require_scorable, require_scorer


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
    return evidence
