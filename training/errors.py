"""Training's refusals in the project's vocabulary (``institutions.errors``)."""

from institutions import errors


class TrainingError(errors.DomainError):
    """A rule of the training records refused the request (422); nothing was
    written. ``field`` names the form field the message belongs to, if any."""

    def __init__(self, message=None, *, code=None, messages=(), field: str | None = None):
        super().__init__(message, code=code, messages=messages)
        self.field = field
