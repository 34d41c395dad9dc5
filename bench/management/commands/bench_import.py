"""``manage.py bench_import``: the historical import at migration scale.

    DATABASE_URL=postgres://…/complaints_bench_import python manage.py bench_import --rows 200000

Writes a CSV of ``--rows`` plausible historical complaints for the demo county's
institutions (the demo data is loaded first if the database has none), then runs
``manage.py import_history`` on it in a child process — validation pass, then the
all-or-nothing import — and reports the wall time and the child's peak memory
(getrusage of the child: its maximum resident set). Use a database of its own: the
imported complaints stay (the timeline cannot be deleted).
"""

from __future__ import annotations

import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from complaints.imports import COLUMNS
from complaints.models import HandlingCategory, TaxonomyCode
from institutions.models import Institution, User

USER = "sysadmin"
STATES = [("已归档", 6), ("已反馈", 3), ("已办结", 1), ("处理中", 1), ("不予受理", 1)]
SOURCES = ["电话", "上门", "信件", "网络", "意见簿(箱)"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


class Command(BaseCommand):
    help = "历史投诉导入基准测试：生成 N 行文件并计时导入（墙钟时间与峰值内存）"

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=200_000)
        parser.add_argument("--seed", type=int, default=20261205)
        parser.add_argument("--json", help="write the figures to this file")

    def handle(self, *args, **opts):
        if not User.objects.filter(username=USER).exists():
            call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        if not User.objects.filter(username=USER, is_active=True).exists():
            raise CommandError(f"no active user {USER!r}")
        rng = random.Random(opts["seed"])  # noqa: S311 - test data, not secrets
        institutions = list(
            Institution.objects.filter(is_active=True)
            .exclude(kind="regulator")
            .values_list("code", flat=True)
        )
        categories = list(HandlingCategory.objects.values_list("name", flat=True))
        business = list(TaxonomyCode.objects.filter(dimension="B").values_list("code", flat=True))
        causes = list(TaxonomyCode.objects.filter(dimension="C").values_list("code", flat=True))
        if not (institutions and categories):
            raise CommandError("no institutions or handling categories: run seed_demo")
        states = [s for s, weight in STATES for _ in range(weight)]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "history.csv"
            started = time.monotonic()
            with path.open("w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                writer.writerow(COLUMNS)
                base = datetime(2021, 1, 1, 8, 0)  # noqa: DTZ001 - written as local text
                for n in range(opts["rows"]):
                    received = base + timedelta(minutes=rng.randrange(0, 5 * 365 * 24 * 60))
                    answered = received + timedelta(days=rng.randrange(1, 30))
                    state = rng.choice(states)
                    writer.writerow(
                        {
                            "原投诉编号": f"OLD-{n:07d}",
                            "受理时间": f"{received:%Y-%m-%d %H:%M}",
                            "投诉来源": rng.choice(SOURCES),
                            "类型": "投诉",
                            "投诉人姓名": rng.choice(SURNAMES) + rng.choice("伟芳娜敏静丽强磊军洋"),
                            "联系电话": f"13{rng.randrange(100000000, 999999999)}",
                            "证件类型": "居民身份证",
                            "证件号码": f"1301{rng.randrange(10**13, 10**14)}",
                            "联系地址": "河北省清河县",
                            "投诉事项": "客户反映在网点办理业务时等候时间过长，工作人员解释不清。"
                            * 2,
                            "投诉诉求": "要求说明情况并改进服务。",
                            "涉及金额": str(rng.randrange(0, 50000)),
                            "被投诉机构代码": rng.choice(institutions),
                            "处理机构代码": "",
                            "业务类别代码": rng.choice(business) if business else "",
                            "投诉原因代码": rng.choice(causes) if causes else "",
                            "处理类别": rng.choice(categories),
                            "状态": state,
                            "办结时间": f"{answered:%Y-%m-%d %H:%M}" if state != "处理中" else "",
                            "反馈时间": f"{answered:%Y-%m-%d %H:%M}"
                            if state in ("已归档", "已反馈")
                            else "",
                            "满意度": "满意" if state in ("已归档", "已反馈") else "",
                            "是否有效投诉": rng.choice(["是", "否"]),
                            "挽回损失": "0",
                            "处理情况": "经核实，已向客户解释并致歉。",
                            "被投诉人员": "",
                            "处理人": "",
                        }.values()
                    )
            size_mb = path.stat().st_size / 1024 / 1024
            took = time.monotonic() - started
            self.stdout.write(f"wrote {opts['rows']:,} rows ({size_mb:.0f} MB) in {took:.0f} s")
            started = time.monotonic()
            child = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
                [sys.executable, "manage.py", "import_history", str(path), "--user", USER],
                capture_output=True,
                text=True,
                check=False,
            )
            seconds = time.monotonic() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        self.stdout.write(child.stdout[-2000:])
        if child.returncode:
            raise CommandError(f"import failed:\n{child.stderr[-3000:]}")
        figures = {
            "rows": opts["rows"],
            "file_mb": round(size_mb, 1),
            "seconds": round(seconds, 1),
            "peak_rss_mb": round(peak_mb),
            "targets": {"seconds": 300, "peak_rss_mb": 300},
        }
        figures["ok"] = seconds < 300 and peak_mb < 300
        self.stdout.write(json.dumps(figures, ensure_ascii=False))
        if opts.get("json"):
            Path(opts["json"]).write_text(json.dumps(figures, indent=2))
