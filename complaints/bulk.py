"""Bulk actions from the complaint list: one action on several complaints.

Each complaint goes through the one entry point, ``complaints.workflow.complaint_act``,
in its own transaction: one timeline row each, the same permission, state and
precondition checks as on the detail page, and one refusal does not undo the others.
The result says which were done and, for each refused one, the table's reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils.translation import gettext as _

from . import rules as complaint_access
from .errors import WorkflowError
from .models import Complaint
from .workflow import ACTIONS, complaint_act

if TYPE_CHECKING:
    from institutions.models import User

#: The actions a manager may apply to several complaints at once: 分办 a batch of
#: registered complaints to one handler, 归档 a batch of answered ones.
BULK_ACTIONS = ("assign", "archive")

#: At most this many complaints per request (a page of the list is 25).
BULK_LIMIT = 100


@dataclass
class Refused:
    pk: int
    tracking_no: str
    reason: str
    code: str


@dataclass
class BulkResult:
    done: list[Complaint] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)


def may_bulk_act(user: User) -> bool:
    """Whether the list offers ``user`` the checkboxes: some bulk action's permission
    can hold for the user (the access policy's ``may_act_on_some``)."""
    return any(
        complaint_access.may_act_on_some(user, ACTIONS[name].permission) for name in BULK_ACTIONS
    )


def complaint_bulk_act(
    *, actor: User, action: str, complaint_ids: Iterable[int], **data
) -> BulkResult:
    """Perform ``action`` (one of ``BULK_ACTIONS``) with the same ``data`` on each of
    ``complaint_ids`` in turn, through ``complaint_act``. A complaint the actor cannot
    see is refused as not found, exactly like a missing id (ids cannot be probed);
    every other refusal carries the action table's message and code."""
    if action not in BULK_ACTIONS:
        raise WorkflowError(_("此操作不能批量执行。"), code="not_bulk")
    ids = list(dict.fromkeys(int(pk) for pk in complaint_ids))[:BULK_LIMIT]
    numbers = dict(
        complaint_access.complaints_visible_to(actor)
        .filter(pk__in=ids)
        .values_list("pk", "tracking_no")
    )
    result = BulkResult()
    for pk in ids:
        if pk not in numbers:
            result.refused.append(Refused(pk, "", _("投诉不存在或您无权查看。"), "not_found"))
            continue
        try:
            result.done.append(complaint_act(actor=actor, complaint_id=pk, action=action, **data))
        except WorkflowError as e:
            result.refused.append(Refused(pk, numbers[pk], str(e.message), e.code))
        except Http404:  # out of sight since the list was read
            result.refused.append(
                Refused(pk, numbers[pk], _("投诉不存在或您无权查看。"), "not_found")
            )
    return result
