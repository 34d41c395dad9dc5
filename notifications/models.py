import uuid

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


# --- Messages to the consumer (SMS and e-mail; docs/notifications.md) ----------------------


class ConsumerEvent(models.TextChoices):
    """The moments a consumer who consented is told of their complaint's progress."""

    ACCEPTED = "accepted", _("投诉已受理")
    # The portal's own acceptance: it carries the consumer's enquiry code and secret.
    ACCEPTED_ONLINE = "accepted_online", _("网上投诉已受理（含查询码）")
    EXTENDED = "extended", _("答复期限已延长")
    ANSWERED = "answered", _("投诉已答复")
    REOPENED = "reopened", _("投诉已重新处理")


class MessageChannel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class MessageTemplate(models.Model):
    """The text sent to the consumer at one event on one channel, kept by the office
    in the admin. ``{placeholders}`` name the values the event provides
    (``notifications.templating.PLACEHOLDERS``); a template naming any other is
    refused when saved, so a message is never sent with a hole in it."""

    event = models.CharField(_("事件"), max_length=20, choices=ConsumerEvent.choices)
    channel = models.CharField(_("渠道"), max_length=8, choices=MessageChannel.choices)
    subject = models.CharField(
        _("邮件标题"), max_length=120, blank=True, help_text=_("仅用于电子邮件；可含占位符")
    )
    body = models.TextField(_("内容"))
    is_active = models.BooleanField(
        _("启用"), default=True, help_text=_("停用后此事件不再通过此渠道发送消息")
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("消费者消息模板")
        verbose_name_plural = _("消费者消息模板")
        ordering = ["event", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="message_template_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} · {self.get_channel_display()}"

    def clean(self) -> None:
        from .templating import validate_template

        validate_template(self)


class ConsumerMessage(models.Model):
    """One message to a consumer, and its own outbox row: written in the transaction
    of the action it reports, sent after commit, at least once
    (``notifications.consumer.deliver_consumer_messages``).

    ``key`` is the message's idempotency key, the same on every attempt: the SMS
    gateway and the receiving mail system drop a second copy by it. ``reference`` is
    the complaint's tracking number as text (notifications sit below complaints and
    keep no link to them). A ``sensitive`` body (the portal's acceptance, carrying the
    enquiry secret) is blanked once it is sent or given up."""

    key = models.UUIDField(_("消息标识"), default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("事件"), max_length=20, choices=ConsumerEvent.choices)
    channel = models.CharField(_("渠道"), max_length=8, choices=MessageChannel.choices)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), max_length=120, blank=True)
    subject = models.CharField(_("邮件标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"), blank=True)
    sensitive = models.BooleanField(_("含敏感信息"), default=False)
    reference = models.CharField(_("投诉编号"), max_length=40, blank=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    # Held by a worker sending it until then; after a failure, not tried again before
    # then (the back-off). Expired: anyone may claim it.
    claimed_until = models.DateTimeField(_("领取至"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("消费者消息")
        verbose_name_plural = _("消费者消息")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="consumer_msg_unsent",
                condition=models.Q(sent_at__isnull=True, cancelled_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} {self.reference}"

    @property
    def recipient(self) -> str:
        return self.phone if self.channel == MessageChannel.SMS else self.email


class ConsumerOptOut(models.Model):
    """A phone number or e-mail address that receives no more consumer messages.

    Stored as a SHA-256 digest of the normalised address (and a masked hint for the
    admin list), so the list of people who asked not to be contacted is not itself a
    list of their numbers. It is pseudonymous, not secret: anyone with the table and
    time can test candidate numbers."""

    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("号码/邮箱（脱敏）"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("退订时间"), auto_now_add=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("退订")
        verbose_name_plural = _("退订")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.hint
