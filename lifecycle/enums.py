from django.db import models
from django.utils.translation import gettext_lazy as _


class HoldReason(models.TextChoices):
    LITIGATION = "litigation", _("诉讼")
    ENFORCEMENT = "enforcement", _("执法检查/行政处罚案件")
    MEDIATION = "mediation", _("调解协议待司法确认")
    OTHER = "other", _("其他法定事由")


class RunMode(models.TextChoices):
    DRY_RUN = "dry_run", _("预览（不修改数据）")
    RUN = "run", _("执行")


class RunStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("执行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class BatchKind(models.TextChoices):
    COMPLAINTS = "complaints", _("投诉匿名化")
    ACCESS_LOGS = "access_logs", _("访问记录清理")
    NOTICES = "notices", _("通知与消息清理")
    REPORT_PACKS = "report_packs", _("季度报表清理")


class PiplRequestKind(models.TextChoices):
    ACCESS = "access", _("查阅、复制")
    CORRECTION = "correction", _("更正、补充")
    DELETION = "deletion", _("删除")


class PiplOutcome(models.TextChoices):
    PENDING = "", _("办理中")
    GRANTED = "granted", _("已满足")
    PARTLY = "partly", _("部分满足")
    REFUSED = "refused", _("依法不予满足")
