"""Backups that restore: the database and the uploaded files in one directory with a
manifest that proves what is in it.

A backup is a directory ``backup-<UTC time>/`` holding

* ``db.dump`` (PostgreSQL, ``pg_dump -Fc``) or ``db.sqlite3`` (SQLite, copied with
  SQLite's online backup API: a consistent copy even while the application writes);
* ``files/media/…`` (``MEDIA_ROOT``: report packs, exports, imports, evaluation
  evidence, publicity photos) and ``files/private/…`` (``PRIVATE_MEDIA_ROOT``: the
  complaints' evidence) when the private store is the local directory;
* ``manifest.json``: the SHA-256 and size of every file above, the row counts and a
  digest of every row of the complaints, their timelines, their attachments and the
  users, the applied migrations and the code's commit.

**Consistency.** On PostgreSQL the counts and digests are read in the very snapshot
``pg_dump`` dumps (``pg_export_snapshot`` / ``--snapshot``), so they describe the dump
exactly even on a busy system. Files are copied after the snapshot: stored files are
never overwritten and a file is written before the row that names it commits, so
every file a dumped row names is already there (a few newer files may come along).

**Restore** verifies every hash before touching anything, refuses a target database
that holds any complaint or user (a restore never mixes two histories), restores the
database in one transaction and the files, then recomputes the counts, digests and
file hashes and compares them with the manifest.

The directory is built as ``*.partial`` and renamed when complete, so a backup that
died half-way never looks like one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP, SQLITE_COPY = "db.dump", "db.sqlite3"
#: The tables whose every row the manifest fingerprints, by the name used in reports.
TABLES = {
    "complaints": "complaints.Complaint",
    "timeline": "complaints.TimelineEntry",
    "attachments": "complaints.ComplaintAttachment",
    "users": settings.AUTH_USER_MODEL,
}
#: A target holding rows in any of these is not empty: a restore would mix histories.
GUARDED = ("complaints", "users")
CHUNK = 5000


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Outcome:
    path: Path
    manifest: dict[str, Any]
    problems: list[str] = field(default_factory=list)


# --- what is where ------------------------------------------------------------------------


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"backups support PostgreSQL and SQLite, not {vendor}")
    return vendor


def _table(label: str) -> str:
    return apps.get_model(TABLES[label])._meta.db_table


def _stores() -> dict[str, Path | None]:
    """The file stores copied: MEDIA_ROOT always; PRIVATE_MEDIA_ROOT only when the
    private store is the local directory (an S3 bucket is backed up by the bucket's
    own versioning and replication, docs/operations.md)."""
    local = settings.STORAGES["private"]["BACKEND"] == "complaints.attachments.PrivateStorage"
    return {
        "media": Path(settings.MEDIA_ROOT),
        "private": Path(settings.PRIVATE_MEDIA_ROOT) if local else None,
    }


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = [program, "--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432)]
    if db["USER"]:
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # nosec B603 # noqa: S603
    if proc.returncode != 0:
        raise BackupError(f"{args[0]} failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")


# --- fingerprints of the rows ---------------------------------------------------------------


def _rows(cursor: Any, table: str, mark: str) -> Iterator[tuple]:
    """Every row of ``table`` in primary-key order, fetched in keyset chunks so a
    table of millions never sits in memory at once."""
    last = None
    while True:
        if last is None:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id LIMIT {CHUNK}")  # nosec B608 # noqa: S608
        else:
            cursor.execute(
                f"SELECT * FROM {table} WHERE id > {mark} ORDER BY id LIMIT {CHUNK}",  # nosec B608 # noqa: S608
                [last],
            )
        chunk = cursor.fetchall()
        yield from chunk
        if len(chunk) < CHUNK:
            return
        last = chunk[-1][0]


def fingerprint(cursor: Any, mark: str = "%s") -> dict[str, dict[str, Any]]:
    """Count and SHA-256 of every row of the fingerprinted tables, read through
    ``cursor`` (Django's cursor on PostgreSQL, a plain ``sqlite3`` cursor on SQLite:
    the same kind of cursor at backup and at restore, so values print alike)."""
    out = {}
    for label in TABLES:
        h, n = hashlib.sha256(), 0
        for row in _rows(cursor, _table(label), mark):
            # memoryview (bytea) prints its address: hash the bytes instead.
            values = tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            h.update(repr(values).encode())
            h.update(b"\n")
            n += 1
        out[label] = {"count": n, "sha256": h.hexdigest()}
    return out


def _attachment_files(cursor: Any) -> list[tuple[str, str]]:
    """(stored name, recorded SHA-256) of every attachment that still has its file."""
    cursor.execute(
        f"SELECT file, sha256 FROM {_table('attachments')} WHERE file <> '' ORDER BY id"  # nosec B608 # noqa: S608
    )
    return [(name, digest) for name, digest in cursor.fetchall()]


def _migrations(cursor: Any) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    out: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        out.setdefault(app, []).append(name)
    return out


def _commit() -> str:
    try:
        proc = subprocess.run(  # nosec B603 B607
            ["git", "rev-parse", "HEAD"],  # noqa: S607 - the checkout's own git
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return proc.stdout.strip() if proc.returncode == 0 else "unknown"


# --- backup ---------------------------------------------------------------------------------


@contextmanager
def _pg_snapshot() -> Iterator[tuple[str, Any]]:
    """A repeatable-read transaction whose snapshot ``pg_dump --snapshot`` shares."""
    with connection.cursor() as cur:
        cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cur.execute("SELECT pg_export_snapshot()")
            yield cur.fetchone()[0], cur
        finally:
            cur.execute("ROLLBACK")


def _copy_store(root: Path, dest: Path, files: dict[str, dict[str, Any]], prefix: str) -> int:
    n = 0
    if not root.is_dir():
        return 0
    for src in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = src.relative_to(root).as_posix()
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
        files[f"{prefix}/{rel}"] = {"sha256": sha256_file(target), "size": target.stat().st_size}
        n += 1
    return n


def backup_create(*, to: Path, log: Callable[[str], None] = lambda m: None) -> Outcome:
    """Write a complete, verified backup under ``to``; returns its directory."""
    engine = _engine()
    name = f"backup-{timezone.now():%Y%m%dT%H%M%SZ}"
    final = Path(to) / name
    work = Path(to) / f"{name}.partial"
    if final.exists() or work.exists():
        raise BackupError(f"{final} already exists")
    work.mkdir(parents=True)
    try:
        manifest = _backup_into(work, engine, log)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    work.rename(final)
    return Outcome(final, manifest, manifest["problems"])


def _backup_into(work: Path, engine: str, log: Callable[[str], None]) -> dict[str, Any]:
    files: dict[str, dict[str, Any]] = {}
    if engine == "postgresql":
        db_file = PG_DUMP
        with _pg_snapshot() as (snapshot, cur):
            log("pg_dump (custom format) in the exported snapshot …")
            args, env = _pg_command("pg_dump")
            args += ["--format=custom", f"--snapshot={snapshot}", "--file", str(work / db_file)]
            _run([*args, connection.settings_dict["NAME"]], env)
            log("Fingerprinting rows in the same snapshot …")
            rows = fingerprint(cur)
            attached = _attachment_files(cur)
            migrations = _migrations(cur)
    else:
        db_file = SQLITE_COPY
        log("Copying the SQLite database with the online backup API …")
        connection.ensure_connection()
        dst = sqlite3.connect(work / db_file)
        try:
            connection.connection.backup(dst)
        finally:
            dst.close()
        # Fingerprint the copy itself: it is exactly what will be restored.
        copy = sqlite3.connect(work / db_file)
        try:
            cur = copy.cursor()
            rows = fingerprint(cur, "?")
            attached = _attachment_files(cur)
            migrations = _migrations(cur)
        finally:
            copy.close()
    files[db_file] = {
        "sha256": sha256_file(work / db_file),
        "size": (work / db_file).stat().st_size,
    }
    stores = {}
    for store, root in _stores().items():
        if root is None:
            stores[store] = {"copied": False, "why": "object storage: the bucket's own backup"}
            continue
        log(f"Copying {store} files from {root} …")
        n = _copy_store(root, work / "files" / store, files, f"files/{store}")
        stores[store] = {"copied": True, "root": str(root), "files": n}
    problems = _check_attachments(attached, files, work, stores)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "database": db_file,
        "code": {"commit": _commit()},
        "migrations": migrations,
        "rows": rows,
        "attachment_files": len(attached),
        "stores": stores,
        "files": files,
        "problems": problems,
    }
    (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def _check_attachments(
    attached: list[tuple[str, str]], files: dict, base: Path, stores: dict
) -> list[str]:
    """Every attachment row's file is in the store with the hash the row recorded."""
    if not stores["private"]["copied"]:
        return []
    problems = []
    for name, recorded in attached:
        entry = files.get(f"files/private/{name}")
        if entry is None:
            problems.append(f"attachment file missing from the store: {name}")
        elif recorded and entry["sha256"] != recorded:
            problems.append(f"attachment file differs from its recorded hash: {name}")
    return problems


# --- restore --------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict[str, Any]:
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} is not a backup: no {MANIFEST}")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def backup_verify(source: Path) -> dict[str, Any]:
    """The manifest, once every file it lists is present with its recorded hash."""
    manifest = read_manifest(source)
    bad = []
    for rel, entry in manifest["files"].items():
        path = Path(source) / rel
        if not path.is_file():
            bad.append(f"missing: {rel}")
        elif path.stat().st_size != entry["size"] or sha256_file(path) != entry["sha256"]:
            bad.append(f"hash differs: {rel}")
    if bad:
        raise BackupError("the backup is damaged; nothing was restored:\n  " + "\n  ".join(bad))
    return manifest


def _guarded_rows() -> dict[str, int]:
    """Rows in the guarded tables of the target (tables that do not exist hold none)."""
    existing = set(connection.introspection.table_names())
    out = {}
    with connection.cursor() as cur:
        for label in GUARDED:
            table = _table(label)
            if table in existing:
                cur.execute(f"SELECT COUNT(*) FROM {table}")  # nosec B608 # noqa: S608
                out[label] = cur.fetchone()[0]
    return out


def _file_plan(manifest: dict[str, Any], source: Path) -> list[tuple[Path, Path]]:
    """(from, to) of every file to restore; refuses a destination that holds a
    different file under the same name (never overwrite someone's evidence)."""
    plan, clashes = [], []
    stores = _stores()
    for rel, entry in manifest["files"].items():
        if not rel.startswith("files/"):
            continue
        _, store, inner = rel.split("/", 2)
        root = stores.get(store)
        if root is None:
            raise BackupError(
                f"the backup holds {store} files but this installation keeps them in object "
                "storage: restore them into the bucket (docs/operations.md)"
            )
        dest = root / inner
        if dest.exists():
            if sha256_file(dest) != entry["sha256"]:
                clashes.append(str(dest))
            continue
        plan.append((Path(source) / rel, dest))
    if clashes:
        raise BackupError(
            "files already exist with different content; nothing was restored:\n  "
            + "\n  ".join(clashes[:20])
        )
    return plan


def backup_restore(*, source: Path, log: Callable[[str], None] = lambda m: None) -> Outcome:
    """Restore ``source`` into this installation's empty database and file stores,
    then prove it: counts, row digests and file hashes equal the manifest's."""
    engine = _engine()
    log("Verifying the backup's hashes …")
    manifest = backup_verify(source)
    if manifest["engine"] != engine:
        raise BackupError(
            f"the backup is of a {manifest['engine']} database; DATABASE_URL is {engine}"
        )
    held = {k: v for k, v in _guarded_rows().items() if v}
    if held:
        what = ", ".join(f"{n} {label}" for label, n in held.items())
        raise BackupError(
            f"the target database is not empty ({what}); a restore never mixes two "
            "histories: restore into a newly created database. Nothing was changed."
        )
    plan = _file_plan(manifest, source)
    log("Restoring the database …")
    dump = Path(source) / manifest["database"]
    if engine == "postgresql":
        connections.close_all()
        args, env = _pg_command("pg_restore")
        args += [
            "--dbname",
            connection.settings_dict["NAME"],
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(dump),
        ]
        _run(args, env)
    else:
        target = Path(connection.settings_dict["NAME"])
        connections.close_all()
        target.parent.mkdir(parents=True, exist_ok=True)
        src, dst = sqlite3.connect(dump), sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    log(f"Restoring {len(plan)} files …")
    for src_path, dest in plan:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src_path, dest)
    log("Verifying the restored data …")
    return Outcome(Path(source), manifest, _verify_restored(manifest))


def _read_restored() -> tuple[dict[str, dict[str, Any]], list[tuple[str, str]]]:
    """Fingerprints and attachment files of the restored database, read the way the
    backup read them (Django's cursor on PostgreSQL, plain sqlite3 on SQLite)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            return fingerprint(cur), _attachment_files(cur)
    db = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        raw = db.cursor()
        return fingerprint(raw, "?"), _attachment_files(raw)
    finally:
        db.close()


def _verify_restored(manifest: dict[str, Any]) -> list[str]:
    problems = []
    rows, attached = _read_restored()
    for label, expected in manifest["rows"].items():
        got = rows[label]
        if got["count"] != expected["count"]:
            problems.append(f"{label}: {got['count']} rows restored, {expected['count']} backed up")
        elif got["sha256"] != expected["sha256"]:
            problems.append(f"{label}: the rows differ from the backup's")
    stores = _stores()
    for rel, entry in manifest["files"].items():
        if not rel.startswith("files/"):
            continue
        _, store, inner = rel.split("/", 2)
        root = stores[store]
        if root is None:  # refused by _file_plan before anything was restored
            continue
        dest = root / inner
        if not dest.is_file() or sha256_file(dest) != entry["sha256"]:
            problems.append(f"restored file differs: {dest}")
    private = stores["private"]
    if manifest["stores"]["private"]["copied"] and private is not None:
        for name, recorded in attached:
            dest = private / name
            if not dest.is_file():
                problems.append(f"attachment file missing after restore: {name}")
            elif recorded and sha256_file(dest) != recorded:
                problems.append(f"attachment file differs from its recorded hash: {name}")
    return problems


def unapplied_migrations() -> list[str]:
    """Migrations this code has that the restored database lacks (run ``migrate``)."""
    loader = MigrationLoader(connection)
    missing = set(loader.graph.nodes) - set(loader.applied_migrations)
    return sorted(f"{app}.{name}" for app, name in missing)
