"""Choices of financial-dispute mediation (People's Mediation Law; 法发〔2019〕27号;
the 2025 opinion on mediating financial disputes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MediationStatus(models.TextChoices):
    APPLIED = "applied", _("待双方同意")
    MEDIATING = "mediating", _("调解中")
    AGREED = "agreed", _("已达成协议")
    PERFORMED = "performed", _("协议已履行")
    DECLINED = "declined", _("一方不同意调解")
    FAILED = "failed", _("调解不成")


M = MediationStatus
#: The mediation still runs: the complaint is kept out of the archive.
RUNNING_STATES = (M.APPLIED, M.MEDIATING)
#: Ended without an agreement.
UNSUCCESSFUL_STATES = (M.DECLINED, M.FAILED)
#: An agreement was reached (performed or not yet).
AGREEMENT_STATES = (M.AGREED, M.PERFORMED)


class Procedure(models.TextChoices):
    """Each procedure has its own time limit (``settings.MEDIATION_TIME_LIMIT_DAYS``)."""

    SIMPLE = "simple", _("简易程序")
    ORDINARY = "ordinary", _("普通程序")
    COMPLEX = "complex", _("复杂程序")


class Mode(models.TextChoices):
    ON_SITE = "on_site", _("现场调解")
    ONLINE = "online", _("在线调解")
    PHONE = "phone", _("电话调解")


class Source(models.TextChoices):
    COMPLAINT = "complaint", _("投诉转调解")
    DIRECT = "direct", _("直接申请")


class Party(models.TextChoices):
    CONSUMER = "consumer", _("金融消费者")
    INSTITUTION = "institution", _("金融机构")


class JudicialDecision(models.TextChoices):
    CONFIRMED = "confirmed", _("确认有效")
    REJECTED = "rejected", _("驳回申请")


class EventKind(models.TextChoices):
    """The mediation's own timeline (one row per step)."""

    OPEN = "open", _("受理调解申请")
    CONSENT = "consent", _("记录当事人意愿")
    DECLINE = "decline", _("一方不同意调解")
    MEDIATOR = "mediator", _("指定调解员")
    SESSION = "session", _("调解记录")
    AGREEMENT = "agreement", _("达成调解协议")
    PERFORMANCE = "performance", _("履行情况")
    PERFORMED = "performed", _("协议履行完毕")
    JUDICIAL = "judicial", _("司法确认")
    JUDICIAL_REMIND = "judicial_remind", _("司法确认期限提醒")
    FAIL = "fail", _("调解不成")
