"""The rectification item's state machine: one table of steps and one entry point.

::

    open ──answer──▶ answered ──accept──▶ accepted
                        │  ▲
                 return │  │ answer
                        ▼  │
                      returned

The overdue mark is not a state: the sweep stamps ``overdue_at`` on an item still
owing an answer after ``due_on`` (``.services.rectification_sweep``).

``STEPS`` says for each step from which states, with which permission, done by which
function; ``refusal`` reads it, so the page offers exactly what
``rectification_act`` accepts. ``rectification_act`` locks the item, checks,
performs, saves, writes one ``RectificationEvent`` and notifies the other side in
one transaction (notifications send their e-mails after the commit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import masking
from institutions import tree
from notifications.models import Notification
from notifications.services import notify

from . import files
from . import rules as access
from .enums import AWAITING_ANSWER, RectificationEventKind
from .enums import RectificationStatus as R
from .errors import MeasureError, PermissionRefused, StepRefused
from .models import RectificationEvent, RectificationItem

if TYPE_CHECKING:
    from institutions.models import User

ANSWER = "supervision.answer_rectification"
DECIDE = "supervision.decide_rectification"


def clean_text(value: Any, label: str, *, field: str, required: bool = True) -> str:
    """Stored free text: stripped, authentication data dropped, card, account, mobile
    and ID numbers masked (the texts are shown to both sides and go into reports)."""
    text = str(value or "").strip()
    if not text:
        if required:
            raise MeasureError(_("请填写%(label)s。") % {"label": label}, field=field)
        return ""
    text, _found = masking.scrub_authentication_data(text)
    return masking.mask_text(text, masking.DETAIL)


@dataclass(frozen=True)
class Result:
    kind: str
    fields: tuple[str, ...] = ()
    note: str = ""


def _answer(
    actor: User, item: RectificationItem, *, response: Any = "", files_: Any = ()
) -> Result:
    text = clean_text(response, _("整改情况"), field="response")
    checked = files.check_uploads(files_)
    files.store(checked, uploaded_by=actor, item=item)
    item.response = text
    item.answered_at = timezone.now()
    item.answered_by = actor
    item.status = R.ANSWERED
    return Result(RectificationEventKind.ANSWER, ("response", "answered_at", "answered_by"), text)


def _accept(actor: User, item: RectificationItem, *, note: Any = "") -> Result:
    item.decision_note = clean_text(note, _("验收意见"), field="note", required=False)
    item.accepted_at = timezone.now()
    item.status = R.ACCEPTED
    return Result(
        RectificationEventKind.ACCEPT, ("decision_note", "accepted_at"), item.decision_note
    )


def _return(actor: User, item: RectificationItem, *, note: Any = "") -> Result:
    item.decision_note = clean_text(note, _("退回理由"), field="note")
    item.status = R.RETURNED
    return Result(RectificationEventKind.RETURN, ("decision_note",), item.decision_note)


@dataclass(frozen=True)
class Step:
    name: str
    label: Promise
    states: tuple[str, ...]
    permission: str
    perform: Callable[..., Result]


STEPS: dict[str, Step] = {
    s.name: s
    for s in (
        Step("answer", gettext_lazy("报送整改情况"), AWAITING_ANSWER, ANSWER, _answer),
        Step("accept", gettext_lazy("验收通过"), (R.ANSWERED,), DECIDE, _accept),
        Step("return", gettext_lazy("退回整改"), (R.ANSWERED,), DECIDE, _return),
    )
}


def refusal(actor: User, item: RectificationItem, step: Step) -> MeasureError | None:
    """Why ``actor`` may not take ``step`` on ``item`` now, or None."""
    if not actor.has_perm(step.permission, item):
        return PermissionRefused()
    if item.status not in step.states:
        return StepRefused(
            _("整改事项处于“%(status)s”状态，不能%(step)s。")
            % {"status": item.get_status_display(), "step": step.label}
        )
    return None


def available_steps(actor: User, item: RectificationItem) -> list[Step]:
    return [s for s in STEPS.values() if refusal(actor, item, s) is None]


def answerers(institution) -> list[User]:
    """Who answers for ``institution``: the complaint managers over it and the
    handlers at it (an outlet often has no manager of its own)."""
    from institutions.enums import Role
    from institutions.models import User

    handlers = User.objects.filter(role=Role.HANDLER, is_active=True, institution_id=institution.pk)
    return [*tree.managers_over(institution), *handlers]


def _notify_other_side(item: RectificationItem, kind: str, event_id: int) -> None:
    """An answer goes to the overseer; a decision to the institution's managers."""
    if kind == RectificationEventKind.ANSWER:
        if item.overseer.is_regulator:
            recipients = list(tree.office_supervisors(item.institution))
        else:
            recipients = list(tree.managers_over(item.overseer))
        title = _("%(name)s 已报送整改情况") % {"name": item.institution.name}
    else:
        recipients = answerers(item.institution)
        title = (
            _("整改事项已验收通过")
            if kind == RectificationEventKind.ACCEPT
            else _("整改事项被退回，请重新整改")
        )
    notify(
        recipients=recipients,
        kind=Notification.Kind.INFO,
        title=title,
        body=item.requirement[:200],
        url=reverse("supervision:rectification_detail", args=[item.pk]),
        dedupe_key=f"rectification:{item.pk}:{event_id}",
    )


def rectification_act(*, actor: User, item_id: int, action: str, **data: Any) -> RectificationItem:
    """Take ``action`` on an item as ``actor``. Http404 when the actor cannot see it
    (same as missing); PermissionRefused (403), StepRefused (409) or MeasureError
    (422) otherwise, with nothing written (files included: they are checked before
    any is stored, and the rows roll back with the transaction)."""
    step = STEPS.get(action)
    if step is None:
        raise MeasureError(_("未知的操作。"), code="unknown_action")
    if "files" in data:
        data["files_"] = data.pop("files")
    with transaction.atomic():
        item = access.rectification_get_for_user(
            actor,
            item_id,
            queryset=RectificationItem.objects.select_for_update(of=("self",)).select_related(
                "institution", "overseer"
            ),
        )
        refused = refusal(actor, item, step)
        if refused is not None:
            raise refused
        from_status = item.status
        result = step.perform(actor, item, **data)
        item.save(update_fields=["status", *result.fields])
        event = RectificationEvent.objects.create(
            item=item,
            actor=actor,
            kind=result.kind,
            from_status=from_status,
            to_status=item.status,
            note=result.note,
        )
        # Notices are rows of this transaction; their e-mails leave after the commit.
        _notify_other_side(item, result.kind, event.pk)
    return item
