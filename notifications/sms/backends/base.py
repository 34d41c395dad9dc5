from __future__ import annotations

from collections.abc import Iterable

from .. import SmsMessage


class BaseSmsBackend:
    """What every SMS backend implements. ``send`` hands one message to the gateway
    or raises (``SmsDeliveryError`` or any exception from the transport): it never
    reports failure by a return value, so the outbox cannot mistake it for success.
    ``send`` must be safe to call again with the same ``message.key`` — the outbox
    delivers at least once."""

    def __init__(self, **kwargs) -> None:
        pass

    def send(self, message: SmsMessage) -> None:
        raise NotImplementedError("an SMS backend must implement send()")

    def send_messages(self, messages: Iterable[SmsMessage]) -> int:
        count = 0
        for message in messages:
            self.send(message)
            count += 1
        return count
