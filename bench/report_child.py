"""Builds one report pack in its own process so the benchmark can read the peak
memory of the build alone: ``python -m bench.report_child <pack id>``. Prints one JSON
line (build time, its peak RSS from /proc, status)."""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    import django

    django.setup()
    from reports.models import ReportPack
    from reports.services import report_pack_build

    started = time.perf_counter()
    pack = report_pack_build(sys.argv[1])
    elapsed = time.perf_counter() - started
    del pack
    status = ReportPack.objects.get(pk=sys.argv[1]).status
    print(
        json.dumps(
            {
                "build_s": round(elapsed, 2),
                "vmhwm_kb": _vmhwm_kb(),
                "status": status,
            }
        )
    )


def _vmhwm_kb() -> int:
    """This process's peak resident set since it started (Linux)."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


if __name__ == "__main__":
    main()
