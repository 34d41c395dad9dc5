"""Who hears about what. Called by the workflow inside its transaction: the notice
rows are written with the action (they are the outbox) and e-mail leaves after
commit (notifications.services)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from institutions import tree
from notifications.consumer import notify_consumer
from notifications.models import ConsumerEvent, Notification
from notifications.services import notify

from .masking import LIST, Redactor

K = Notification.Kind


def _url(complaint) -> str:
    return reverse("complaints:detail", args=[complaint.pk])


def after_action(complaint, action: str, *, actor, payload: dict) -> None:
    c = complaint
    key = f"{action}:{c.pk}:v{c.version}"
    title_bits = {"no": c.tracking_no}
    if action == "assign":
        kind = K.DISPATCHED if c.accepting_institution.is_regulator else K.ASSIGNED
        notify(
            recipients=[c.handler],
            kind=kind,
            complaint=c,
            url=_url(c),
            dedupe_key=key,
            title=_("投诉 %(no)s 已分办给您") % title_bits,
            body=_("请在 %(due)s 前答复客户。") % {"due": _fmt(c.due_at)},
        )
    elif action == "escalate":
        notify(
            recipients=list(tree.managers_at(c.handling_institution)),
            kind=K.ESCALATED,
            complaint=c,
            url=_url(c),
            dedupe_key=key,
            title=_("投诉 %(no)s 已上报至本机构，请分办") % title_bits,
            body=payload.get("from_institution", ""),
        )
    elif action == "request_extension":
        notify(
            recipients=[u for u in tree.managers_over(c.handling_institution) if u != actor],
            kind=K.EXTENSION,
            complaint=c,
            url=_url(c),
            dedupe_key=key,
            title=_("投诉 %(no)s 申请延期，待您审批") % title_bits,
        )
    elif action == "decide_extension":
        req = c.extensions.filter(pk=payload.get("request")).first()
        notify(
            recipients=[req.requested_by] if req else [],
            kind=K.EXTENSION,
            complaint=c,
            url=_url(c),
            dedupe_key=key,
            title=(
                _("投诉 %(no)s 的延期申请已批准")
                if payload.get("approved")
                else _("投诉 %(no)s 的延期申请被驳回")
            )
            % title_bits,
        )
    elif action == "supervise":
        notify(
            recipients=[c.handler, *tree.managers_at(c.handling_institution)],
            kind=K.URGED,
            complaint=c,
            url=_url(c),
            dedupe_key=key,
            title=_("投诉 %(no)s 被督办") % title_bits,
            # The notice (and its e-mail) carries the note at the list level of
            # masking: it leaves the page's access policy once it is mailed.
            body=Redactor(c, LIST)(payload.get("note", "") or ""),
        )
    elif action == "answer" and payload.get("satisfaction") == "unsatisfied":
        notify(
            recipients=list(tree.managers_over(c.handling_institution)),
            kind=K.UNSATISFIED,
            complaint=c,
            url=_url(c),
            dedupe_key=key,
            title=_("投诉 %(no)s 客户不满意，请重新核查") % title_bits,
        )
    elif action == "consumer_add":
        # The consumer added information on the portal: whoever holds the case.
        notify(
            recipients=[c.handler] if c.handler else list(tree.managers_at(c.handling_institution)),
            kind=K.INFO,
            complaint=c,
            url=_url(c),
            dedupe_key=key,
            title=_("投诉 %(no)s 的消费者补充了材料") % title_bits,
        )
    elif action == "consumer_reopen":
        notify(
            recipients=[c.handler, *tree.managers_over(c.handling_institution)],
            kind=K.UNSATISFIED,
            complaint=c,
            url=_url(c),
            dedupe_key=key,
            title=_("投诉 %(no)s 消费者评价不满意，已重新处理，请重新核查") % title_bits,
        )
    if c.is_major and c.reported_to_regulator_at and action in ("register", "escalate"):
        notify_major(c)
    _tell_consumer_after(c, action, payload)


# --- The consumer (with consent): acceptance, extension, answer, reopening --------------


def after_register(c) -> None:
    """受理: a complaint registered by staff tells a consenting consumer it was accepted,
    its number and due date. One filed on the portal is not told here: the portal
    sends its own acceptance, carrying the consumer's enquiry code and secret."""
    if not c.submitted_by_consumer:
        _tell_consumer(c, ConsumerEvent.ACCEPTED, due_date=consumer_date(c.due_at))


def _tell_consumer_after(c, action: str, payload: dict) -> None:
    if not c.notify_consent:
        return  # before any query: most complaints have no consent
    if action == "decide_extension" and payload.get("approved"):
        req = c.extensions.filter(pk=payload.get("request")).first()
        # The reason as staff wrote it for the extension request, which the rules make
        # them explain to the customer; card, account, ID and phone numbers masked.
        reason = Redactor(c, LIST)(req.reason if req else "")
        _tell_consumer(c, ConsumerEvent.EXTENDED, due_date=consumer_date(c.due_at), reason=reason)
    elif action == "answer":
        _tell_consumer(c, ConsumerEvent.ANSWERED)
    elif action == "reopen":
        _tell_consumer(c, ConsumerEvent.REOPENED)


def _tell_consumer(c, event: str, **extra: str) -> None:
    """Only with the consumer's consent (PIPL), and only what concerns the case: its
    number, the institution complained about, dates — no staff names, no notes.
    Opt-outs are checked by ``notify_consumer``."""
    if not c.notify_consent or not (c.complainant_phone or c.consumer_email):
        return
    notify_consumer(
        event=event,
        phone=c.complainant_phone,
        email=c.consumer_email,
        context={
            "tracking_no": c.tracking_no,
            "institution": c.complained_institution.display_name,
            **extra,
        },
        reference=c.tracking_no,
    )


def consumer_date(dt) -> str:
    """A due time as the consumer reads it: 2026年12月8日 17:00."""
    from django.utils import timezone

    if not dt:
        return "—"
    local = timezone.localtime(dt)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def notify_major(c) -> None:
    notify(
        recipients=list(tree.office_supervisors(c.handling_institution)),
        kind=K.MAJOR,
        complaint=c,
        url=_url(c),
        dedupe_key=f"major:{c.pk}",
        title=_("重大投诉 %(no)s 已报告") % {"no": c.tracking_no},
        body=c.handling_institution.name,
    )


def _fmt(dt) -> str:
    from django.utils import timezone

    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else "—"
