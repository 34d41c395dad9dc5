"""The load phase's client: closed-loop clients, each signed in as one person, sending
a realistic mix of requests with no think time, at several levels of concurrency.

Run as ``python -m bench.load`` with a JSON plan on stdin; prints JSON results on
stdout. Standard library only, like ``bench.client`` (whose ``Session`` it reuses):
no Django in the process that measures.

Plan::

    {"base": "http://127.0.0.1:8123", "levels": [8, 16, 32], "seconds": 60,
     "warmup": 5, "seed": 1,
     "personas": [{"name": "manager", "username": "...", "password": "...",
                   "mix": [["list", 20, {"paths": ["/complaints/", ...]}],
                           ["detail", 25, {"paths": ["/complaints/12/", ...]}],
                           ["register", 10, {"form": {...}, "outlet": 17}],
                           ["transition", 10, {"form": {...}, "outlet": 17}], ...]},
                  ...]}

Level ``n`` runs ``n`` clients, client ``i`` being persona ``i % len(personas)``. A
client draws each request from its persona's mix by weight; a ``register`` POSTs
the intake form and puts the new complaint on its outlet's queue; a
``transition`` assigns the oldest complaint on its outlet's queue (a GET of the
persona's first list path when the queue is empty, counted as ``list``). Requests
in the first ``warmup`` seconds are not counted. An error is any other status
than 200 for a page and 302 for a form, or a failed connection.
"""

from __future__ import annotations

import collections
import http.client
import json
import random
import sys
import threading
import time

from bench.client import CREATED, Session

EXPECTED = {"register": 302, "transition": 302}


def pct(ms: list[float], p: float) -> float:
    return ms[min(len(ms) - 1, max(0, round(p * len(ms)) - 1))]


class Level:
    """The shared state of one level: outlet queues and what each client recorded."""

    def __init__(self):
        self.lock = threading.Lock()
        self.queues: dict[int, collections.deque] = collections.defaultdict(collections.deque)
        self.samples: list[tuple[str, float, bool, str]] = []  # type, ms, ok, status

    def record(self, kind: str, ms: float, ok: bool, status: str) -> None:
        with self.lock:
            self.samples.append((kind, ms, ok, status))


def client(plan: dict, persona: dict, index: int, level: Level, start: float, stop: float):
    rnd = random.Random(plan.get("seed", 1) * 1000 + index)  # noqa: S311 - load mix
    s = Session(plan["base"])
    try:
        s.login(persona["username"], persona["password"])
    except (OSError, http.client.HTTPException, RuntimeError) as e:
        level.record("login", 0.0, False, type(e).__name__)
        return
    kinds = [m[0] for m in persona["mix"]]
    weights = [m[1] for m in persona["mix"]]
    specs = {m[0]: m[2] for m in persona["mix"]}
    fallback = next(m[2]["paths"][0] for m in persona["mix"] if m[0] in ("list", "home"))
    while (now := time.perf_counter()) < start:
        time.sleep(min(0.05, start - now))
    while time.perf_counter() < stop:
        kind = rnd.choices(kinds, weights)[0]
        spec = specs[kind]
        method, form, path = "GET", None, None
        if kind == "register":
            method, path = "POST", "/complaints/new/"
            form = dict(spec["form"], csrfmiddlewaretoken=s.cookies.get("csrftoken", ""))
            form["complainant_phone"] = f"1{rnd.choice('3456789')}{rnd.randrange(10**9):09d}"
        elif kind == "transition":
            with level.lock:
                queue = level.queues[spec["outlet"]]
                pk = queue.popleft() if queue else None
            if pk is None:
                kind, path = "list", fallback
            else:
                method, path = "POST", f"/complaints/{pk}/act/assign/"
                form = dict(spec["form"], csrfmiddlewaretoken=s.cookies.get("csrftoken", ""))
        else:
            path = rnd.choice(spec["paths"])
        sent = time.perf_counter()
        try:
            status, headers, _body, elapsed = s.request(method, path, form)
        except (OSError, http.client.HTTPException) as e:  # refused, reset or timed out
            s.conn.close()
            if sent >= start + plan["warmup"]:
                level.record(kind, (time.perf_counter() - sent) * 1000, False, type(e).__name__)
            continue
        ok = status == EXPECTED.get(kind, 200)
        if kind == "register" and ok and (m := CREATED.search(headers.get("Location", ""))):
            with level.lock:
                level.queues[spec["outlet"]].append(int(m.group(1)))
        if sent >= start + plan["warmup"]:
            level.record(kind, elapsed * 1000, ok, str(status))


def run_level(plan: dict, n: int) -> dict:
    level = Level()
    personas = plan["personas"]
    # Sign-in happens before ``start``: the window measures work, not logins.
    start = time.perf_counter() + 3 + 0.3 * n
    stop = start + plan["warmup"] + plan["seconds"]
    threads = [
        threading.Thread(
            target=client, args=(plan, personas[i % len(personas)], i, level, start, stop)
        )
        for i in range(n)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    window = time.perf_counter() - (start + plan["warmup"])
    by_kind: dict[str, list[float]] = collections.defaultdict(list)
    errors: collections.Counter = collections.Counter()
    for kind, ms, ok, status in level.samples:
        by_kind[kind].append(ms)
        if not ok:
            errors[f"{kind} {status}"] += 1
    kinds = {}
    for kind, values in sorted(by_kind.items()):
        values.sort()
        kinds[kind] = {
            "n": len(values),
            "p50_ms": round(pct(values, 0.5), 1),
            "p95_ms": round(pct(values, 0.95), 1),
            "max_ms": round(values[-1], 1),
        }
    total = len(level.samples)
    return {
        "clients": n,
        "seconds": round(window, 1),
        "requests": total,
        "rps": round(total / window, 1) if window > 0 else None,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "kinds": kinds,
    }


def main() -> None:
    plan = json.load(sys.stdin)
    out = []
    for n in plan["levels"]:
        result = run_level(plan, n)
        out.append(result)
        print(
            f"  {n} clients: {result['rps']} req/s, {result['errors']} errors",
            file=sys.stderr,
            flush=True,
        )
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
