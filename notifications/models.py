from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notice to one person, doubling as the outbox for its e-mail.

    ``dedupe_key`` makes sending idempotent: a sweep that runs twice, or two sweeps at
    once, create the row once (unique constraint) and so notify once.

    The e-mail is delivered at least once (``notifications.services.deliver_emails``):
    a worker claims the row for a lease (``email_claimed_at``), sends, and only then
    stamps ``emailed_at``; a claim whose worker died expires and the periodic resend
    sends again, with the same Message-ID so the receiving side can drop a duplicate.
    """

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("新分办")
        ESCALATED = "escalated", _("上报")
        EXTENSION = "extension", _("延期")
        URGED = "urged", _("督办")
        MAJOR = "major", _("重大投诉")
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("已逾期")
        SUPERVISION = "supervision", _("逾期升级督办")
        DISPATCHED = "dispatched", _("人民银行转办")
        UNSATISFIED = "unsatisfied", _("客户不满意")
        CIRCULATED = "circulated", _("案例通报")
        INFO = "info", _("通知")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=120)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    email_claimed_at = models.DateTimeField(_("邮件发送领取时间"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("邮件发送次数"), default=0)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_once")
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                name="notif_unread",
                condition=models.Q(read_at__isnull=True),
            ),
            models.Index(
                fields=["created_at"],
                name="notif_unsent",
                condition=models.Q(emailed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title
