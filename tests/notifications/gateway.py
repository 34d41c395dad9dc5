"""A fake SMS gateway: a real HTTP server on loopback (127.0.0.1, a free port) in a
thread, standing in for the operator's gateway — the external boundary. It records
every request and answers with the statuses it is told to, in order (then 200). Like
a real gateway it de-duplicates by the Idempotency-Key: ``delivered`` holds each key's
message once, however often it was posted."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeGateway:
    def __init__(self, *, statuses=(), delay: float = 0.0, token: str = "test-token"):
        self.statuses = list(statuses)
        self.delay = delay
        self.token = token
        self.requests: list[dict] = []
        self.delivered: dict[str, dict] = {}
        self._lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                with gateway._lock:
                    status = gateway.statuses.pop(0) if gateway.statuses else 200
                    record = {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "json": json.loads(raw.decode()),
                        "status": status,
                    }
                    gateway.requests.append(record)
                    authorised = record["headers"].get("authorization") == f"Bearer {gateway.token}"
                    if not authorised:
                        status = record["status"] = 401
                    elif 200 <= status < 300:
                        key = record["headers"].get("idempotency-key")
                        gateway.delivered.setdefault(key, record["json"])
                if gateway.delay:
                    time.sleep(gateway.delay)
                body = json.dumps({"ok": 200 <= status < 300}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # keep the test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeGateway:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)
