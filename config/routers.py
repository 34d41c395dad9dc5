"""Reads for reports and statistics from a PostgreSQL read replica.

Installed only when ``DATABASE_REPLICA_URL`` is set (``config/settings/base.py``):
then the ``replica`` alias exists and this router is in ``DATABASE_ROUTERS``.

Routing is opt-in per unit of work, not per model: code that reads a lot and can
live with a replica a few seconds behind (the quarterly report pack, the supervision
board and statistics) runs inside ``replica_reads()``; every other read, and every
write, goes to the primary. A context variable carries the choice, so it follows the
code that opted in (a Celery task, one view) and nothing else running in the same
process or thread.

Inside a transaction on the primary the router keeps reads on the primary: a
transaction must see its own writes, which the replica has not received yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections

REPLICA = "replica"
PRIMARY = "default"

_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within the block, reads go to the replica when one is configured (a no-op
    without one). Usable as a decorator too: ``@replica_reads()``."""
    token = _reads_from_replica.set(True)
    try:
        yield
    finally:
        _reads_from_replica.reset(token)


def reading_from_replica() -> bool:
    return _reads_from_replica.get()


class ReplicaRouter:
    """Sends reads inside ``replica_reads()`` to the replica, everything else to the
    primary; both hold the same data, so relations between their objects are fine;
    migrations run on the primary only (the replica follows it by replication)."""

    def db_for_read(self, model, **hints):
        if not _reads_from_replica.get() or REPLICA not in connections:
            return None
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
