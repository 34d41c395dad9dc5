"""Keyword search in the free text of complaints (docs/search.md).

Chinese is written without spaces, so there are no words to index: every exact
substring of two or more characters must be found. Each complaint's free text is
kept normalised and concatenated in ``ComplaintSearch.text``; on PostgreSQL the set
of its character bigrams is a stored generated column ``grams`` (not a model field:
PostgreSQL computes it whenever ``text`` is written, migration 0030) with a GIN
index. A query word is looked up as the AND of its bigrams — every row that contains
the word has them all, so nothing is missed — and the candidates are re-checked
with ``strpos`` so only exact substrings remain (no extra hits). A word common in
the newest rows is not looked up in the index at all: the list reads complaints
newest first and checks each one's text until its page is full (``free_text_q``).
On SQLite the same column is searched with a plain ``LIKE``.

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

#: How many of the newest search rows are read to tell a common word from a rare one.
SAMPLE_ROWS = 2000
#: A word found in more than this share of the sample is "common": the list reads
#: the complaints newest first and probes each one's text, and a page of results is
#: found after a few hundred probes. Below it, the ids come from the GIN index.
COMMON_SHARE = 0.02
#: A rare word's ids are taken from the index up to this many; more (the newest
#: rows were not typical) and the list falls back to the common word's plan.
PROBE_FROM = 20_000


#: A query word as SQL: a parameter, normalised like the stored text.
_WORD = "complaint_search_norm(%s)"


class _Contains(Expression):
    """PostgreSQL: the search row contains every one of ``words`` exactly
    (``strpos``); with ``grams`` also has all their bigrams, which is what lets the
    GIN index on the ``grams`` column (migration 0030) find the candidates. The
    words are bound parameters, normalised by the same SQL function as the stored
    text. Without ``grams`` the condition is what a probe of one row needs."""

    output_field = BooleanField()

    def __init__(self, words: Sequence[str], *, grams: bool):
        super().__init__()
        self.text = F("text")
        self.words = list(words)
        self.grams = grams

    def get_source_expressions(self):
        return [self.text]

    def set_source_expressions(self, exprs):
        (self.text,) = exprs

    def as_sql(self, compiler, connection):
        # The column as the query aliases it (``U0."text"`` inside the EXISTS); the
        # generated ``grams`` column is not a model field and sits beside it.
        column, params = compiler.compile(self.text)
        parts, args = [], []
        if self.grams:
            table = column.rsplit(".", 1)[0] + "." if "." in column else ""
            wanted = " || ".join([f"complaint_search_grams({_WORD})"] * len(self.words))
            parts.append(f'{table}"grams" @> ({wanted})')
            args += self.words
        for word in self.words:
            parts.append(f"strpos({column}, {_WORD}) > 0")
            args += [*params, word]
        return "(" + " AND ".join(parts) + ")", args


class _ProbeEach(Exists):
    """``EXISTS`` evaluated row by row, as the outer scan reaches each complaint.
    ``OFFSET 0`` keeps PostgreSQL from turning it into a hashed subplan, which would
    first read every search row; row by row, a list read newest first stops as soon
    as its page is full."""

    template = "EXISTS(%(subquery)s OFFSET 0)"


class _IdIn(Expression):
    """``id = ANY(array)``: one parameter for thousands of ids (``pk__in`` would
    write a placeholder for each), which PostgreSQL checks with a hash table."""

    output_field = BooleanField()

    def __init__(self, ids: Sequence[int]):
        super().__init__()
        self.pk = F("pk")
        self.ids = list(ids)

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.pk)
        return f"{column} = ANY(%s)", [*params, self.ids]


def text_matches(query: str) -> Q | None:
    """A filter on ``ComplaintSearch`` rows containing every word of ``query``, or
    None when the query has no word of two characters or more. On PostgreSQL it
    goes through the GIN index on ``grams`` (then ``strpos``: nothing missed,
    nothing extra)."""
    found = words(query)
    if not found:
        return None
    if connection.vendor == "postgresql":
        return Q(_Contains(found, grams=True))
    q = Q()
    for word in found:
        q &= Q(text__contains=word)
    return q


def _sample_share(found: Sequence[str]) -> float:
    """The share of the newest ``SAMPLE_ROWS`` search rows that contain every word."""
    # Only placeholders are joined in: the words are parameters.
    matches = " AND ".join([f"strpos(s.text, {_WORD}) > 0"] * len(found))
    sql = (
        f"SELECT count(*) FILTER (WHERE {matches}), count(*) FROM ("  # nosec B608 # noqa: S608
        "SELECT text FROM complaints_complaintsearch ORDER BY complaint_id DESC LIMIT %s) s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [*found, SAMPLE_ROWS])
        hits, rows = cur.fetchone()
    return hits / rows if rows else 0.0


def free_text_q(query: str, *, alternative: Q | None = None) -> Q:
    """A filter on complaints whose free text contains every word of ``query``
    (nothing matches a query without a word of two characters or more), ORed with
    ``alternative`` when given (the list's search on indexed columns).

    On PostgreSQL the plan depends on how common the words are in the newest
    ``SAMPLE_ROWS`` search rows (one query). A rare word: its ids are read from the
    GIN index (one query, at most ``PROBE_FROM``) and the list filters on them. A
    common word, or a rare one with too many ids: each complaint's search row is
    probed as the list reads newest first (``_ProbeEach``), so the page's LIMIT and
    the bounded count stop the scan early; ``alternative`` is then asked as a
    subquery on the complaint ids, so that the scan needs nothing but the list's
    index (``cmp_recv_scope`` holds the scope's columns: an index-only scan). Either
    way the same set of complaints."""
    found = words(query)
    either = alternative if alternative else Q(pk__in=[])
    if not found:
        return either
    if connection.vendor != "postgresql":
        match = text_matches(query)
        return either | Q(
            Exists(ComplaintSearch.objects.filter(match, complaint_id=OuterRef("pk")))
        )
    if _sample_share(found) <= COMMON_SHARE:
        ids = list(
            ComplaintSearch.objects.filter(_Contains(found, grams=True)).values_list(
                "complaint_id", flat=True
            )[: PROBE_FROM + 1]
        )
        if len(ids) <= PROBE_FROM:
            return either | Q(_IdIn(ids)) if ids else either
    probe = ComplaintSearch.objects.filter(
        _Contains(found, grams=False), complaint_id=OuterRef("pk")
    )
    if alternative:
        either = Q(pk__in=Complaint.objects.filter(alternative).values("pk"))
    return either | Q(_ProbeEach(probe))


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


def reindex_all(*, batch: int = 20000, workers: int = 1, log=None) -> int:
    """Rebuild every complaint's search text, ``batch`` ids at a time (each batch
    its own statement, so a rebuild of millions neither holds one long transaction
    nor needs the whole table in memory). Returns the number of complaints.

    ``workers`` > 1 runs that many batches at once, each thread on its own database
    connection: PostgreSQL computes the ``grams`` of one statement's rows on one
    core, so on a machine with spare cores a rebuild of millions finishes about
    ``workers`` times sooner. SQLite writes one statement at a time: always one."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections
    from django.db.models import Max, Min

    bounds = Complaint.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return 0
    firsts = list(range(bounds["lo"], bounds["hi"] + 1, batch))

    def one(first: int) -> None:
        reindex_range(first, first + batch - 1)
        if log:
            log(min(first + batch - 1, bounds["hi"]))

    if workers <= 1 or connection.vendor != "postgresql":
        for first in firsts:
            one(first)
        return Complaint.objects.count()

    def stride(k: int) -> None:
        # Django's connections are per thread: this thread opens its own and must
        # close it, or it stays open until the process ends.
        try:
            for first in firsts[k::workers]:
                one(first)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for done in [pool.submit(stride, k) for k in range(workers)]:
            done.result()
    return Complaint.objects.count()
