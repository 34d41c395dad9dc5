"""Types shared by the action table, its preconditions and its perform functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from ..errors import WorkflowError

if TYPE_CHECKING:
    from institutions.models import User

    from ..models import Complaint


@dataclass(frozen=True)
class Outcome:
    """What a perform function did: the columns it changed (besides status, version
    and last activity, which every action saves), the note for the timeline row and
    its structured payload. ``timeline`` overrides the action's timeline kind where
    the outcome decides it (an extension approved or rejected)."""

    fields: tuple[str, ...]
    note: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    timeline: str | None = None


#: A precondition returns the refusal (with its message and code) or None.
Precondition = Callable[["User", "Complaint"], WorkflowError | None]


def required_text(value: str | None, label: str) -> str:
    """The stripped text, or a refusal naming the missing field."""
    value = (value or "").strip()
    if not value:
        raise WorkflowError(_("请填写%(label)s。") % {"label": label}, code="missing_field")
    return value
