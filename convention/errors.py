"""The convention's refusals in the project's vocabulary (``institutions.errors``)."""

from institutions import errors


class ConventionError(errors.DomainError):
    """A rule of the convention refused the request (422); nothing was written.
    ``field`` names the form field the message belongs to, if any."""

    def __init__(self, message=None, *, code=None, messages=(), field: str | None = None):
        super().__init__(message, code=code, messages=messages)
        self.field = field
