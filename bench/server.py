"""Starting and stopping the web server the benchmark measures: gunicorn with two
sync worker processes on a free loopback port, with the production settings (DEBUG
off). (The Procfile adds four threads per worker; the benchmark keeps one request
per worker at a time so that its latencies are the application's, not a queue's.)
The load phase runs gunicorn as deployed instead: ``deployed_web_config`` reads the
workers and threads of the Procfile's ``web`` line."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

WORKERS = 2


def deployed_web_config() -> tuple[int, int]:
    """(workers, threads) of the Procfile's ``web`` process: what `make run` and the
    deployment notes start; (2, 1) where the Procfile does not say."""
    line = next(
        (
            x
            for x in (settings.BASE_DIR / "Procfile").read_text().splitlines()
            if x.startswith("web:")
        ),
        "",
    )
    workers = re.search(r"--workers[ =](\d+)", line)
    threads = re.search(r"--threads[ =](\d+)", line)
    return (int(workers.group(1)) if workers else WORKERS, int(threads.group(1)) if threads else 1)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(var_dir: Path) -> dict[str, str]:
    """The production profile pointed at the benchmark database, without TLS (loopback)
    and with a broker that keeps messages in the worker (no e-mail leaves)."""
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CELERY_BROKER_URL="memory://",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        VAR_DIR=str(var_dir),
        DATABASE_URL=os.environ.get("DATABASE_URL")
        or (
            f"postgres://{db['USER']}:{db.get('PASSWORD', '')}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
    )
    env.pop("DATABASE_REPLICA_URL", None)
    return env


@contextmanager
def gunicorn(var_dir: Path, *, log=print, workers: int = WORKERS, threads: int = 1):
    """Run gunicorn for the duration of the block; yields its base URL. The process
    group is always stopped, even when the block fails. ``threads`` > 1 selects
    gunicorn's gthread worker, as ``--threads`` does in the Procfile."""
    port = free_port()
    var_dir.mkdir(parents=True, exist_ok=True)
    logfile = (var_dir / "gunicorn.log").open("w")
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--timeout",
        "120",
    ]
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        cmd,
        cwd=settings.BASE_DIR,
        env=server_env(var_dir),
        stdout=logfile,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {var_dir / 'gunicorn.log'}")
            try:
                with urllib.request.urlopen(f"{base}/login/", timeout=5) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 60 s")
            time.sleep(0.3)
        kind = (
            f"{workers} workers × {threads} threads" if threads > 1 else f"{workers} sync workers"
        )
        log(f"  gunicorn pid {proc.pid}, {kind}, {base}")
        yield base
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        logfile.close()
