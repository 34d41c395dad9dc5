"""The mediation's refusals in the project's vocabulary (``institutions.errors``)."""

from institutions import errors


class MediationError(errors.DomainError):
    """A rule of the mediation refused the request (422); nothing was written.
    ``code`` is stable, ``message`` for people; ``field`` names the form field the
    message belongs to, when there is one."""

    def __init__(self, message=None, *, code=None, messages=(), field: str | None = None):
        super().__init__(message, code=code, messages=messages)
        self.field = field


class StepRefused(MediationError):
    """The step is not possible in the case's present state."""

    code = "step_refused"
    status = 409


class PermissionRefused(MediationError, errors.PermissionRefused):
    code = "permission_denied"
    status = 403
