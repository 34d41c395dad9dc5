"""Markdown tables from benchmark results: ``python -m bench.compare before.json
after.json`` (one or more files written by ``manage.py bench``), for
docs/performance.md. Standard library only."""

from __future__ import annotations

import json
import sys


def _f(v, digits: int = 0) -> str:
    return "—" if v is None else f"{v:,.{digits}f}"


def pages(runs: list[tuple[str, dict]]) -> str:
    names = list(runs[-1][1]["sql"])
    head = "| page | " + " | ".join(f"{label} p50 / p95 ms | SQL | DB ms" for label, _ in runs)
    out = [head + " |", "|---|" + "---|---|---|" * len(runs)]
    for name in names:
        cells = []
        for _label, r in runs:
            h = r.get("http", {}).get(name, {})
            s = r["sql"].get(name, {})
            n = f" (n={h['n']})" if h.get("cut_short") else ""
            cells += [
                f"{_f(h.get('p50_ms'))} / {_f(h.get('p95_ms'))}{n}",
                str(s.get("statements", "—")),
                _f(s.get("db_ms"), 1),
            ]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def others(runs: list[tuple[str, dict]]) -> str:
    out = ["| measure | " + " | ".join(label for label, _ in runs) + " |"]
    out.append("|---|" + "---|" * len(runs))

    def row(title, fn):
        vals = []
        for _label, r in runs:
            try:
                vals.append(fn(r))
            except (KeyError, TypeError):
                vals.append("—")
        out.append(f"| {title} | " + " | ".join(vals) + " |")

    row("complaints / open", lambda r: f"{r['data']['complaints']:,} / {r['data']['open']:,}")
    row(
        "seed",
        lambda r: f"{r['seed']['total_s']:.0f} s" if "seed" in r else "(existing data)",
    )
    for name in ("register", "transition_assign"):
        row(
            f"{name}: req/s with 2 workers (p50 / p95 ms)",
            lambda r, n=name: (
                f"{r['http'][n]['rps']} ({_f(r['http'][n]['p50_ms'])} / "
                f"{_f(r['http'][n]['p95_ms'])})"
            ),
        )
    for run in ("catch_up", "idle"):
        row(
            f"sweep {run}: wall, statements, rows done",
            lambda r, k=run: (
                f"{r['sweep'][k]['wall_s'] * 1000:,.0f} ms, "
                f"{r['sweep'][k]['statements']}, "
                f"{sum(r['sweep'][k][x] for x in ('reminded', 'overdue', 'escalated'))}"
            ),
        )
    row(
        "report pack (busiest quarter): wall, peak RSS",
        lambda r: (
            f"{r['report']['wall_s']} s, {r['report']['peak_rss_mb']} MB "
            f"({r['report']['complaints_in_quarter']:,} complaints)"
        ),
    )
    row("total run", lambda r: f"{r['total_s'] / 60:.1f} min")
    return "\n".join(out)


def main() -> None:
    runs = []
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            r = json.load(f)
        runs.append((r.get("label") or path, r))
    print(pages(runs))
    print()
    print(others(runs))


if __name__ == "__main__":
    main()
