"""The load client: a separate process that signs in through the login form and
sends the benchmark's requests over loopback, timing each one.

Run as ``python -m bench.client`` with a JSON plan on stdin; prints JSON results on
stdout. Standard library only (``http.client`` and threads), and no Django: the
client must not share a process, an import cost or a database connection with what
it measures.

Plan::

    {"base": "http://127.0.0.1:8123",
     "users": {"manager": {"username": "...", "password": "..."}, ...},
     "scenarios": [
        {"name": "...", "kind": "get", "user": "manager", "path": "/complaints/",
         "requests": 100, "warmup": 5},
        {"name": "register", "kind": "register", "requests": 200,
         "lanes": [{"user": "teller0", "form": {...}}, ...]},
        {"name": "transition", "kind": "assign",
         "lanes": [{"user": "manager0", "form": {...}, "from": "register"}, ...]}
     ]}

A ``get`` scenario runs its requests one after another (latency); with ``budget_s``
it stops early once that many seconds have passed and ``min_requests`` were sent (a
page taking seconds would otherwise hold the run for many minutes). ``register`` and
``assign`` run one thread per lane, all at once (throughput with the server's
workers busy): ``register`` POSTs the intake form ``requests / lanes`` times per
lane; ``assign`` POSTs the assign action once for every complaint its lane
registered in the scenario named by ``from``.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CREATED = re.compile(r"/complaints/(\d+)/")


class Session:
    """One signed-in browser: its cookies and a connection to the server."""

    def __init__(self, base: str):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def request(self, method: str, path: str, form: dict | None = None):
        """Send one request; returns (status, headers, body, seconds)."""
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "bench-client"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, ConnectionError):
                # gunicorn's sync workers close the connection after each response.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
                if attempt == 2:
                    raise
                continue
            elapsed = time.perf_counter() - started
            break
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, data, elapsed

    def login(self, username: str, password: str) -> None:
        status, _h, body, _t = self.request("GET", "/login/")
        match = CSRF_INPUT.search(body.decode())
        if status != 200 or not match:
            raise RuntimeError(f"login page: HTTP {status}")
        form = {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password}
        status, _h, _b, _t = self.request("POST", "/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed: HTTP {status}")


def summary(latencies: list[float], wall: float, statuses: dict[int, int]) -> dict:
    ms = sorted(x * 1000 for x in latencies)
    if not ms:
        return {"n": 0, "statuses": statuses}

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, max(0, round(p * len(ms)) - 1))]

    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(pct(0.95), 1),
        "max_ms": round(ms[-1], 1),
        "mean_ms": round(statistics.fmean(ms), 1),
        "wall_s": round(wall, 2),
        "rps": round(len(ms) / wall, 1) if wall else None,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def run_get(plan: dict, sessions: dict[str, Session], sc: dict) -> dict:
    s = sessions[sc["user"]]
    expected = sc.get("expect", 200)
    for _ in range(sc.get("warmup", 5)):
        s.request("GET", sc["path"])
    latencies, statuses = [], {}
    started = time.perf_counter()
    size = 0
    budget = sc.get("budget_s")
    for i in range(sc["requests"]):
        if budget and i >= sc.get("min_requests", 20) and time.perf_counter() - started > budget:
            break  # a slow page: enough samples for its percentiles within the budget
        status, _h, body, elapsed = s.request("GET", sc["path"])
        statuses[status] = statuses.get(status, 0) + 1
        latencies.append(elapsed)
        size = len(body)
    result = summary(latencies, time.perf_counter() - started, statuses)
    result["bytes"] = size
    result["ok"] = statuses.get(expected, 0) == len(latencies)
    result["cut_short"] = len(latencies) < sc["requests"]
    return result


def run_lanes(plan: dict, sessions: dict[str, Session], sc: dict, made: dict) -> dict:
    """Every lane in its own thread, all at once; returns the throughput."""
    lanes = sc["lanes"]
    results: list[tuple[list[float], dict[int, int], list[int]]] = [None] * len(lanes)  # type: ignore[list-item]
    barrier = threading.Barrier(len(lanes) + 1)

    def lane(i: int, spec: dict) -> None:
        s = sessions[spec["user"]]
        rnd = random.Random(i)  # noqa: S311 - test data
        latencies, statuses, created = [], {}, []
        if sc["kind"] == "register":
            jobs = [None] * (sc["requests"] // len(lanes))
        else:
            jobs = made.get((sc["from"], i), [])
        token = s.cookies.get("csrftoken", "")
        barrier.wait()
        for job in jobs:
            form = dict(spec["form"], csrfmiddlewaretoken=token)
            if sc["kind"] == "register":
                form["complainant_phone"] = f"1{rnd.choice('3456789')}{rnd.randrange(10**9):09d}"
                path = "/complaints/new/"
            else:
                path = f"/complaints/{job}/act/assign/"
            status, headers, _body, elapsed = s.request("POST", path, form)
            statuses[status] = statuses.get(status, 0) + 1
            latencies.append(elapsed)
            location = headers.get("Location", "")
            if status == 302 and (m := CREATED.search(location)):
                created.append(int(m.group(1)))
        results[i] = (latencies, statuses, created)

    threads = [threading.Thread(target=lane, args=(i, spec)) for i, spec in enumerate(lanes)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    for i, (lat, st, created) in enumerate(results):
        latencies += lat
        for k, v in st.items():
            statuses[k] = statuses.get(k, 0) + v
        made[(sc["name"], i)] = created
    result = summary(latencies, wall, statuses)
    result["concurrency"] = len(lanes)
    result["ok"] = bool(latencies) and statuses.get(302, 0) == len(latencies)
    result["created"] = [c for i in range(len(lanes)) for c in made[(sc["name"], i)]]
    return result


def main() -> None:
    plan = json.load(sys.stdin)
    sessions = {}
    for alias, cred in plan["users"].items():
        s = Session(plan["base"])
        s.login(cred["username"], cred["password"])
        sessions[alias] = s
    made: dict = {}
    out = {}
    for sc in plan["scenarios"]:
        if sc["kind"] == "get":
            out[sc["name"]] = run_get(plan, sessions, sc)
        else:
            out[sc["name"]] = run_lanes(plan, sessions, sc, made)
        print(f"  {sc['name']}: {json.dumps(out[sc['name']])[:160]}", file=sys.stderr, flush=True)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
