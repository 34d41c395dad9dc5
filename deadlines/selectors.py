"""Reads: which deadline rule applies to a complaint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .snapshot import current

if TYPE_CHECKING:
    from institutions.models import Institution

    from .models import SlaRule


def rule_for(*, complexity: str, intake_source: str, institution: Institution | None) -> SlaRule:
    """The deadline rule for a complaint of ``complexity`` that came in through
    ``intake_source`` and is handled by ``institution``.

    The intake source's rule set wins (a regulator transfer carries the regulator's
    deadline), then the set bound to the nearest institution up the tree, then the
    default set. A bound set without a rule for this complexity is skipped with a
    warning in the log rather than leaving the complaint without a deadline. Raises
    ``SlaRule.DoesNotExist`` only when not even the default set has one.

    Read from the in-memory rule book (``deadlines.rulebook``): one query to check
    that it is current.
    """
    return current().rules.rule_for(
        complexity=complexity, intake_source=intake_source, institution=institution
    )
