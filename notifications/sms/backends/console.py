"""Development backend: prints each message, like Django's console e-mail backend.
The phone number is masked even here, as these lines end up in the worker's log, and a
sensitive body (the portal's enquiry secret, also shown on the consumer's screen) is
withheld."""

from __future__ import annotations

import sys
import threading

from .. import SmsMessage, mask_phone
from .base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def __init__(self, *, stream=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send(self, message: SmsMessage) -> None:
        body = "[sensitive body withheld]" if message.sensitive else message.body
        with self._lock:
            self.stream.write(
                f"SMS to {mask_phone(message.to)} (key {message.key})\n{body}\n{'-' * 40}\n"
            )
            self.stream.flush()
