from django.core.management.base import BaseCommand

from deadlines.reference import seed_calendar


class Command(BaseCommand):
    help = (
        "从 chinese-calendar 软件包载入其覆盖年份的法定节假日和调休上班日，并标记这些年份"
        "已载入（可重复执行；不覆盖导入或手工录入的数据）"
    )

    def handle(self, *args, **options):
        result = seed_calendar()
        self.stdout.write(
            f"工作日历 {result.first_year}–{result.last_year}：新增 {result.created} 天，"
            f"更正 {result.updated} 天，删除 {result.deleted} 天；"
            f"标记已载入的年份 {len(result.years_marked)} 个。"
        )
