"""The SMS gateway over HTTP: one JSON POST per message.

    POST SMS_GATEWAY_URL
    Authorization: Bearer SMS_GATEWAY_TOKEN        (when a token is set)
    Idempotency-Key: <message key>
    Content-Type: application/json; charset=utf-8

    {"id": "<message key>", "to": "13812345678", "text": "…"}

Any 2xx answer means the gateway took the message. Anything else — another status,
a refused connection, no answer within ``SMS_GATEWAY_TIMEOUT`` seconds — raises, and
the outbox tries again later with the same key, which the gateway uses to drop a
second copy (a worker may die after the gateway took the message but before the
outbox recorded it). Only ``http`` and ``https`` URLs are accepted; a redirect counts
as a failure.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .. import SmsDeliveryError, SmsMessage
from .base import BaseSmsBackend


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer other than 2xx: urllib would follow it by turning the
    POST into a GET without the message and report the GET's success."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


class SmsBackend(BaseSmsBackend):
    def __init__(
        self,
        *,
        url: str | None = None,
        token: str | None = None,
        timeout: float | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.url = url if url is not None else settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        self.timeout = timeout if timeout is not None else settings.SMS_GATEWAY_TIMEOUT
        if urlsplit(self.url).scheme not in ("http", "https"):
            raise ImproperlyConfigured("SMS_GATEWAY_URL must be an http:// or https:// URL.")

    def send(self, message: SmsMessage) -> None:
        data = json.dumps(
            {"id": message.key, "to": message.to, "text": message.body}, ensure_ascii=False
        ).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "Idempotency-Key": message.key,
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=data, headers=headers, method="POST")  # noqa: S310
        try:
            # The scheme is checked in __init__ (http/https only).
            with _opener.open(request, timeout=self.timeout) as response:  # nosec B310
                status = response.status
        except urllib.error.HTTPError as e:
            raise SmsDeliveryError(f"SMS gateway answered HTTP {e.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            reason = getattr(e, "reason", None) or e
            raise SmsDeliveryError(f"SMS gateway unreachable: {reason}") from None
        if not 200 <= status < 300:
            raise SmsDeliveryError(f"SMS gateway answered HTTP {status}")
