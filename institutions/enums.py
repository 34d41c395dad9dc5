from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    """What an institution is; the supervising body is data, not a hard-coded PBoC."""

    REGULATOR = "regulator", _("监管机构")
    HEAD_OFFICE = "head_office", _("法人机构/总行")
    BRANCH = "branch", _("分行")
    SUB_BRANCH = "sub_branch", _("支行")
    OUTLET = "outlet", _("网点")
    RURAL_CREDIT_COOP = "rural_coop", _("农村信用社/农商行")
    VILLAGE_BANK = "village_bank", _("村镇银行")


class Role(models.TextChoices):
    """One role per user; what each may see and do is decided in institutions.access."""

    TELLER = "teller", _("网点柜员/客户经理")
    HANDLER = "handler", _("投诉处理人员")
    MANAGER = "manager", _("机构消保管理员")
    REGULATOR = "regulator", _("人民银行监管员")
    SYSADMIN = "sysadmin", _("系统管理员")
