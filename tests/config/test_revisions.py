"""``config.revisions.read_token``: the token of a one-row revision table, as stored."""

from __future__ import annotations

import pytest

from config.revisions import read_token
from deadlines.models import CalendarRevision
from institutions import options
from institutions.models import ReferenceRevision


@pytest.mark.django_db
@pytest.mark.parametrize("model", [CalendarRevision, ReferenceRevision])
def test_no_row_reads_none_and_a_row_reads_its_token(model):
    model.objects.all().delete()
    assert read_token(model) is None
    model.objects.create(pk=1, token="a" * 32)
    assert read_token(model) == "a" * 32
    model.objects.filter(pk=1).update(token="b" * 32)
    assert read_token(model) == "b" * 32


@pytest.mark.django_db
def test_the_reference_token_is_the_one_changed_last():
    options.changed()
    stored = ReferenceRevision.objects.get(pk=1).token
    assert options.token() == stored
    options.changed()
    assert options.token() != stored
