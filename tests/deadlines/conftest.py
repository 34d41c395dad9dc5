"""Reference data for the deadline tests.

The data migrations load the calendar and the rule sets when the test database is
created; a transactional test elsewhere may have flushed them since, so every test
here reloads them first (idempotent and quick: a few queries when nothing is missing).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest

from deadlines.models import SlaRule, SlaRuleSet
from deadlines.reference import load_sla_rules, seed_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    """ "2026-09-30 16:30" as an aware Beijing time."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def calendar(db):
    """The chinese-calendar package's years (2004–2026) stored and marked loaded."""
    seed_calendar()


@pytest.fixture(autouse=True)
def rule_sets(db) -> dict[str, SlaRuleSet]:
    load_sla_rules()
    return {rule_set.code: rule_set for rule_set in SlaRuleSet.objects.all()}


@pytest.fixture
def county_rule(rule_sets):
    """The county's service promise, by complexity."""

    def get(complexity: str) -> SlaRule:
        return rule_sets["county-service-promise"].rules.get(complexity=complexity)

    return get
