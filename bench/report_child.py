"""Builds one report pack in its own process so the benchmark can read the peak
memory of the build alone: ``python -m bench.report_child <pack id>``. Prints one JSON
line (build time, own peak RSS, status)."""

from __future__ import annotations

import json
import resource
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
                "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "status": status,
            }
        )
    )


if __name__ == "__main__":
    main()
