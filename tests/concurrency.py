"""Running a function in N threads that start together (each with its own database
connection), for the concurrency and fault tests."""

import threading

from django.db import connections


def run_in_parallel(n: int, fn, timeout: float = 120):
    """Call ``fn(i)`` for i in range(n) at once; returns results or raised exceptions."""
    barrier = threading.Barrier(n)
    out = [None] * n

    def run(i):
        try:
            barrier.wait()
            out[i] = fn(i)
        except Exception as e:  # recorded for the caller's assertions
            out[i] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return out
