"""Fixtures of the desk's tests: the shared county (tests/conftest.py), the
complaint fixtures (taxonomy, handling categories, calendar, intake payload) and a
helper that writes complaints with exact facts for hand-counted expectations."""

from datetime import datetime

import pytest
from django.utils import timezone

from tests.complaints.conftest import calendar, categories, intake, taxonomy  # noqa: F401
from tests.complaints.factories import ComplaintFactory, HandlingCategoryFactory


def local(*args) -> datetime:
    """An aware datetime in the project's time zone (Asia/Shanghai)."""
    return datetime(*args, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def make(county):
    """``make(institution, **fields)``: a complaint against and handled by
    ``institution`` (accepted there too unless given), written straight to the table
    so that every date and state is exactly what the test says."""
    simple = HandlingCategoryFactory(name="服务态度", complexity="simple")

    def _make(institution, **fields):
        fields.setdefault("accepting_institution", institution)
        fields.setdefault("handling_institution", institution)
        fields.setdefault("first_responder", county.a_teller)
        fields.setdefault("category", simple)
        if "complexity" not in fields:
            fields["complexity"] = fields["category"].complexity
        return ComplaintFactory(complained_institution=institution, **fields)

    return _make
