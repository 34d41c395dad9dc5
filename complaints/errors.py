"""The complaint workflow's refusals: ``institutions.errors.DomainError`` subclasses
(see there for the vocabulary)."""

from django.utils.translation import gettext_lazy as _

from institutions import errors


class WorkflowError(errors.DomainError):
    """A business rule of the complaint workflow refused the request. ``code`` is
    stable (API clients match on it); ``message`` is for people, in their language."""


class TransitionRefused(WorkflowError):
    code = "transition_refused"
    status = 409


class PermissionRefused(WorkflowError, errors.PermissionRefused):
    """The shared permission refusal (a Django ``PermissionDenied``, 403) that the
    workflow's callers also catch as a ``WorkflowError``."""

    code = "permission_denied"
    status = 403


class ConcurrentUpdate(WorkflowError):
    code = "conflict"
    status = 409

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("此投诉已被他人更新，请刷新后重试。"), **kwargs)
