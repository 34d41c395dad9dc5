"""The revision of the reference data that selects show (institutions, taxonomy
codes, staff): a token in ``ReferenceRevision`` that changes whenever they change.

A select of such data can have hundreds of options (a city office's institutions,
the handlers of its banks), each written through Django's option template. Its
markup depends only on the data, the user's scope, the language and the chosen
value, so a template caches it as a fragment under ``fragment_key`` and the value
(institutions/_reference_widget.html). The key holds the token, so the fragment is
never older than the data: an edit in one process changes the token every other
process reads on its next request. A random token (not a counter) stays correct
when the transaction that changed the data is rolled back.
"""

from __future__ import annotations

import uuid

from django.utils.translation import get_language

from config.revisions import read_token

#: A user saved with only these fields changed (a login, a password hash upgrade)
#: changes nothing any select shows.
UNSHOWN_USER_FIELDS = frozenset({"last_login", "password"})


def token() -> str | None:
    """The current token; None before anything was ever recorded (cache nothing)."""
    from .models import ReferenceRevision

    return read_token(ReferenceRevision)


def fragment_key(user) -> tuple | None:
    """What a select of reference data shows to ``user`` depends on, besides the
    chosen value: the revision, the user's institution scope and the language. None
    when no revision is recorded yet (then nothing is cached)."""
    from .access import scope_key

    current = token()
    if current is None:
        return None
    return (current, *scope_key(user), get_language())


def changed(**_signal_kwargs) -> None:
    """Record that institutions, taxonomy codes or staff changed. Also a signal
    receiver (``Institution``, ``TaxonomyCode``); a bulk loader that bypasses the
    signals calls it."""
    from .models import ReferenceRevision

    ReferenceRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def staff_changed(*, update_fields=None, **signal_kwargs) -> None:
    """``changed`` for a saved or deleted user, unless only their last login or
    password hash was written (every login does that)."""
    if update_fields is not None and set(update_fields) <= UNSHOWN_USER_FIELDS:
        return
    changed(**signal_kwargs)
