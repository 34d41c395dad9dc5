"""The deadline rules as every process holds them in memory.

Registering a complaint asks which rule applies (intake source, institution,
complexity). Asked of the database that took four queries per registration; the
rules change a few times a year, so each process keeps one immutable ``RuleBook``,
reloaded when the revision token shared with the calendar changes
(``deadlines.snapshot``). The signals of the three rule models change the token.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from institutions import tree

from .enums import RuleComplexity

if TYPE_CHECKING:
    from institutions.models import Institution

    from .models import SlaRule

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RuleBook:
    #: intake source → rule set pk
    by_source: dict[str, int]
    #: institution pk → rule set pk (the binding of that institution's subtree)
    by_institution: dict[int, int]
    default_set: int | None
    #: (rule set pk, complexity) → rule
    rules: dict[tuple[int, str], SlaRule]
    set_codes: dict[int, str]

    def rule_sets_for(self, *, intake_source: str, institution: Institution | None) -> list[int]:
        """The candidate rule sets, most specific first: the intake source's binding,
        the binding of the nearest institution up the tree (the institution itself
        first), and the default set. Missing levels are left out."""
        candidates = []
        if intake_source and intake_source in self.by_source:
            candidates.append(self.by_source[intake_source])
        if institution is not None and institution.path:
            for pk in reversed(tree.ancestor_ids(institution)):
                if pk in self.by_institution:
                    candidates.append(self.by_institution[pk])
                    break
        if self.default_set is not None:
            candidates.append(self.default_set)
        return candidates

    def rule_in_set(self, rule_set: int, complexity: str) -> SlaRule | None:
        """The set's rule for ``complexity``, or its rule for any complexity."""
        return self.rules.get((rule_set, complexity)) or self.rules.get(
            (rule_set, RuleComplexity.ANY)
        )

    def rule_for(
        self, *, complexity: str, intake_source: str, institution: Institution | None
    ) -> SlaRule:
        """See ``deadlines.selectors.rule_for``."""
        from .models import SlaRule

        if complexity not in (RuleComplexity.SIMPLE, RuleComplexity.COMPLEX):
            raise ValueError(f"unknown complexity {complexity!r}")
        for rule_set in self.rule_sets_for(intake_source=intake_source, institution=institution):
            rule = self.rule_in_set(rule_set, complexity)
            if rule is not None:
                return rule
            logger.warning(
                "SLA rule set %s has no rule for complexity %s; falling back",
                self.set_codes.get(rule_set),
                complexity,
            )
        raise SlaRule.DoesNotExist(
            _("没有适用于“%(complexity)s”的时限规则，请在后台设置默认时限规则组。")
            % {"complexity": RuleComplexity(complexity).label}
        )


def load_rulebook() -> RuleBook:
    from .models import SlaRule, SlaRuleSet, SlaRuleSetBinding

    by_source, by_institution = {}, {}
    for institution_id, source, rule_set_id in SlaRuleSetBinding.objects.values_list(
        "institution_id", "intake_source", "rule_set_id"
    ):
        if source:
            by_source[source] = rule_set_id
        elif institution_id is not None:
            by_institution[institution_id] = rule_set_id
    sets = list(SlaRuleSet.objects.values_list("pk", "code", "is_default"))
    return RuleBook(
        by_source=by_source,
        by_institution=by_institution,
        default_set=next((pk for pk, _code, is_default in sets if is_default), None),
        rules={
            (r.rule_set_id, r.complexity): r for r in SlaRule.objects.select_related("rule_set")
        },
        set_codes={pk: code for pk, code, _d in sets},
    )
