"""Admin for the consumer messages: the templates the office edits, the opt-out list,
and the sent messages (read-only, addresses masked)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from institutions.admin_access import ReadOnlyAdmin, ScopedAdmin

from . import consumer, sms
from .models import (
    ConsumerEvent,
    ConsumerMessage,
    ConsumerOptOut,
    MessageChannel,
    MessageTemplate,
)
from .templating import PLACEHOLDERS, placeholder_help


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ScopedAdmin):
    """One text per event and channel. ``MessageTemplate.clean`` refuses a
    placeholder the event does not provide, with the list of those it does."""

    list_display = ("event", "channel", "is_active", "updated_at")
    list_filter = ("event", "channel", "is_active")
    fields = ("event", "channel", "is_active", "subject", "body", "placeholders")
    readonly_fields = ("placeholders",)

    @admin.display(description=_("可用占位符"))
    def placeholders(self, obj: MessageTemplate | None) -> str:
        if obj is None or not obj.event:
            return "；".join(
                f"{label}：{placeholder_help(event)}"
                for event, label in ConsumerEvent.choices
                if event in PLACEHOLDERS
            )
        return placeholder_help(obj.event)

    def get_readonly_fields(self, request, obj=None):
        # The event and channel of an existing template stay as they are: the pair
        # is what callers look it up by.
        if obj is not None:
            return ("event", "channel", *self.readonly_fields)
        return self.readonly_fields


class OptOutForm(forms.ModelForm):
    address = forms.CharField(
        label=_("手机号码或电子邮箱"),
        max_length=120,
        help_text=_("此号码或邮箱将不再收到任何投诉进度消息，尚未发送的消息一并取消"),
    )

    class Meta:
        model = ConsumerOptOut
        fields = ("note",)

    def clean_address(self) -> str:
        address = consumer.normalise_address(self.cleaned_data["address"])
        if "@" in address:
            forms.EmailField().clean(address)
        elif not sms.is_mobile(address) and len(address) < 7:
            raise forms.ValidationError(_("请输入正确的手机号码或电子邮箱。"))
        return address


@admin.register(ConsumerOptOut)
class ConsumerOptOutAdmin(ScopedAdmin):
    list_display = ("hint", "created_at", "note")
    search_fields = ("note",)
    form = OptOutForm
    readonly_fields = ("hint", "created_at")

    def get_fields(self, request, obj=None):
        return ("address", "note") if obj is None else ("hint", "created_at", "note")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        # Through the service: it records the digest and cancels queued messages.
        saved = consumer.consumer_opt_out(
            address=form.cleaned_data["address"], note=form.cleaned_data.get("note", "")
        )
        obj.pk, obj.digest, obj.hint = saved.pk, saved.digest, saved.hint


@admin.register(ConsumerMessage)
class ConsumerMessageAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "reference",
        "event",
        "channel",
        "masked_recipient",
        "sent_at",
        "attempts",
        "last_error",
        "cancelled_at",
    )
    list_filter = ("event", "channel", ("sent_at", admin.EmptyFieldListFilter))
    search_fields = ("reference",)
    date_hierarchy = "created_at"
    fields = (
        "key",
        "reference",
        "event",
        "channel",
        "masked_recipient",
        "subject",
        "body",
        "sensitive",
        "created_at",
        "sent_at",
        "cancelled_at",
        "attempts",
        "last_error",
    )
    readonly_fields = fields
    actions = ["opt_out_recipients"]

    @admin.display(description=_("接收人"))
    def masked_recipient(self, obj: ConsumerMessage) -> str:
        if obj.channel == MessageChannel.SMS:
            return sms.mask_phone(obj.phone)
        local, _at, domain = obj.email.partition("@")
        return f"{local[:1]}***@{domain}" if domain else ""

    @admin.action(description=_("退订所选消息的接收人"), permissions=["opt_out"])
    def opt_out_recipients(self, request, queryset) -> None:
        addresses = {m.recipient for m in queryset if m.recipient}
        for address in addresses:
            consumer.consumer_opt_out(address=address, note=str(_("管理员在消息列表中退订")))
        self.message_user(
            request,
            ngettext("已退订 %(n)d 个号码或邮箱。", "已退订 %(n)d 个号码或邮箱。", len(addresses))
            % {"n": len(addresses)},
            messages.SUCCESS,
        )

    def has_opt_out_permission(self, request) -> bool:
        return request.user.has_perm("notifications.add_consumeroptout")
