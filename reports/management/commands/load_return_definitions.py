"""Load return definitions from a JSON file (default: the standard JR/T 0169-2018
monthly and quarterly returns, also loaded by migration reports 0004)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.returns.definitions import STANDARD, load_definitions


class Command(BaseCommand):
    help = "载入监管报送格式定义（JSON 文件，默认为 JR/T 0169-2018 标准格式）"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(STANDARD))
        parser.add_argument(
            "--replace", action="store_true", help="覆盖已存在的同名定义（撤销后台中的修改）"
        )

    def handle(self, *args, path, replace, **options):
        try:
            written = load_definitions(Path(path), replace=replace)
        except (OSError, ValueError, ValidationError) as e:
            raise CommandError(str(e)) from None
        self.stdout.write(self.style.SUCCESS(f"已载入 {written} 个报送格式定义。"))
