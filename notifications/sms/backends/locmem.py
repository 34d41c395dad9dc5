"""Test backend: keeps messages in ``notifications.sms.outbox`` (a list), like
``django.core.mail.outbox``. Tests empty it between tests (tests/conftest.py)."""

from __future__ import annotations

from ... import sms
from .. import SmsMessage
from .base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        sms.outbox.append(message)
