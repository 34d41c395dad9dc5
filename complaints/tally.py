"""The tally: the open complaints counted once a minute, not on every page view.

The supervision board and the workbench show counts over every open complaint the
viewer can see (at 1,000,000 complaints 50,000 rows; at 10,000,000 about 500,000).
Counting them on each request made both pages' database time grow with the open
complaints (5–8× for 10× the data, docs/performance.md). Instead a Celery beat task
(``complaints.tasks.open_tally_refresh``, every ``OPEN_TALLY_REFRESH_SECONDS``)
counts them here, grouped by the three institutions a complaint's visibility is
decided by, and the pages sum the few thousand rows of the latest run that the
viewer's scope reaches, with ``complaint_q`` itself: the same rows as counting the
complaints, because every column of a tally row is a count of complaints sharing
those three institutions.

Why a summary and not counters kept in step with each transition: half of the
numbers change with the clock alone (overdue, due today, past the statutory limit,
late urges) with no write to count them on; counters would also have to follow every
path that changes a complaint outside the workflow (the deadline sweep's escalation,
imports, the admin) and would put one hot row per institution under every
transition's lock. A run is a consistent snapshot at one instant instead, and the
board says which instant (docs/supervision.md, "The tally").

Every count is a ``condition(now)`` among a population, evaluated on the clock of
the run (``counted_at``); the board's drill-down applies the same condition with the
same clock (the link's ``as_of``), so a number and its list are one definition.

A page finds the latest run with ``tally_current``: a missing run, or one older
than ``OPEN_TALLY_MAX_AGE_SECONDS`` (beat not running), is recounted on the spot, so
a fresh installation and the tests show right numbers without beat.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from .enums import OPEN_STATES, ComplaintStatus, Satisfaction
from .models import Complaint, OpenTally, OpenTallyRun, Urge
from .selectors import due_today_q, past_due_q

# --- What is counted -----------------------------------------------------------------


def _open() -> Q:
    return Q(status__in=OPEN_STATES)


def _unsatisfied() -> Q:
    return Q(status=ComplaintStatus.ANSWERED, satisfaction=Satisfaction.UNSATISFIED)


#: The complaints a count counts among, each served by a partial index.
POPULATIONS: dict[str, Callable[[], Q]] = {"open": _open, "unsatisfied": _unsatisfied}


def _every(now: datetime) -> Q:
    return Q()


def urges_overdue_q(now: datetime) -> Q:
    """Urged with an expected date before ``now``'s day. One hashed set of the late
    urges' complaints, not a probe per complaint."""
    today = timezone.localtime(now).date()
    return Q(pk__in=Urge.objects.filter(expected_by__lt=today).values("complaint_id"))


@dataclass(frozen=True)
class Counted:
    """One column of the tally: ``condition(now)`` among ``POPULATIONS[population]``."""

    key: str
    condition: Callable[[datetime], Q]
    population: str = "open"

    def q(self, now: datetime) -> Q:
        """The whole definition: the population and the condition (a list's filter)."""
        return POPULATIONS[self.population]() & self.condition(now)


#: The columns of ``OpenTally``; the board's metrics are these but ``registered``
#: (supervision.selectors).
COUNTED: tuple[Counted, ...] = (
    Counted("open", _every),
    Counted("due_today", due_today_q),
    Counted("overdue", past_due_q),
    Counted("major", lambda now: Q(is_major=True)),
    Counted("repeat", lambda now: Q(is_repeat=True)),
    Counted("unsatisfied", _every, population="unsatisfied"),
    Counted("supervised", lambda now: Q(auto_escalated_at__isnull=False)),
    Counted("urges_overdue", urges_overdue_q),
    # The clock (complaints.clock): paused cases are not overdue on either clock.
    Counted("paused", lambda now: Q(paused_at__isnull=False)),
    Counted("statutory_overdue", lambda now: Q(paused_at__isnull=True, statutory_due_at__lt=now)),
    # The workbench's 待分办, before the per-user conditions (complaints.selectors).
    Counted("registered", lambda now: Q(status=ComplaintStatus.REGISTERED)),
)
COUNTED_KEYS = tuple(c.key for c in COUNTED)
_BY_KEY = {c.key: c for c in COUNTED}
#: What a tally row is grouped by: the fields ``complaint_q`` tests.
GROUP = ("handling_institution", "accepting_institution", "complained_institution")


def counted(key: str) -> Counted:
    """The column named ``key``; KeyError for an unknown one."""
    return _BY_KEY[key]


# --- Counting ------------------------------------------------------------------------


def tally_recount(*, now: datetime | None = None) -> OpenTallyRun:
    """Count every open (and unsatisfied answered) complaint into a new run on the
    clock ``now``, and drop the runs older than ``OPEN_TALLY_MAX_AGE_SECONDS`` before
    it. One aggregate per population, each over its partial index (the open rows'
    ``cmp_open_cover`` carries every column read), then one bulk insert; in one
    transaction, so a page sees a run whole or not at all. Idempotent: a second run
    at the same time holds the same numbers."""
    now = now or timezone.now()
    started = _time.monotonic()
    rows: dict[tuple[int, int, int], dict[str, int]] = {}
    for population, population_q in POPULATIONS.items():
        columns = [c for c in COUNTED if c.population == population]
        data = (
            Complaint.objects.filter(population_q())
            .values(*GROUP)
            .annotate(
                # The grouping column, never null, rather than the id: the
                # unsatisfied answers' index carries the three institutions only.
                **{
                    c.key: Count("handling_institution", filter=c.condition(now) or None)
                    for c in columns
                }
            )
            .order_by()
        )
        for d in data:
            key = (d.pop(GROUP[0]), d.pop(GROUP[1]), d.pop(GROUP[2]))
            rows.setdefault(key, {}).update(d)
    with transaction.atomic():
        run = OpenTallyRun.objects.create(counted_at=now)
        OpenTally.objects.bulk_create(
            [
                OpenTally(
                    run=run,
                    handling_institution_id=h,
                    accepting_institution_id=a,
                    complained_institution_id=c,
                    **counts,
                )
                for (h, a, c), counts in rows.items()
            ],
            batch_size=2000,
        )
        run.seconds = _time.monotonic() - started
        run.save(update_fields=["seconds"])
        _drop_runs_before(run)
    return run


def _drop_runs_before(run: OpenTallyRun) -> None:
    # Runs a little older stay, so a board page opened a minute ago can still name the
    # number its link was counted with (``tally_run_at``).
    cutoff = run.counted_at - timedelta(seconds=settings.OPEN_TALLY_MAX_AGE_SECONDS)
    old = OpenTallyRun.objects.filter(Q(counted_at__lt=cutoff) | Q(counted_at__gt=run.counted_at))
    OpenTally.objects.filter(run__in=old.values("pk")).delete()
    old.delete()


def tally_current(*, now: datetime | None = None) -> OpenTallyRun:
    """The latest run, recounted first when there is none or it is older than
    ``OPEN_TALLY_MAX_AGE_SECONDS`` (or newer than ``now``: the clock went back, or a
    caller asks about an earlier instant). Reads go to the primary: a run just
    written is not on the replica yet, and the run is one row."""
    now = now or timezone.now()
    run = OpenTallyRun.objects.using("default").order_by("-counted_at").first()
    max_age = timedelta(seconds=settings.OPEN_TALLY_MAX_AGE_SECONDS)
    if run is None or run.counted_at > now or now - run.counted_at > max_age:
        run = tally_recount(now=now)
    return run


def tally_run_at(counted_at: datetime) -> OpenTallyRun | None:
    """The run counted at exactly ``counted_at``, if it is still kept."""
    return OpenTallyRun.objects.using("default").filter(counted_at=counted_at).first()


def tally_rows(run: OpenTallyRun):
    """The rows of ``run``, read where the run was (the primary)."""
    return OpenTally.objects.using("default").filter(run=run)
