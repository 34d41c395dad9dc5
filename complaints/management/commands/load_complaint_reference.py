from django.core.management.base import BaseCommand

from complaints import reference


class Command(BaseCommand):
    help = "载入投诉分类代码（JR/T 0169）与处理类别规则（可重复执行，不覆盖已修改的数据）"

    def handle(self, *args, **options):
        codes, cats = reference.load()
        self.stdout.write(f"新增分类代码 {codes} 个，处理类别 {cats} 个。")
