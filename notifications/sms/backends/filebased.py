"""Staging backend: one JSON file per message in ``SMS_FILE_PATH``, named by the
message's key, so a message sent twice (at least once) is one file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .. import SmsMessage
from .base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def __init__(self, *, file_path: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        path = file_path or getattr(settings, "SMS_FILE_PATH", None)
        if not path:
            raise ImproperlyConfigured("The file-based SMS backend needs SMS_FILE_PATH.")
        self.file_path = Path(path)
        self.file_path.mkdir(parents=True, exist_ok=True)

    def send(self, message: SmsMessage) -> None:
        record = {
            "to": message.to,
            "body": message.body,
            "key": message.key,
            "written_at": timezone.now().isoformat(),
        }
        # Written whole or not at all: a temporary file renamed into place.
        fd, tmp = tempfile.mkstemp(dir=self.file_path, prefix=".sms-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(record, f, ensure_ascii=False, indent=2)
            os.replace(tmp, self.file_path / f"{_safe(message.key)}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _safe(key: str) -> str:
    return "".join(ch for ch in key if ch.isalnum() or ch in "-_") or "message"
