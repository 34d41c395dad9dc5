"""Sending SMS through a pluggable backend, in the style of Django's e-mail backends.

``settings.SMS_BACKEND`` names the backend class by dotted path:

* ``notifications.sms.backends.console.SmsBackend`` (the default): writes each message
  to standard output, the phone number masked — for development and ``make run``;
* ``notifications.sms.backends.filebased.SmsBackend``: one JSON file per message in
  ``SMS_FILE_PATH`` — to check messages on a staging machine without a gateway;
* ``notifications.sms.backends.locmem.SmsBackend``: appends to ``notifications.sms.outbox``
  — the test profile's backend, like ``django.core.mail.outbox``;
* ``notifications.sms.backends.http.SmsBackend``: the bank's or operator's SMS gateway,
  a JSON POST to ``SMS_GATEWAY_URL`` (docs/notifications.md).

A backend's ``send`` either hands the message over or raises: the caller (the consumer
message outbox, ``notifications.consumer``) then keeps the message and tries again
later with the same ``key``, the idempotency key the gateway de-duplicates by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

#: Messages sent through the locmem backend (the test profile), oldest first.
outbox: list[SmsMessage] = []


class SmsDeliveryError(Exception):
    """The gateway did not take the message; the outbox will try again. The text
    never contains the phone number or the message body (it is logged and stored)."""


@dataclass(frozen=True)
class SmsMessage:
    """One text to one phone. ``key`` is the same on every attempt to send the
    message (the outbox row's id), so a gateway can drop a second copy. A
    ``sensitive`` body (an enquiry secret) is sent but never written to a log."""

    to: str
    body: str
    key: str
    sensitive: bool = False


def get_backend(backend: str | None = None, **kwargs):
    """An instance of ``backend`` (a dotted path), by default ``settings.SMS_BACKEND``;
    keyword arguments override the backend's settings (as ``get_connection`` does)."""
    return import_string(backend or settings.SMS_BACKEND)(**kwargs)


def send_sms(message: SmsMessage, *, backend: str | None = None) -> None:
    """Send one message through the configured backend; raises when it was not taken."""
    get_backend(backend).send(message)


_MOBILE = re.compile(r"^(1[3-9]\d)\d{4}(\d{4})$")


def mask_phone(phone: str) -> str:
    """138****5678 for a mobile; anything else keeps only its last four digits. Logs
    and admin lists never show a whole number."""
    phone = phone or ""
    m = _MOBILE.match(phone)
    if m:
        return f"{m[1]}****{m[2]}"
    return "*" * max(len(phone) - 4, 0) + phone[-4:]


def is_mobile(phone: str) -> bool:
    """An 11-digit mainland mobile number (as complaints store them: digits only)."""
    return bool(_MOBILE.match(phone or ""))
