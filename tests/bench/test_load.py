"""The load phase's pieces that need no server: the gunicorn configuration it takes
from the Procfile, and the Markdown it writes into the benchmark's output."""

from __future__ import annotations

from bench.load_plan import markdown
from bench.server import deployed_web_config


def test_load_runs_gunicorn_as_the_procfile_deploys_it():
    assert deployed_web_config() == (2, 4)


def _level(clients: int, rps: float, errors: dict[str, int]) -> dict:
    return {
        "clients": clients,
        "seconds": 20.0,
        "requests": int(rps * 20),
        "rps": rps,
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "kinds": {
            "detail": {"n": 100, "p50_ms": 40.0, "p95_ms": 90.5, "max_ms": 130.0},
            "register": {"n": 10, "p50_ms": 80.0, "p95_ms": 150.0, "max_ms": 210.0},
        },
    }


def test_load_markdown_reports_throughput_errors_and_percentiles_per_level():
    md = markdown(
        {
            "complaints": 20000,
            "workers": 2,
            "threads": 4,
            "config": "Procfile web",
            "seconds": 20,
            "warmup": 3,
            "command": "manage.py bench --complaints 20000",
            "when": "2026-12-05 13:00, load average 1.0",
            "levels": [
                _level(8, 50.0, {}),
                _level(16, 40.0, {}),
                _level(32, 30.0, {"register 500": 2}),
            ],
        }
    )

    assert "20,000 complaints; gunicorn 2 workers × 4 threads" in md
    assert "| 8 | 1,000 | 50.0 | 100% | 0 |" in md
    assert "| 32 | 600 | 30.0 | 60% | 2 (register 500: 2) |" in md
    assert "| 16 | detail | 100 | 40.0 | 90.5 | 130.0 |" in md
    assert md.index("| 32 | detail |") < md.index("| 32 | register |")
