"""What every appraisal service shares: the permission and state checks, the
period lock and the log row."""

from __future__ import annotations

from django.utils.translation import gettext as _

from institutions.models import User

from .. import rules as access
from ..enums import PeriodStatus
from ..errors import AppraisalError, PermissionRefused
from ..models import AppraisalLog, AppraisalPeriod, IndicatorScheme, ScoreSheet

P = PeriodStatus


def require_scorer(actor: User, period: AppraisalPeriod) -> None:
    """The role: only the office's staff of ``period`` (``evaluation.score``)."""
    if not actor.has_perm("evaluation.score", period):
        raise PermissionRefused(_("只有本考核机构的监管人员可以进行此操作。"))


def require_scorable(period: AppraisalPeriod) -> None:
    """The state: ``rules.period_is_open_for_scoring``; published results are fixed."""
    if not access.period_is_open_for_scoring(period):
        raise AppraisalError(
            _("考核期“%(name)s”已%(status)s，不能再修改评分。")
            % {"name": period.name, "status": period.get_status_display()},
            code="not_scorable",
        )


def scheme_of(period: AppraisalPeriod) -> IndicatorScheme:
    """The period's scheme: every period has one from ``period_setup`` on, so a
    period without one is refused rather than half-processed."""
    scheme = period.scheme
    if scheme is None:
        raise AppraisalError(
            _("考核期“%(name)s”尚无指标方案。") % {"name": period.name}, code="no_scheme"
        )
    return scheme


def lock_period(period: AppraisalPeriod) -> AppraisalPeriod:
    # of=self: the scheme join is nullable (an outer join), which PostgreSQL cannot lock.
    return (
        AppraisalPeriod.objects.select_for_update(of=("self",))
        .select_related("scheme")
        .get(pk=period.pk)
    )


def log_action(
    period: AppraisalPeriod,
    actor: User | None,
    action: str,
    note: str = "",
    sheet: ScoreSheet | None = None,
) -> None:
    """One audit row; written explicitly by each service, never by a signal."""
    AppraisalLog.objects.create(
        period=period, sheet=sheet, actor=actor, action=action, note=note[:2000]
    )
