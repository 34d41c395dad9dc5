"""Print the due time of a complaint received at a given time, for checking the
calendar and the rules: the last line is the ISO 8601 due time with its offset,
followed by " (provisional)" when a year it touched has no published schedule."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from deadlines.enums import RuleComplexity
from deadlines.models import SlaRule, SlaRuleSet
from deadlines.selectors import rule_for
from deadlines.services import compute_due, snapshot
from institutions.models import Institution


def parse_received(text: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f'无法识别的受理时间：{text}（示例："2026-09-30 16:30"）') from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


class Command(BaseCommand):
    help = '计算到期时间，例如：manage.py duetime "2026-09-30 16:30" complex'

    def add_arguments(self, parser):
        parser.add_argument("received", help='受理时间，如 "2026-09-30 16:30"（北京时间）')
        parser.add_argument("complexity", choices=[RuleComplexity.SIMPLE, RuleComplexity.COMPLEX])
        parser.add_argument("--rule-set", help="规则组代码（默认使用默认规则组）")
        parser.add_argument(
            "--intake-source", default="", help="按受理渠道和机构选择规则组，如 regulator"
        )
        parser.add_argument("--institution", help="机构代码：按机构选择规则组")
        parser.add_argument("--extension-days", type=int, default=0, help="已批准的延期天数")

    def handle(self, *args, **options):
        received = parse_received(options["received"])
        rule = self._rule(options)
        due = compute_due(received, rule, extension_days=options["extension_days"])
        cob = rule.close_of_business.strftime("%H:%M")
        self.stdout.write(f"规则：{rule}（营业终了 {cob}）")
        self.stdout.write(
            f"受理时间：{timezone.localtime(received, timezone.get_default_timezone()).isoformat()}"
        )
        if due.provisional:
            self.stdout.write(
                "注意：所涉年份的放假安排尚未载入工作日历，按周一至周五计算，结果为临时。"
            )
        self.stdout.write(due.at.isoformat() + (" (provisional)" if due.provisional else ""))

    def _rule(self, options) -> SlaRule:
        complexity = options["complexity"]
        if options["intake_source"] or options["institution"]:
            if options["rule_set"]:
                raise CommandError("--rule-set 不能与 --intake-source/--institution 同时使用")
            institution = None
            if options["institution"]:
                institution = Institution.objects.filter(code=options["institution"]).first()
                if institution is None:
                    raise CommandError(f"找不到机构代码：{options['institution']}")
            try:
                return rule_for(
                    complexity=complexity,
                    intake_source=options["intake_source"],
                    institution=institution,
                )
            except SlaRule.DoesNotExist as exc:
                raise CommandError(str(exc)) from None
        if options["rule_set"]:
            rule_set = SlaRuleSet.objects.filter(code=options["rule_set"]).first()
            if rule_set is None:
                raise CommandError(f"找不到规则组：{options['rule_set']}")
        else:
            rule_set = SlaRuleSet.objects.filter(is_default=True).first()
            if rule_set is None:
                raise CommandError("没有默认规则组，请先运行 manage.py load_sla_rules")
        rule = snapshot().rules.rule_in_set(rule_set.pk, complexity)
        if rule is None:
            raise CommandError(f"规则组 {rule_set.code} 中没有 {complexity} 的规则")
        return rule
