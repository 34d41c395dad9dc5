"""What the benchmark measures besides HTTP latency: the SQL each page issues and
PostgreSQL's own time for it, the deadline sweep, and the quarterly report pack.

The SQL of a page is captured by rendering the same URL in-process for the same user
(``django.test.Client`` through the whole middleware stack, inside
``CaptureQueriesContext``); each statement is then run again under
``EXPLAIN (ANALYZE, BUFFERS)`` inside a transaction that is rolled back, so writes
(the session, the access log) leave nothing behind.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from institutions import tree
from institutions.enums import Role
from institutions.models import Institution, User

#: Statements that read or write data; the rest (BEGIN, COMMIT, SAVEPOINT …) are
#: transaction control, counted apart.
DML = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


@dataclass
class Actors:
    regulator: User
    manager: User
    tellers: list[User]
    assigners: list[User]
    handlers: list[User]
    outlets: list[Institution]
    detail_pk: int
    phone: str


def pick_actors() -> Actors:
    """The people and records the scenarios use, chosen from the seeded data: the
    city office's supervisor, the manager at the top of the largest bank, a complaint
    in progress there, a phone number that bank's customer used, and four tellers at
    outlets of four different banks with a manager over each outlet and a handler at
    it (for registering and assigning)."""
    from complaints.models import Complaint

    city = Institution.objects.get(code="BENCH-PBC-CITY")
    regulator = User.objects.filter(institution=city, role=Role.REGULATOR).order_by("pk").first()
    bank = Institution.objects.get(code="ICBC")
    manager = User.objects.filter(institution=bank, role=Role.MANAGER).order_by("pk").first()
    in_bank = Complaint.objects.filter(tree.subtree_q(bank, "handling_institution"))
    detail = (
        in_bank.filter(status="in_progress").order_by("-received_at").values_list("pk", flat=True)
    )[:1]
    phone = (
        in_bank.filter(status="archived").order_by("pk").values_list("complainant_phone", flat=True)
    )[:1]
    tellers, assigners, handlers, outlets = [], [], [], []
    for code in ("ICBC", "ABC", "CCB", "BOC"):
        top = Institution.objects.get(code=code)
        outlet = Institution.objects.subtree_of(top).filter(kind="outlet").order_by("path").first()
        parent = Institution.objects.get(pk=outlet.parent_id)
        tellers.append(User.objects.filter(institution=outlet, role=Role.TELLER).first())
        handlers.append(User.objects.filter(institution=outlet, role=Role.HANDLER).first())
        assigners.append(User.objects.filter(institution=parent, role=Role.MANAGER).first())
        outlets.append(outlet)
    return Actors(
        regulator=regulator,
        manager=manager,
        tellers=tellers,
        assigners=assigners,
        handlers=handlers,
        outlets=outlets,
        detail_pk=detail[0],
        phone=phone[0],
    )


def page_scenarios(a: Actors) -> list[dict]:
    """(name, user, path) of every page measured for latency."""
    pages = []
    for who in ("manager", "regulator"):
        pages += [
            {"name": f"list_{who}_default", "user": who, "path": "/complaints/"},
            {
                "name": f"list_{who}_status_overdue",
                "user": who,
                "path": "/complaints/?status=assigned&status=in_progress&overdue=on",
            },
            {"name": f"list_{who}_phone", "user": who, "path": f"/complaints/?q={a.phone}"},
            {"name": f"list_{who}_page500", "user": who, "path": "/complaints/?page=500"},
            # Keyword search (docs/search.md): a word in one description of twelve,
            # one in every seeded demand text's neighbour, one found nowhere.
            {
                "name": f"search_{who}_common",
                "user": who,
                "path": "/complaints/?q=" + quote("理财"),
            },
            {
                "name": f"search_{who}_phrase",
                "user": who,
                "path": "/complaints/?q=" + quote("征信报告"),
            },
            {"name": f"search_{who}_none", "user": who, "path": "/complaints/?q=" + quote("盗刷")},
        ]
    pages += [
        {"name": "detail_manager", "user": "manager", "path": f"/complaints/{a.detail_pk}/"},
        {"name": "detail_regulator", "user": "regulator", "path": f"/complaints/{a.detail_pk}/"},
        {"name": "board_manager", "user": "manager", "path": "/supervision/"},
        {"name": "board_regulator", "user": "regulator", "path": "/supervision/"},
        {"name": "home_manager", "user": "manager", "path": "/"},
        {"name": "home_regulator", "user": "regulator", "path": "/"},
        # The smallest signed-in page (the bell's unread count): what every request
        # costs before a view does its own work; the floor under the rows above.
        {"name": "floor_bell_manager", "user": "manager", "path": "/notifications/bell/"},
    ]
    return pages


def board_exists() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("supervision:board")
    except NoReverseMatch:
        return False
    return True


# --- SQL of a page and the database's own time -------------------------------------------


def explain(sql: str, runs: int = 3) -> dict:
    """Planning + execution time of one statement (median of ``runs``, warm cache),
    with the plan of the last run. Rolled back, so a write changes nothing."""
    times, plan = [], None
    for _ in range(runs):
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                plan = cur.fetchone()[0][0]
            transaction.set_rollback(True)
        times.append(plan["Planning Time"] + plan["Execution Time"])
        if times[-1] > 300:  # a slow statement: once is enough to see it is slow
            break
    return {"ms": statistics.median(times), "plan": plan}


def _plan_nodes(node: dict, out: list[str]) -> list[str]:
    label = node["Node Type"]
    if "Index Name" in node:
        label += f" {node['Index Name']}"
    elif "Relation Name" in node and "Scan" in node["Node Type"]:
        label += f" {node['Relation Name']}"
    out.append(label)
    for child in node.get("Plans", []):
        _plan_nodes(child, out)
    return out


def capture_page(client: Client, path: str, *, explain_runs: int = 3) -> dict:
    """Render ``path`` in-process and return its SQL: how many statements, and the
    database's own time for each (EXPLAIN ANALYZE), slowest first."""
    client.get(path)  # warm: caches, the session row
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    statements = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().startswith(DML)]
    timed = []
    for sql in statements:
        if sql.lstrip().startswith("INSERT"):
            # Re-running an insert would collide with the row it made (a UUID key) or
            # with the append-only trigger; inserts of one row are not what is slow.
            continue
        e = explain(sql, explain_runs)
        timed.append(
            {
                "ms": round(e["ms"], 2),
                "sql": sql if len(sql) < 4000 else sql[:4000] + " …",
                "nodes": _plan_nodes(e["plan"]["Plan"], [])[:12],
                "shared_hit": e["plan"]["Plan"].get("Shared Hit Blocks", 0),
                "shared_read": e["plan"]["Plan"].get("Shared Read Blocks", 0),
            }
        )
    timed.sort(key=lambda t: -t["ms"])
    return {
        "status": response.status_code,
        "statements": len(statements),
        "inserts_not_explained": sum(sql.lstrip().startswith("INSERT") for sql in statements),
        "transaction_control": len(ctx.captured_queries) - len(statements),
        "db_ms": round(sum(t["ms"] for t in timed), 2),
        "slowest": timed[:3],
    }


def capture_pages(scenarios: list[dict], users: dict[str, User]) -> dict[str, dict]:
    clients = {}
    for alias, user in users.items():
        c = Client(HTTP_HOST="127.0.0.1")
        c.force_login(user)
        clients[alias] = c
    return {sc["name"]: capture_page(clients[sc["user"]], sc["path"]) for sc in scenarios}


# --- The deadline sweep -------------------------------------------------------------------


def sweep() -> dict:
    """Two sweeps: the first catches up on the last day (the seed left that undone),
    the second finds nothing left. Wall time, statements, rows, and the plans of the
    claiming queries (they must use the partial indexes on open rows)."""
    from complaints.enums import OPEN_STATES
    from complaints.models import Complaint
    from complaints.sweep import deadline_sweep

    out = {
        "open": Complaint.objects.filter(status__in=OPEN_STATES).count(),
        "table": Complaint.objects.count(),
    }
    for run in ("catch_up", "idle"):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = deadline_sweep()
            wall = time.perf_counter() - started
        claims = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE SKIP LOCKED" in q["sql"]]
        out[run] = {
            "wall_s": round(wall, 3),
            "statements": sum(q["sql"].lstrip().startswith(DML) for q in ctx.captured_queries),
            "reminded": result.reminded,
            "overdue": result.overdue,
            "escalated": result.escalated,
            "notices": result.notices,
        }
        if run == "idle":
            out[run]["claim_plans"] = [
                _plan_nodes(explain(sql, 1)["plan"]["Plan"], []) for sql in claims[:3]
            ]
    return out


# --- The quarterly report pack ----------------------------------------------------------


def busiest_quarter() -> tuple[int, int, int]:
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT EXTRACT(YEAR FROM received_at AT TIME ZONE %s)::int,
                   EXTRACT(QUARTER FROM received_at AT TIME ZONE %s)::int, COUNT(*)
            FROM complaints_complaint GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1
            """,
            [settings.TIME_ZONE, settings.TIME_ZONE],
        )
        return cur.fetchone()


#: Runs the report child and prints its peak RSS (``RUSAGE_CHILDREN``). Started from
#: this small launcher rather than from the benchmark's own process: Linux starts a
#: child's ``ru_maxrss`` at the size of the process it was forked from (a benchmark
#: holding a freshly seeded data set weighs a few hundred MB), which would be
#: reported as the build's peak.
LAUNCHER = (
    "import resource, subprocess, sys; "
    "r = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
    "sys.exit(r.returncode)"
)


def report_pack(actors: Actors, media_root: Path) -> dict:
    """Build the busiest quarter's pack for the city office in a child process; the
    peak memory is that child's maximum resident set (``RUSAGE_CHILDREN`` read by a
    small launcher, see ``LAUNCHER``), with the child's own high-water mark
    (``VmHWM``) beside it."""
    from reports.models import ReportPack

    year, quarter, in_quarter = busiest_quarter()
    root = actors.regulator.institution
    pack = ReportPack.objects.create(
        year=year, quarter=quarter, root=root, requested_by=actors.regulator
    )
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE=settings.SETTINGS_MODULE,
        CELERY_BROKER_URL="memory://",
        MEDIA_ROOT=str(media_root),
        DEBUG="false",
    )
    started = time.perf_counter()
    proc = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", LAUNCHER, sys.executable, "-m", "bench.report_child", str(pack.pk)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"report child failed:\n{proc.stderr[-3000:]}")
    lines = proc.stdout.strip().splitlines()
    child = json.loads(lines[-2])
    peak_kb = int(lines[-1])
    pack.refresh_from_db()
    size, sheet_rows = 0, None
    if pack.file:
        from openpyxl import load_workbook

        path = media_root / pack.file.name  # the child's MEDIA_ROOT
        size = path.stat().st_size
        wb = load_workbook(path, read_only=True)
        sheet_rows = {ws.title: sum(1 for _ in ws.iter_rows()) - 1 for ws in wb.worksheets}
        wb.close()
        path.unlink()
    return {
        "quarter": f"{year}Q{quarter}",
        "complaints_in_quarter": in_quarter,
        "root": root.code,
        "wall_s": round(wall, 2),
        "build_s": child["build_s"],
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "peak_rss_mb_vmhwm": round(child["vmhwm_kb"] / 1024, 1),
        "status": pack.status,
        "xlsx_bytes": size,
        "sheet_rows": sheet_rows,
    }
