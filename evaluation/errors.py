"""The appraisal's refusals (see ``institutions.errors`` for the vocabulary): a
business rule raises ``AppraisalError``, a role that may not act at all
``PermissionRefused``."""

from institutions.errors import DomainError, PermissionRefused


class AppraisalError(DomainError):
    """A rule of the appraisal refused the request (a published period, a score out
    of range, a missing reason…); nothing was written."""


__all__ = ["AppraisalError", "DomainError", "PermissionRefused"]
