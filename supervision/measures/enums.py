"""Choices of supervisory measures (监管措施) and rectification items (整改事项)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureKind(models.TextChoices):
    """The office's toolbox against an institution that infringes consumers' rights
    (篇一), from the mildest to a referral for an administrative penalty."""

    GUIDANCE = "guidance", _("指导咨询")
    PERSUASION = "persuasion", _("道义劝告/约谈")
    RISK_WARNING = "risk_warning", _("风险提示")
    PEER_CIRCULAR = "peer_circular", _("同业通报")
    PUBLIC_NOTICE = "public_notice", _("向社会通报")
    INSPECTION = "inspection", _("专项/全面检查")
    RECTIFY_ORDER = "rectify_order", _("限期整改")
    PENALTY_REFERRAL = "penalty_referral", _("移送行政处罚")


class RectificationSource(models.TextChoices):
    """What an item was opened from."""

    MEASURE = "measure", _("监管措施")
    INSPECTION = "inspection", _("检查发现的问题")
    COMPLAINT = "complaint", _("单件投诉")
    HOTSPOT = "hotspot", _("投诉热点")
    CLUSTER = "cluster", _("同类投诉（溯源整改）")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    ANSWERED = "answered", _("已报送整改情况")
    RETURNED = "returned", _("退回重新整改")
    ACCEPTED = "accepted", _("已验收")


R = RectificationStatus
#: The institution still owes an answer: reminders and overdue marks apply.
AWAITING_ANSWER = (R.OPEN, R.RETURNED)
#: Not yet closed by acceptance.
OPEN_STATES = (R.OPEN, R.ANSWERED, R.RETURNED)


class RectificationEventKind(models.TextChoices):
    OPEN = "open", _("下发整改事项")
    ANSWER = "answer", _("报送整改情况")
    ACCEPT = "accept", _("验收通过")
    RETURN = "return", _("退回整改")
    REMIND = "remind", _("整改期限提醒")
    OVERDUE = "overdue", _("整改逾期")
