"""Refusals of the measures desk in the project's vocabulary (``institutions.errors``)."""

from institutions import errors


class MeasureError(errors.DomainError):
    """A rule refused the request (422); nothing was written. ``field`` names the form
    field the message belongs to, when there is one."""

    def __init__(self, message=None, *, code=None, messages=(), field: str | None = None):
        super().__init__(message, code=code, messages=messages)
        self.field = field


class StepRefused(MeasureError):
    """The step is not possible in the item's present state."""

    code = "step_refused"
    status = 409


class PermissionRefused(MeasureError, errors.PermissionRefused):
    code = "permission_denied"
    status = 403
