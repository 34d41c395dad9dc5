from django.utils.translation import gettext_lazy as _


class WorkflowError(Exception):
    """A business rule refused the request. ``code`` is stable (API clients match on
    it); ``message`` is for people, in their language."""

    code = "refused"
    status = 422

    def __init__(self, message=None, *, code: str | None = None):
        self.message = message or _("操作未被允许。")
        if code:
            self.code = code
        super().__init__(str(self.message))


class TransitionRefused(WorkflowError):
    code = "transition_refused"
    status = 409


class PermissionRefused(WorkflowError):
    code = "permission_denied"
    status = 403


class ConcurrentUpdate(WorkflowError):
    code = "conflict"
    status = 409

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("此投诉已被他人更新，请刷新后重试。"), **kwargs)
