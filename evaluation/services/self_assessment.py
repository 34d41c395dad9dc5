"""The institution's self-assessment (自评估)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institutions.models import User

from .. import rules as access
from .. import selectors
from ..enums import SelfAssessmentStatus
from ..errors import AppraisalError, PermissionRefused
from ..models import AppraisalPeriod, SelfAssessment, SelfAssessmentEntry
from .base import scheme_of


@transaction.atomic
def self_assessment_save(
    *,
    actor: User,
    period: AppraisalPeriod,
    entries: dict[int, tuple[str, Decimal | None]],
    problems_and_measures: str,
    submit: bool,
) -> SelfAssessment:
    """Save (and with ``submit`` report) the self-assessment of the institution the
    actor acts for: text and own score per section (0 to the section's points).
    Once reported it can no longer be changed; reporting after the due date is
    allowed and recorded as late."""
    if not actor.has_perm("evaluation.self_assess", period):
        raise PermissionRefused(_("您无权填写本考核期的自评估。"))
    if not access.period_is_open_for_scoring(period):
        raise AppraisalError(_("考核结果已发布，不能再填写自评估。"), code="state")
    institution = selectors.appraised_for_user(user=actor, period=period)
    if institution is None:
        raise AppraisalError(_("本机构不在本期考核范围内。"), code="not_appraised")
    own, _created = SelfAssessment.objects.select_for_update().get_or_create(
        period=period, institution=institution
    )
    if not access.self_assessment_is_open(period, own):
        raise AppraisalError(_("自评估已报送，不能再修改。"), code="submitted")
    sections = {s.pk: s for s in scheme_of(period).sections.all()}
    for section_id, (text, own_score) in entries.items():
        section = sections.get(section_id)
        if section is None:
            raise AppraisalError(_("评价要素不属于本考核期。"), code="section")
        if own_score is not None and not (0 <= own_score <= section.weight):
            raise AppraisalError(
                _("“%(name)s”的自评得分应在 0 至 %(max)s 之间。")
                % {"name": section.name, "max": section.weight},
                code="own_score",
            )
        SelfAssessmentEntry.objects.update_or_create(
            self_assessment=own,
            section=section,
            defaults={"text": (text or "").strip(), "own_score": own_score},
        )
    own.problems_and_measures = (problems_and_measures or "").strip()
    fields = ["problems_and_measures", "updated_at"]
    if submit:
        own.status = SelfAssessmentStatus.SUBMITTED
        own.submitted_at, own.submitted_by = timezone.now(), actor
        fields += ["status", "submitted_at", "submitted_by"]
    own.save(update_fields=fields)
    return own
