from django.db import models
from django.utils.translation import gettext_lazy as _

from complaints.enums import ComplaintStatus


class TypicalCaseCategory(models.TextChoices):
    """Why a case went into the archive (篇一: 高发、典型案例)."""

    TYPICAL = "typical", _("典型案例")
    FREQUENT = "frequent", _("高发案例")


class EnforcementKind(models.TextChoices):
    """The follow-up opened from a complaint that reveals a violation (诉转案)."""

    SPECIAL = "special", _("专项检查")
    ENFORCEMENT = "enforcement", _("执法检查")


class EnforcementStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结案")


#: Only a case that was decided can become a typical case (办结、已反馈、已归档).
TYPICAL_CASE_STATES = (ComplaintStatus.RESOLVED, ComplaintStatus.ANSWERED, ComplaintStatus.ARCHIVED)
