"""Reads: which deadline rule applies to a complaint."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from .enums import RuleComplexity
from .models import SlaRule, SlaRuleSet, SlaRuleSetBinding

if TYPE_CHECKING:
    from institutions.models import Institution

logger = logging.getLogger(__name__)


def _ancestor_pks(institution: Institution) -> list[int]:
    # The materialised path lists every ancestor's pk ("0000001/0000004/").
    return [int(part) for part in institution.path.split("/") if part]


def rule_sets_for(*, intake_source: str, institution: Institution | None) -> list[SlaRuleSet]:
    """The candidate rule sets, most specific first: the intake source's binding, the
    binding of the nearest institution up the tree (the institution itself first),
    and the default set. Missing levels are left out."""
    candidates: list[SlaRuleSet] = []
    if intake_source:
        binding = (
            SlaRuleSetBinding.objects.select_related("rule_set")
            .filter(intake_source=intake_source)
            .first()
        )
        if binding:
            candidates.append(binding.rule_set)
    if institution is not None and institution.path:
        binding = (
            SlaRuleSetBinding.objects.select_related("rule_set")
            .filter(institution_id__in=_ancestor_pks(institution))
            .order_by("-institution__depth")
            .first()
        )
        if binding:
            candidates.append(binding.rule_set)
    default = SlaRuleSet.objects.filter(is_default=True).first()
    if default:
        candidates.append(default)
    return candidates


def rule_in_set(rule_set: SlaRuleSet, complexity: str) -> SlaRule | None:
    """The set's rule for ``complexity``, or its rule for any complexity."""
    rules = {
        rule.complexity: rule
        for rule in SlaRule.objects.select_related("rule_set").filter(
            rule_set=rule_set, complexity__in=(complexity, RuleComplexity.ANY)
        )
    }
    return rules.get(complexity) or rules.get(RuleComplexity.ANY)


def rule_for(*, complexity: str, intake_source: str, institution: Institution | None) -> SlaRule:
    """The deadline rule for a complaint of ``complexity`` that came in through
    ``intake_source`` and is handled by ``institution``.

    The intake source's rule set wins (a regulator transfer carries the regulator's
    deadline), then the set bound to the nearest institution up the tree, then the
    default set. A bound set without a rule for this complexity is skipped with a
    warning in the log rather than leaving the complaint without a deadline. Raises
    ``SlaRule.DoesNotExist`` only when not even the default set has one.
    """
    if complexity not in (RuleComplexity.SIMPLE, RuleComplexity.COMPLEX):
        raise ValueError(f"unknown complexity {complexity!r}")
    for rule_set in rule_sets_for(intake_source=intake_source, institution=institution):
        rule = rule_in_set(rule_set, complexity)
        if rule is not None:
            return rule
        logger.warning(
            "SLA rule set %s has no rule for complexity %s; falling back", rule_set.code, complexity
        )
    raise SlaRule.DoesNotExist(
        _("没有适用于“%(complexity)s”的时限规则，请在后台设置默认时限规则组。")
        % {"complexity": RuleComplexity(complexity).label}
    )
