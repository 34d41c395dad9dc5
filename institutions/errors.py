"""The services' error vocabulary, shared by every app (``institutions`` is the lowest
layer, so every app may import it).

* ``DomainError``: a business rule refused the request. ``code`` is stable (API
  clients and tests match on it), ``message`` is for people and translatable,
  ``messages`` lists every reason when there are several (a period that cannot be
  published yet), ``status`` is the HTTP status an interface answers with (422
  unless a subclass says otherwise). Each domain has its own subclass:
  ``complaints.errors.WorkflowError``, ``evaluation.errors.AppraisalError``.
* ``PermissionRefused``: the user's role may not do this at all (403). It is also
  Django's ``PermissionDenied``, so where an interface does not catch it Django and
  DRF already answer 403.

Input that a form or a validator rejects stays Django's ``ValidationError`` (a
form's field errors); a service that validates input raises its ``DomainError``.
The interfaces translate a ``DomainError`` in one place each: a page shows
``messages`` (``form.add_error`` or the messages framework), the admin in
``evaluation.admin.base.refusal_text`` and the complaint pages' handlers, the API in
``api.exceptions.api_exception_handler`` (``{"code", "detail"}`` with ``status``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Message = str | Promise


class DomainError(Exception):
    """A business rule refused the request; nothing was written."""

    code: str = "refused"
    status: int = 422

    def __init__(
        self,
        message: Message | None = None,
        *,
        code: str | None = None,
        messages: Sequence[Message] = (),
    ) -> None:
        self._messages = list(messages)
        if message is None and self._messages:
            message = "；".join(str(m) for m in self._messages)
        self.message: Message = message or _("操作未被允许。")
        if code:
            self.code = code
        super().__init__(str(self.message))

    @property
    def messages(self) -> list[str]:
        """Every reason, for a page that lists them."""
        return [str(m) for m in self._messages] or [str(self.message)]


class PermissionRefused(DomainError, PermissionDenied):
    """The role may not do this at all (as opposed to "not now", a DomainError)."""

    code = "permission_denied"
    status = 403
