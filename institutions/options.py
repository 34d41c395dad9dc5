"""The revision of the reference data that selects show (institutions, taxonomy
codes): a token in ``ReferenceRevision`` that changes whenever they change.

A page fragment that shows options built from this data (the complaint list's empty
filter bar, ``ListFilterForm.fragment_key``) is cached under the token, so it is
never older than the data: an edit in one process changes the token every other
process reads on its next request. A random token (not a counter) stays correct when
the transaction that changed the data is rolled back.
"""

from __future__ import annotations

import uuid

from config.revisions import read_token


def token() -> str | None:
    """The current token; None before anything was ever recorded (cache nothing)."""
    from .models import ReferenceRevision

    return read_token(ReferenceRevision)


def changed(**_signal_kwargs) -> None:
    """Record that institutions or taxonomy codes changed. Also a signal receiver
    (``Institution``, ``TaxonomyCode``); a bulk loader that bypasses the signals
    calls it."""
    from .models import ReferenceRevision

    ReferenceRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
