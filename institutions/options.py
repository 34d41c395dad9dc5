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

from django.forms.boundfield import BoundField
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language

from config.revisions import read_token

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

            self._token = read_token(ReferenceRevision)
        return self._token

    def choices(self, key, load: Callable[[], list]) -> KeptChoices:
        """``choices`` for a field: the list under ``key``, built by ``load()`` when
        this process has none for the current token."""
        return KeptChoices(lambda: self.get(key, load))

    def get(self, key, load: Callable[[], list]) -> list:
        """The list under ``key``, built by ``load()`` when this process has none for
        the current token. With no token yet (an empty database) nothing is kept."""
        return self.kept(key, lambda: list(load()))

    def kept(self, key, build: Callable[[], Any]) -> Any:
        """What ``build()`` returns, kept under ``key`` while the token is unchanged:
        a list, or something made only from kept lists (a widget's markup)."""
        global _token, _lists
        token = self.token
        if token is None:
            return build()
        with _lock:
            if _token != token:
                _token, _lists = token, {}
            found = _lists.get(key)
        if found is not None:
            return found
        built = build()
        with _lock:
            if _token == token:
                if len(_lists) >= MAX_LISTS:
                    _lists = {}
                _lists[key] = built
        return built


def _is_empty(value) -> bool:
    """Whether a field shows nothing, its widget then looking as in an unbound form.
    By type, not by ``in (None, "", False, …)``: ``0 == False``, and 0 is a value."""
    return value is None or value is False or (isinstance(value, str | list | tuple) and not value)


class KeptWidgetBoundField(BoundField):
    """A form field whose widget markup, while the field is empty and valid, is kept
    beside the option lists (same token, so never older than the data).

    An empty filter renders exactly as in an unbound form, so its markup depends only
    on the form, the field, the language and, for a select of reference data, the
    list it shows; a city office's filter form wrote 300 institution options and a
    dozen other widgets on every request for the same few kilobytes (docs/
    performance.md, item 17). A field with a value, with errors or rendered with
    other attributes is written as usual. The form provides ``kept_options`` (an
    ``OptionLists``) and ``kept_choice_keys`` (field name → key of its list)."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        form = self.form
        options = getattr(form, "kept_options", None)
        if (
            options is None
            or widget is not None
            or attrs
            or only_initial
            or self.errors
            or not _is_empty(self.value())
        ):
            return super().as_widget(widget, attrs, only_initial)
        key = (
            "widget",
            type(form).__module__,
            type(form).__qualname__,
            self.html_name,
            self.auto_id,
            get_language(),
            form.kept_choice_keys.get(self.name),
        )
        return options.kept(key, lambda: super(KeptWidgetBoundField, self).as_widget())


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
