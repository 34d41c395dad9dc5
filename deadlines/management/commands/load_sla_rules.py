from django.core.management.base import BaseCommand

from deadlines.reference import load_sla_rules


class Command(BaseCommand):
    help = (
        "载入 deadlines/data 中的时限规则组和规则（可重复执行；默认只新增缺少的，"
        "--update 时按文件覆盖已有规则）"
    )

    def add_arguments(self, parser):
        parser.add_argument("--update", action="store_true", help="按文件覆盖已存在的规则组和规则")

    def handle(self, *args, **options):
        result = load_sla_rules(update=options["update"])
        self.stdout.write(
            f"规则组：新增 {result.sets_created}，更新 {result.sets_updated}；"
            f"规则：新增 {result.rules_created}，更新 {result.rules_updated}。"
        )
