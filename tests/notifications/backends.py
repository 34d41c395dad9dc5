"""E-mail backends standing in for a mail server (the external boundary) in the
delivery tests: one that refuses, one that hangs like a server that never answers."""

import json
import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server refused the connection")


class HangingBackend(BaseEmailBackend):
    """A mail server that stops answering. It writes the Message-IDs it was handed to
    ``$HANG_MARKER`` (so the test knows the worker got this far) and then hangs. With
    ``$HANG_DELIVERED_DIR`` set it first delivers each message into that directory:
    the server took the mail but the worker never heard back."""

    def send_messages(self, email_messages):
        ids = [m.message()["Message-ID"] for m in email_messages]
        delivered = os.environ.get("HANG_DELIVERED_DIR")
        if delivered:
            for i, m in enumerate(email_messages):
                Path(delivered, f"{os.getpid()}-{i}.eml").write_bytes(m.message().as_bytes())
        Path(os.environ["HANG_MARKER"]).write_text(json.dumps(ids))
        time.sleep(3600)
        return 0
