"""The retention periods in force: the admin's policy row over the settings, never
below the legal minimum, and the cut-off times they give at a moment."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings

from .models import MIN_ACCESS_LOG_MONTHS, MIN_COMPLAINT_YEARS, RetentionPolicy


@dataclass(frozen=True)
class Policy:
    complaint_years: int
    access_log_months: int
    notice_months: int
    report_pack_years: int

    def cutoffs(self, now: datetime.datetime) -> Cutoffs:
        """Rows older than these (closed before, logged before, made before) are due."""
        return Cutoffs(
            complaints=now - relativedelta(years=self.complaint_years),
            access_logs=now - relativedelta(months=self.access_log_months),
            notices=now - relativedelta(months=self.notice_months),
            report_packs=now - relativedelta(years=self.report_pack_years),
        )

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class Cutoffs:
    complaints: datetime.datetime
    access_logs: datetime.datetime
    notices: datetime.datetime
    report_packs: datetime.datetime

    def as_dict(self) -> dict[str, str]:
        return {k: v.isoformat() for k, v in asdict(self).items()}


def current_policy() -> Policy:
    """The office's values where it set them, else the settings; the complaint and
    access-log periods never shorter than the law allows, the others at least 1."""
    row = RetentionPolicy.objects.filter(pk=1).first()

    def pick(field: str, setting: str, minimum: int) -> int:
        value = getattr(row, field, None) if row else None
        if value is None:
            value = getattr(settings, setting)
        return max(int(value), minimum)

    return Policy(
        complaint_years=pick("complaint_years", "RETENTION_COMPLAINT_YEARS", MIN_COMPLAINT_YEARS),
        access_log_months=pick(
            "access_log_months", "RETENTION_ACCESS_LOG_MONTHS", MIN_ACCESS_LOG_MONTHS
        ),
        notice_months=pick("notice_months", "RETENTION_NOTICE_MONTHS", 1),
        report_pack_years=pick("report_pack_years", "RETENTION_REPORT_PACK_YEARS", 1),
    )
