from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    """Where and how an activity reached people (篇二: 网点主阵地宣传, 走出去集中宣传…).

    ``OUTDOOR`` is what the reports count as 大型户外集中宣传活动.
    """

    OUTLET = "outlet", _("网点阵地宣传")
    OUTDOOR = "outdoor", _("大型户外集中宣传")
    COMMUNITY = "community", _("进社区")
    VILLAGE = "village", _("进村镇/集市")
    ENTERPRISE = "enterprise", _("进企业")
    SCHOOL = "school", _("进校园")
    MEDIA = "media", _("媒体节目")
    ONLINE = "online", _("线上宣传")


class SummaryGrouping(models.TextChoices):
    """How a campaign summary breaks its totals down."""

    BANK = "bank", _("按机构（所辖最高一级）")
    INSTITUTION = "institution", _("按开展机构/网点")
