"""The option lists of selects built from reference data (institutions, taxonomy
codes), kept per process while the data is unchanged.

A complaint list shows a filter form with the institutions the user may choose (300
at a city office) and the business and cause codes on every request; reading and
labelling them each time cost a third of what the page adds to its database time
(docs/performance.md, item 16). A form takes ``current()`` and gives its fields
``choices(key, load)``: when the form is rendered, the token of ``ReferenceRevision``
is read (one primary-key lookup) and the lists built since it last changed are used.
``changed()`` replaces the token, so an edit in one process is seen by every other
on its next request. The lists hold what the database holds: nothing is kept past a
change, and a submitted choice is still checked against the field's queryset.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

from django.utils.choices import BaseChoiceIterator

#: More distinct lists than this (one per institution scope in use) and the cache
#: starts again: a bound on memory, not a cause of wrong answers.
MAX_LISTS = 2000

_lock = threading.Lock()
_token: str | None = None
_lists: dict[Any, list] = {}


class KeptChoices(BaseChoiceIterator):
    """A field's ``choices`` read from the kept lists when first iterated (when the
    form is rendered; a form that only validates, as the API's filters, reads
    nothing). Django takes a choice iterator as it is, where a plain list would be
    copied and checked option by option, for field and widget, on every request."""

    def __init__(self, resolve: Callable[[], list]):
        self._resolve = resolve
        self._items: list | None = None

    def __iter__(self):
        if self._items is None:
            self._items = self._resolve()
        return iter(self._items)


_UNREAD = object()


class OptionLists:
    """The lists valid for one revision token, read once on first use (take one per
    request)."""

    def __init__(self):
        self._token = _UNREAD

    @property
    def token(self) -> str | None:
        if self._token is _UNREAD:
            from .models import ReferenceRevision

            self._token = (
                ReferenceRevision.objects.filter(pk=1).values_list("token", flat=True).first()
            )
        return self._token

    def choices(self, key, load: Callable[[], list]) -> KeptChoices:
        """``choices`` for a field: the list under ``key``, built by ``load()`` when
        this process has none for the current token."""
        return KeptChoices(lambda: self.get(key, load))

    def get(self, key, load: Callable[[], list]) -> list:
        """The list under ``key``, built by ``load()`` when this process has none for
        the current token. With no token yet (an empty database) nothing is kept."""
        global _token, _lists
        token = self.token
        if token is None:
            return list(load())
        with _lock:
            if _token != token:
                _token, _lists = token, {}
            found = _lists.get(key)
        if found is not None:
            return found
        built = list(load())
        with _lock:
            if _token == token:
                if len(_lists) >= MAX_LISTS:
                    _lists = {}
                _lists[key] = built
        return built


def current() -> OptionLists:
    return OptionLists()


def changed(**_signal_kwargs) -> None:
    """Record that institutions or taxonomy codes changed: every process rebuilds its
    lists on next use. Also a signal receiver."""
    global _token, _lists
    from .models import ReferenceRevision

    ReferenceRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
    with _lock:
        _token, _lists = None, {}
