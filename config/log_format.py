"""How the console prints log records (settings.LOGGING)."""

from __future__ import annotations

import logging


class ConsoleFormatter(logging.Formatter):
    """Print a refused request (403, 404, 400 …) as one line, without its traceback.

    Django logs a ``PermissionDenied`` or ``Http404`` on ``django.request`` with the
    exception attached, so every user who opened a page they may not see printed a full
    traceback, burying the real errors. The line keeps the status and path; 5xx keep
    their traceback. A formatter, not a filter: a filter would strip the exception from
    the record for every other handler too."""

    def format(self, record: logging.LogRecord) -> str:
        status = getattr(record, "status_code", None)
        if record.exc_info and status is not None and status < 500:
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return super().format(record)
