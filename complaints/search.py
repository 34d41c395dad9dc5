"""Keyword search in the free text of complaints (docs/search.md).

Chinese is written without spaces, so there are no words to index: every exact
substring of two or more characters must be found. Each complaint's free text is
kept normalised and concatenated in ``ComplaintSearch.text``; on PostgreSQL a GIN
index holds the set of its character bigrams (``complaint_search_grams(text)``,
migration 0028). A query word is looked up as the AND of its bigrams — every row
that contains the word has them all, so nothing is missed — and the candidates are
re-checked with ``strpos`` so only exact substrings remain (no extra hits). On
SQLite the same column is searched with a plain ``LIKE``.

The text is rebuilt by ``reindex`` from the complaint's own columns and its
timeline notes; every write path that changes them calls it (registration, the
workflow's one entry point, the statutory clock, mediation, the historical import,
the admin) and the bench seeder rebuilds it in bulk.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import BooleanField, Exists, Expression, F, OuterRef, Q

from .enums import TimelineAction as A
from .models import Complaint, ComplaintSearch, TimelineEntry

#: The complaint's free-text columns, in the order they are concatenated.
TEXT_FIELDS = (
    "description",
    "demand",
    "complexity_reason",
    "findings",
    "measures",
    "staff_opinion",
    "answer_note",
    "reverification",
    "refusal_note",
    "transfer_reason",
)
#: Timeline notes the system writes by itself (the sweep's reminders, the import's
#: provenance line): the same words on thousands of complaints, nobody's finding.
SYSTEM_NOTES = (
    A.REMIND,
    A.OVERDUE,
    A.AUTO_ESCALATE,
    A.STATUTORY_REMIND,
    A.STATUTORY_OVERDUE,
    A.PAUSE_LONG,
    A.REPORT_MAJOR,
    A.ADMIN_CHANGE,
)
#: Between two fields: no query can contain it (``words`` drops control
#: characters), so no match spans two fields.
SEPARATOR = "\x1f"
#: At most this many words in one query (each must appear).
MAX_WORDS = 5

_SPACE_RE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Full-width forms folded (NFKC: ＡＢＣ１２３ → abc123), lower case, runs of
    white space as one space. The PostgreSQL function ``complaint_search_norm`` does
    the same; on PostgreSQL the query goes through that one, so stored text and
    query are normalised by the same code."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", text or "")).lower()


def words(query: str) -> list[str]:
    """The query's words for the free-text search: split on white space, control
    characters dropped, at most ``MAX_WORDS``, each of two characters or more (a
    single character is too common to mean anything and no bigram can find it)."""
    cleaned = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in query or "")
    found = [w for w in normalise(cleaned).split(" ") if len(w) >= 2]
    return list(dict.fromkeys(found))[:MAX_WORDS]


# --- the query ----------------------------------------------------------------------


class _Contains(Expression):
    """PostgreSQL: the row has every bigram of ``word`` (the GIN index) and contains
    ``word`` exactly (the re-check). ``word`` is a bound parameter, normalised by the
    same SQL function as the stored text."""

    output_field = BooleanField()

    def __init__(self, word: str):
        super().__init__()
        self.text = F("text")
        self.word = word

    def get_source_expressions(self):
        return [self.text]

    def set_source_expressions(self, exprs):
        (self.text,) = exprs

    def as_sql(self, compiler, connection):
        # The column as the query aliases it (``U0."text"`` inside the EXISTS).
        column, params = compiler.compile(self.text)
        sql = (
            f"(complaint_search_grams({column}) @> "
            "complaint_search_grams(complaint_search_norm(%s)) "
            f"AND strpos({column}, complaint_search_norm(%s)) > 0)"
        )
        return sql, [*params, self.word, *params, self.word]


def text_matches(query: str) -> Q | None:
    """A filter on ``ComplaintSearch`` rows containing every word of ``query``, or
    None when the query has no word of two characters or more."""
    found = words(query)
    if not found:
        return None
    q = Q()
    for word in found:
        if connection.vendor == "postgresql":
            q &= Q(_Contains(word))
        else:
            q &= Q(text__contains=word)
    return q


def free_text_q(query: str) -> Q:
    """A filter on complaints whose free text contains every word of ``query``
    (nothing matches a query without a word of two characters or more)."""
    match = text_matches(query)
    if match is None:
        return Q(pk__in=[])
    return Q(Exists(ComplaintSearch.objects.filter(match, complaint_id=OuterRef("pk"))))


# --- keeping the text current -------------------------------------------------------

_NOTES_SQL = (
    "SELECT string_agg(complaint_search_norm(t.note), chr(31) ORDER BY t.created_at, t.id) "
    "FROM complaints_timelineentry t WHERE t.complaint_id = c.id AND t.note <> '' "
    "AND t.action NOT IN ({system})"
)
_REINDEX_SQL = (
    "INSERT INTO complaints_complaintsearch (complaint_id, text) "
    "SELECT c.id, concat_ws(chr(31), {fields}, ({notes})) "
    "FROM complaints_complaint c WHERE {where} "
    "ON CONFLICT (complaint_id) DO UPDATE SET text = EXCLUDED.text "
    # An action that changed no text writes nothing (and no GIN entry).
    "WHERE complaints_complaintsearch.text IS DISTINCT FROM EXCLUDED.text"
)


def _reindex_sql(where: str) -> str:
    system = ", ".join(f"'{a.value}'" for a in SYSTEM_NOTES)
    fields = ", ".join(f"complaint_search_norm(c.{f})" for f in TEXT_FIELDS)
    return _REINDEX_SQL.format(fields=fields, notes=_NOTES_SQL.format(system=system), where=where)


def reindex(complaint_ids: Iterable[int]) -> None:
    """Rebuild the search text of these complaints from their columns and timeline
    notes, in the caller's transaction (so the search never disagrees with what was
    just written). Call it after any change to the texts — including the coming
    anonymisation, which must not leave the old words searchable."""
    ids = sorted({int(pk) for pk in complaint_ids})
    if not ids:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(_reindex_sql("c.id = ANY(%s)"), [ids])
        return
    _reindex_python(ids)


def reindex_range(first_id: int, last_id: int) -> None:
    """``reindex`` for every complaint with ``first_id <= id <= last_id`` (the
    rebuild command and the bench seeder go through the table in such batches)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(_reindex_sql("c.id BETWEEN %s AND %s"), [first_id, last_id])
        return
    ids = Complaint.objects.filter(pk__gte=first_id, pk__lte=last_id).values_list("pk", flat=True)
    _reindex_python(list(ids))


def _reindex_python(ids: Sequence[int]) -> None:
    notes: dict[int, list[str]] = {}
    entries = (
        TimelineEntry.objects.filter(complaint_id__in=ids)
        .exclude(note="")
        .exclude(action__in=SYSTEM_NOTES)
        .order_by("created_at", "pk")
        .values_list("complaint_id", "note")
    )
    for complaint_id, note in entries:
        notes.setdefault(complaint_id, []).append(normalise(note))
    for row in Complaint.objects.filter(pk__in=ids).values("pk", *TEXT_FIELDS):
        parts = [normalise(row[f] or "") for f in TEXT_FIELDS]
        if row["pk"] in notes:
            parts.append(SEPARATOR.join(notes[row["pk"]]))
        ComplaintSearch.objects.update_or_create(
            complaint_id=row["pk"], defaults={"text": SEPARATOR.join(parts)}
        )


def reindex_all(*, batch: int = 20000, log=None) -> int:
    """Rebuild every complaint's search text, ``batch`` ids at a time (each batch
    its own statement, so a rebuild of millions neither holds one long transaction
    nor needs the whole table in memory). Returns the number of complaints."""
    from django.db.models import Max, Min

    bounds = Complaint.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return 0
    for first in range(bounds["lo"], bounds["hi"] + 1, batch):
        reindex_range(first, first + batch - 1)
        if log:
            log(min(first + batch - 1, bounds["hi"]))
    return Complaint.objects.count()
