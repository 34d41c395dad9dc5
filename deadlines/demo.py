"""Make sure the rule sets and the statutory calendar are there (the data migration
loads them; a flushed database, e.g. after transactional tests, may have lost them).
Idempotent and keeps administrators' changes."""

from .reference import load_sla_rules, seed_calendar


def seed(stdout=None) -> None:
    load_sla_rules()
    seed_calendar()
