"""``manage.py bench``: seed a large data set on PostgreSQL and measure it.

    python manage.py bench                      # 1,000,000 complaints, everything
    python manage.py bench --complaints 100000  # a smaller data set
    python manage.py bench --seed-only          # load the data and stop
    python manage.py bench --skip-seed          # measure the data already there
    python manage.py bench --load-seconds 20    # shorter levels of the load phase

Needs a PostgreSQL database of its own (``DATABASE_URL``): migrations are applied,
then the seed refuses a database that already holds complaints. Prints a table and
writes everything (plans of the slowest statements included) to
``var/bench/bench-<time>.json``. The load phase (closed-loop clients at 8, 16 and 32
at once against gunicorn as deployed, ``bench.load``) writes its Markdown tables to
``var/bench/load-<time>.md`` and, after a full run, appends them to
``bench/HISTORY.md``. Nothing here is a pass/fail test.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bench import load_plan, measure, seed
from bench.server import deployed_web_config, gunicorn

TARGET_PAGE_P95_MS = 150
TARGET_STATEMENTS = 15
#: Seconds one page may take in all; a page slower than ~0.5 s stops after 20 requests.
PAGE_BUDGET_S = 45


class Command(BaseCommand):
    help = "Seed a large data set on PostgreSQL and measure pages, writes, sweep and reports"

    def add_arguments(self, parser):
        parser.add_argument("--complaints", type=int, default=1_000_000)
        parser.add_argument("--seed-only", action="store_true")
        parser.add_argument("--skip-seed", action="store_true")
        parser.add_argument(
            "--requests", type=int, default=100, help="requests per page (sequential)"
        )
        parser.add_argument("--label", default="", help="a note stored in the JSON")
        parser.add_argument("--no-http", action="store_true", help="skip gunicorn and the client")
        parser.add_argument("--no-report", action="store_true", help="skip the report pack")
        parser.add_argument("--no-sweep", action="store_true", help="skip the deadline sweep")
        parser.add_argument("--no-load", action="store_true", help="skip the load phase")
        parser.add_argument(
            "--load-only",
            action="store_true",
            help="only the load phase (no SQL capture, pages, report or sweep)",
        )
        parser.add_argument(
            "--load-levels", default="8,16,32", help="clients at once, comma-separated"
        )
        parser.add_argument(
            "--load-seconds", type=int, default=60, help="measured seconds per load level"
        )
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="do not append the load tables to bench/HISTORY.md",
        )
        parser.add_argument(
            "--pages",
            default="",
            help="only the pages whose names start with one of these comma-separated "
            "prefixes (e.g. list_,detail_), and no writes: a quick look while working",
        )

    def log(self, msg: str) -> None:
        self.stdout.write(msg)
        self.stdout.flush()

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql":
            raise CommandError("the benchmark runs on PostgreSQL only: set DATABASE_URL")
        # SIGTERM unwinds like Ctrl-C, so gunicorn and the client are always stopped.
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            self._run(opts)
        finally:
            signal.signal(signal.SIGTERM, previous)

    def _run(self, opts: dict) -> None:
        self._quiet_broker()
        started = time.perf_counter()
        results: dict = {
            "label": opts["label"],
            "started_at": timezone.now().isoformat(),
            "machine": _machine(),
        }
        call_command("migrate", verbosity=0, interactive=False)
        if not opts["skip_seed"]:
            self.log(f"Seeding {opts['complaints']:,} complaints …")
            try:
                report = seed.seed(opts["complaints"], log=self.log)
            except RuntimeError as e:
                raise CommandError(f"{e} (or pass --skip-seed)") from e
            results["seed"] = {
                "complaints": report.complaints,
                "timeline": report.timeline,
                "notifications": report.notifications,
                "extensions": report.extensions,
                "urges": report.urges,
                "institutions": report.institutions,
                "users": report.users,
                "open": report.open,
                "open_overdue": report.overdue,
                "seconds": {k: round(v, 1) for k, v in report.seconds.items()},
                "total_s": round(report.total_seconds, 1),
            }
            self.log(f"Seeded in {report.total_seconds:.0f} s")
            if opts["seed_only"]:
                self._write(results)
                return
        results["data"] = _data_size()
        actors = measure.pick_actors()
        var = Path(settings.VAR_DIR) / "bench"
        scenarios = measure.page_scenarios(actors)
        if not measure.board_exists():
            scenarios = [s for s in scenarios if not s["name"].startswith("board_")]
            results["notes"] = ["supervision board URL missing: board not measured"]
        if opts["pages"]:
            prefixes = tuple(p for p in opts["pages"].split(",") if p)
            scenarios = [s for s in scenarios if s["name"].startswith(prefixes)]
        if opts["load_only"]:
            opts.update(no_report=True, no_http=False, no_sweep=True, no_history=True)
        else:
            self.log("Capturing each page's SQL and EXPLAIN ANALYZE …")
            results["sql"] = measure.capture_pages(
                scenarios, {"manager": actors.manager, "regulator": actors.regulator}
            )
        if not opts["no_report"]:
            self.log("Building the busiest quarter's report pack in a child process …")
            media = var / "media"
            results["report"] = measure.report_pack(actors, media)
            shutil.rmtree(media, ignore_errors=True)
        if not (opts["no_http"] or opts["load_only"]):
            self.log("Measuring through gunicorn (2 workers) with a client process …")
            results["http"] = self._http(
                actors, scenarios, opts["requests"], var / "server", writes=not opts["pages"]
            )
        if not opts["no_sweep"]:
            self.log("Deadline sweep …")
            results["sweep"] = measure.sweep()
        load_md = None
        if not (opts["no_load"] or opts["no_http"] or opts["pages"]):
            levels = [int(x) for x in opts["load_levels"].split(",") if x.strip()]
            self.log(f"Load phase: {levels} closed-loop clients, {opts['load_seconds']} s each …")
            results["load"] = self._load(actors, levels, opts["load_seconds"], var / "load")
            load_md = load_plan.markdown(results["load"])
        results["total_s"] = round(time.perf_counter() - started, 1)
        results["machine"]["load_after"] = os.getloadavg()
        self._write(results)
        self._print(results)
        if load_md:
            self._write_load(load_md, full=self._full_run(opts))

    # -- pieces -----------------------------------------------------------------------

    def _quiet_broker(self) -> None:
        """The sweep enqueues e-mail after commit: keep those messages in this process
        instead of the shared filesystem queue a `make run` worker may be reading."""
        from config.celery import app

        app.conf.broker_url = "memory://"

    def _http(
        self, a: measure.Actors, scenarios: list[dict], n: int, var: Path, *, writes: bool = True
    ) -> dict:
        users = {"manager": a.manager, "regulator": a.regulator}
        register_lanes, assign_lanes = [], []
        for i, (teller, assigner, handler, outlet) in enumerate(
            zip(a.tellers, a.assigners, a.handlers, a.outlets, strict=True)
        ):
            users[f"teller{i}"], users[f"assigner{i}"] = teller, assigner
            register_lanes.append({"user": f"teller{i}", "form": load_plan.register_form(outlet)})
            assign_lanes.append(
                {"user": f"assigner{i}", "form": load_plan.assign_form(outlet, handler)}
            )
        plan = {
            "users": {
                alias: {"username": u.username, "password": seed.PASSWORD}
                for alias, u in users.items()
            },
            "scenarios": [
                {
                    **s,
                    "kind": "get",
                    "requests": n,
                    "warmup": 3,
                    "budget_s": PAGE_BUDGET_S,
                    "min_requests": min(n, 20),
                }
                for s in scenarios
            ],
        }
        if writes:
            plan["scenarios"] += [
                {
                    "name": "register",
                    "kind": "register",
                    "requests": max(200, 2 * n),
                    "lanes": register_lanes,
                },
                {
                    "name": "transition_assign",
                    "kind": "assign",
                    "from": "register",
                    "lanes": assign_lanes,
                },
            ]
        with gunicorn(var, log=self.log) as base:
            plan["base"] = base
            client = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "bench.client"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=settings.BASE_DIR,
            )
            try:
                stdout, stderr = client.communicate(json.dumps(plan))
            finally:
                if client.poll() is None:
                    client.kill()
                    client.wait()
            proc = subprocess.CompletedProcess(client.args, client.returncode, stdout, stderr)
        if proc.returncode != 0:
            raise CommandError(f"client failed:\n{proc.stderr[-4000:]}")
        out = json.loads(proc.stdout)
        for r in out.values():
            r.pop("created", None)
        return out

    def _load(self, a: measure.Actors, levels: list[int], seconds: int, var: Path) -> dict:
        """Closed-loop clients at each level against gunicorn configured as the
        Procfile deploys it; the client is ``bench.load`` in its own process."""
        workers, threads = deployed_web_config()
        plan = {
            "levels": levels,
            "seconds": seconds,
            "warmup": min(5, max(1, seconds // 6)),
            "seed": 1,
            "personas": load_plan.personas(a),
        }
        with gunicorn(var, log=self.log, workers=workers, threads=threads) as base:
            plan["base"] = base
            client = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "bench.load"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=None,  # the per-level lines show progress
                text=True,
                cwd=settings.BASE_DIR,
            )
            try:
                stdout, _ = client.communicate(json.dumps(plan))
            finally:
                if client.poll() is None:
                    client.kill()
                    client.wait()
        if client.returncode != 0:
            raise CommandError("load client failed (its error is above)")
        from complaints.models import Complaint

        return {
            "complaints": Complaint.objects.count(),
            "workers": workers,
            "threads": threads,
            "config": "Procfile web",
            "seconds": seconds,
            "warmup": plan["warmup"],
            "command": " ".join(["manage.py bench", *sys.argv[2:]]),
            "when": f"{timezone.localtime():%Y-%m-%d %H:%M}, load average {os.getloadavg()[0]:.1f}",
            "levels": json.loads(stdout),
        }

    @staticmethod
    def _full_run(opts: dict) -> bool:
        """Every phase ran at the default levels: worth a place in the history."""
        skipped = ("no_history", "no_report", "no_sweep", "no_http", "no_load", "pages")
        return not any(opts[k] for k in skipped) and opts["load_levels"] == "8,16,32"

    def _write_load(self, md: str, *, full: bool) -> None:
        self.log("")
        self.log(md)
        out = Path(settings.VAR_DIR) / "bench"
        path = out / f"load-{timezone.localtime():%Y%m%d-%H%M%S}.md"
        path.write_text(md)
        self.log(f"Wrote {path}")
        if full:
            history = Path(settings.BASE_DIR) / "bench" / "HISTORY.md"
            with history.open("a") as f:
                f.write(f"\n\n## Load phase, {timezone.localtime():%Y-%m-%d}\n\n{md}")
            self.log(f"Appended the load tables to {history}")

    def _print(self, r: dict) -> None:
        w = self.log
        w("")
        if "seed" in r:
            s = r["seed"]
            w(
                f"Seed: {s['complaints']:,} complaints, {s['timeline']:,} timeline rows, "
                f"{s['notifications']:,} notifications, {s['open']:,} open "
                f"({s['open_overdue']:,} overdue) in {s['total_s']:.0f} s "
                f"({', '.join(f'{k} {v:.0f}s' for k, v in s['seconds'].items())})"
            )
        d = r["data"]
        w(f"Data: {d['complaints']:,} complaints, {d['open']:,} open; tables {d['size_mb']:,} MB")
        http = r.get("http", {})
        head = f"{'page':<28}{'p50':>8}{'p95':>8}{'max':>8}{'SQL':>5}{'DB ms':>8}{'app ms':>8}  ok"
        w("")
        w(head)
        w("-" * len(head))
        for name, sql in r.get("sql", {}).items():
            h = http.get(name, {})
            p50 = h.get("p50_ms")
            app = (p50 - sql["db_ms"]) if p50 is not None else None
            ok = (
                h.get("ok", False)
                and h.get("p95_ms", 1e9) < TARGET_PAGE_P95_MS
                and sql["statements"] <= TARGET_STATEMENTS
            )
            verdict = "—" if not h else "yes" if ok else "NO"
            w(
                f"{name:<28}{_f(p50):>8}{_f(h.get('p95_ms')):>8}{_f(h.get('max_ms')):>8}"
                f"{sql['statements']:>5}{sql['db_ms']:>8.1f}{_f(app):>8}  {verdict}"
            )
        w(f"ok: p95 < {TARGET_PAGE_P95_MS} ms and ≤ {TARGET_STATEMENTS} statements")
        for name in ("register", "transition_assign"):
            if name in http:
                h = http[name]
                w(
                    f"{name:<28}{_f(h.get('p50_ms')):>8}{_f(h.get('p95_ms')):>8}"
                    f"{_f(h.get('max_ms')):>8}   {h.get('rps')} req/s with "
                    f"{h.get('concurrency')} clients, statuses {h.get('statuses')}"
                )
        if "sweep" in r:
            s = r["sweep"]
            for run in ("catch_up", "idle"):
                x = s[run]
                w(
                    f"sweep {run:<22}{x['wall_s'] * 1000:>8.0f} ms, {x['statements']} statements, "
                    f"{x['reminded']}/{x['overdue']}/{x['escalated']} reminded/overdue/escalated "
                    f"of {s['open']:,} open ({s['table']:,} in the table)"
                )
        if "report" in r:
            x = r["report"]
            w(
                f"report pack {x['quarter']:<16}{x['wall_s']:>8.1f} s, peak {x['peak_rss_mb']} MB "
                f"({x['complaints_in_quarter']:,} complaints in the quarter, {x['status']})"
            )
        w(f"Total {r['total_s']:.0f} s; load average after {r['machine']['load_after']}")

    def _write(self, r: dict) -> None:
        out = Path(settings.VAR_DIR) / "bench"
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"bench-{timezone.localtime():%Y%m%d-%H%M%S}.json"
        path.write_text(json.dumps(r, ensure_ascii=False, indent=1, default=str))
        self.log(f"Wrote {path}")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _f(v) -> str:
    return "—" if v is None else f"{v:.1f}"


def _machine() -> dict:
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
        cur.execute("SHOW jit")
        jit = cur.fetchone()[0]
        cur.execute("SHOW shared_buffers")
        shared = cur.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": version,
        "jit": jit,
        "shared_buffers": shared,
        "load_before": os.getloadavg(),
    }


def _data_size() -> dict:
    from complaints.enums import OPEN_STATES
    from complaints.models import Complaint

    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_total_relation_size('complaints_complaint') "
            "+ pg_total_relation_size('complaints_timelineentry') "
            "+ pg_total_relation_size('notifications_notification')"
        )
        size = cur.fetchone()[0]
    return {
        "complaints": Complaint.objects.count(),
        "open": Complaint.objects.filter(status__in=OPEN_STATES).count(),
        "size_mb": round(size / 2**20),
    }
