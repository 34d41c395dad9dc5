"""The restore drill: a backup taken by ``manage.py backup`` restores into a fresh
database and file store with every complaint, timeline row, attachment, file and hash
identical; a non-empty target or a damaged backup is refused with nothing changed.

Everything runs in subprocesses against databases of their own (a temporary
PostgreSQL database when the suite runs on PostgreSQL, a temporary SQLite file
otherwise), as an operator would on two machines; slow (migrate + demo data)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

#: Two evidence files through the real intake service, and a report file in MEDIA_ROOT.
ATTACH = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from complaints.models import Complaint
from complaints.services import attachments_store
from tests.publicity.factories import png_bytes
c = Complaint.objects.order_by("pk").first()
attachments_store(complaint=c, source="staff", uploaded_by=None, files=[
    SimpleUploadedFile("a.pdf", b"%PDF-1.4\\n%%EOF\\n"),
    SimpleUploadedFile("b.png", png_bytes((7, 5))),
])
default_storage.save("reports/pack.xlsx", ContentFile(b"not really a workbook"))
"""

#: What the test compares, read through the ORM and the storage (not the manifest).
SNAPSHOT = """
import hashlib, json
from django.core.files.storage import default_storage
from complaints.models import Complaint, ComplaintAttachment, TimelineEntry
from institutions.models import User
def rows(qs):
    return list(qs.order_by("pk").values())
files = {a.file.name: hashlib.sha256(a.file.open("rb").read()).hexdigest()
         for a in ComplaintAttachment.objects.exclude(file="")}
print(json.dumps({
    "complaints": rows(Complaint.objects), "timeline": rows(TimelineEntry.objects),
    "attachments": rows(ComplaintAttachment.objects), "users": rows(User.objects),
    "files": files,
    "recorded": {a.file.name: a.sha256 for a in ComplaintAttachment.objects.exclude(file="")},
    "media": hashlib.sha256(default_storage.open("reports/pack.xlsx").read()).hexdigest(),
}, default=str, sort_keys=True))
"""


class Site:
    """One installation: a database and a VAR_DIR with its media and private stores."""

    def __init__(self, tmp: Path, name: str):
        self.var = tmp / name
        self.var.mkdir()
        suffix = uuid.uuid4().hex[:8]
        if connection.vendor == "postgresql":
            db = connection.settings_dict
            self.pg_name = f"{db['NAME'].removeprefix('test_')}_bk_{name}_{suffix}"[:63]
            self._admin(f'CREATE DATABASE "{self.pg_name}"')
            self.url = (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
                f"{db['PORT'] or 5432}/{self.pg_name}"
            )
        else:
            self.pg_name = None
            self.url = f"sqlite:///{self.var / 'site.sqlite3'}"

    def _admin(self, sql: str) -> None:
        with connection.cursor() as cur:
            cur.execute(sql)

    def drop(self) -> None:
        if self.pg_name:
            self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')

    def run(self, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DATABASE_", "REDIS_", "DJANGO_", "DEBUG", "MEDIA_", "PRIVATE_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.local",
            DATABASE_URL=self.url,
            VAR_DIR=str(self.var),
            CELERY_BROKER_URL="memory://",
        )
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def ok(self, *args: str) -> str:
        proc = self.run(*args)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return proc.stdout

    def snapshot(self) -> dict:
        return json.loads(self.ok("shell", "-c", SNAPSHOT).strip().splitlines()[-1])

    def files(self) -> list[str]:
        return sorted(
            str(p.relative_to(self.var))
            for store in ("media", "private")
            for p in (self.var / store).rglob("*")
            if p.is_file()
        )


@pytest.fixture(scope="module")
def source(tmp_path_factory, django_db_blocker):
    tmp = tmp_path_factory.mktemp("ops-backup")
    with django_db_blocker.unblock():
        site = Site(tmp, "source")
        try:
            site.ok("migrate", "--noinput", "-v0")
            site.ok("seed_demo")
            site.ok("shell", "-c", ATTACH)
            out = site.ok("backup", "--to", str(tmp / "backups"))
            backup = Path(out.strip().splitlines()[-1])
            yield site, backup, tmp
        finally:
            site.drop()


@pytest.fixture
def fresh(source, django_db_blocker):
    _site, _backup, tmp = source
    with django_db_blocker.unblock():
        site = Site(tmp, f"fresh{uuid.uuid4().hex[:6]}")
        try:
            yield site
        finally:
            site.drop()


def test_restore_into_a_fresh_database_is_identical(source, fresh):
    site, backup, _tmp = source
    before = site.snapshot()
    assert len(before["complaints"]) >= 10
    assert len(before["timeline"]) > len(before["complaints"])
    assert len(before["files"]) == 2
    assert before["files"] == before["recorded"]

    out = fresh.ok("restore", str(backup))

    assert "Restored and verified" in out
    after = fresh.snapshot()
    assert after == before
    assert fresh.files() == site.files()


def test_restore_into_a_non_empty_database_refuses(source, django_db_blocker):
    site, backup, _tmp = source
    before, files = site.snapshot(), site.files()

    proc = site.run("restore", str(backup))

    assert proc.returncode == 1
    assert "not empty" in proc.stderr
    assert site.snapshot() == before
    assert site.files() == files


def test_a_damaged_backup_is_refused_before_anything_changes(source, fresh, tmp_path):
    _site, backup, _tmp = source
    damaged = tmp_path / backup.name
    shutil.copytree(backup, damaged)
    manifest = json.loads((damaged / "manifest.json").read_text())
    victim = next(rel for rel in manifest["files"] if rel.startswith("files/private/"))
    (damaged / victim).write_bytes(b"tampered")

    proc = fresh.run("restore", str(damaged))

    assert proc.returncode == 1
    assert f"hash differs: {victim}" in proc.stderr
    assert fresh.files() == []
    assert "complaints_complaint" not in fresh.ok("shell", "-c", TABLES)


TABLES = "from django.db import connection; print(connection.introspection.table_names())"
