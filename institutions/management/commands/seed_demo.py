"""Load the demo data once (idempotent) and print the demo logins.

Each app that has demo data provides ``<app>.demo.seed()``; they run in dependency
order so that later apps find the institutions and users they need.
"""

from importlib import import_module

from django.core.management.base import BaseCommand

DEMO_APPS = [
    "institutions",
    "deadlines",
    "complaints",
    "supervision",
    "publicity",
    "mediation",
    "training",
    "convention",
    "evaluation",
]


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）并打印演示账号"

    def handle(self, *args, **options):
        from institutions.demo import DEMO_PASSWORD

        logins = []
        for app in DEMO_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError:
                continue
            result = module.seed(stdout=self.stdout)
            if app == "institutions":
                logins = result
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已就绪。演示账号（密码均为 {DEMO_PASSWORD}）：")
        )
        for username, role, inst in logins:
            self.stdout.write(f"  {username:<16} {role:<14} {inst}")
