"""Recall of the keyword search against a brute-force ``LIKE '%term%'`` over the
same fields, on 10,000 generated complaints and 50 terms of 2–6 characters
(PostgreSQL only: the bigram index is what is being checked). The figures printed
(``-s``) are the ones in docs/search.md."""

from __future__ import annotations

import random
import time

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from complaints import search
from complaints.models import Complaint, ComplaintSearch, TimelineEntry
from tests.complaints.factories import ComplaintFactory
from tests.complaints.search_corpus import terms, text

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL index"),
    pytest.mark.slow,
]

N = 10_000
FIELDS = ("description", "demand", "findings", "measures", "answer_note")


@pytest.fixture
def corpus(county, categories):
    rng = random.Random(26)
    base = ComplaintFactory(complained_institution=county.a_out1, category=categories["服务态度"])
    fields = {f.attname: getattr(base, f.attname) for f in Complaint._meta.concrete_fields}
    fields.pop("id")
    rows = []
    for i in range(N):
        values = {
            **fields,
            "tracking_no": f"R-{i:06d}",
            "description": text(rng, 150),
            "demand": text(rng, 30),
            "findings": text(rng, 60) if rng.random() < 0.7 else "",
            "measures": text(rng, 40) if rng.random() < 0.6 else "",
            "answer_note": text(rng, 40) if rng.random() < 0.5 else "",
        }
        rows.append(Complaint(**values))
    Complaint.objects.bulk_create(rows, batch_size=2000)
    notes = [
        TimelineEntry(complaint=c, action="contact", note=text(rng, 40))
        for c in rows
        if rng.random() < 0.3
    ]
    TimelineEntry.objects.bulk_create(notes, batch_size=2000)
    started = time.perf_counter()
    search.reindex_all()
    print(f"\nreindex of {N + 1} complaints: {time.perf_counter() - started:.1f}s")
    samples = [r.description for r in rng.sample(rows, 200)]
    return terms(rng, samples, 50)


def _brute_force(term: str) -> set[int]:
    note = TimelineEntry.objects.filter(complaint=OuterRef("pk"), note__contains=term).exclude(
        action__in=search.SYSTEM_NOTES
    )
    where = Q(Exists(note))
    for f in FIELDS:
        where |= Q(**{f"{f}__contains": term})
    return set(Complaint.objects.filter(where).values_list("pk", flat=True))


def test_search_finds_every_like_hit(corpus):
    assert len(corpus) == 50
    assert {len(t) for t in corpus} >= {2, 3, 4}
    missed, extra, hits, slowest = {}, {}, 0, 0.0
    for term in corpus:
        expected = _brute_force(term)
        started = time.perf_counter()
        found = set(
            ComplaintSearch.objects.filter(search.text_matches(term)).values_list(
                "complaint_id", flat=True
            )
        )
        slowest = max(slowest, time.perf_counter() - started)
        hits += len(expected)
        if expected - found:
            missed[term] = len(expected - found)
        if found - expected:
            extra[term] = len(found - expected)
    print(f"{hits} LIKE hits over 50 terms; missed {missed}; extra {extra}; slowest {slowest:.3f}s")
    assert missed == {}
    # Extra hits come only from normalisation (full-width ＡＴＭ found by "atm"):
    # none of the generated terms is written differently from the text.
    assert extra == {}
