"""Seeding a large, realistic data set through PostgreSQL's COPY.

What is generated (``n`` complaints, default 1,000,000):

* 300 institutions under two supervising offices: ten banks, each a tree of bank →
  branches → sub-branches → outlets, of very different sizes; most banks bind the
  2020 CBIRC rule set (15 calendar days), the rural ones keep the county promise;
* staff for every role (tellers at counters, handlers, managers up the tree,
  supervisors at the offices), all with one password;
* complaints received over five years, more each year and fewer at weekends, each a
  coherent story: intake source, JR/T business line / cause / channel, handling
  category and complexity, the deadline from the real rule (``compute_due``), who
  registered, assigned, handled and answered it and when, satisfaction, repeats of an
  earlier complaint by the same person, escalations, extensions, major cases;
  about 5% still open (most recent, some overdue, some extended), the rest answered,
  archived, refused or transferred;
* the timeline of every complaint (4–8 rows for a handled one; a refusal or transfer
  has two), notifications for recent assignments and open cases, urges, extension
  requests, and the tracking-number sequences (so new registrations continue them).

The deadline sweep is left as if it last ran a day ago: stamps older than that are
set, the last day's reminders / overdue marks / escalations are still to do.

Speed: rows are generated in Python and streamed to ``COPY … FROM STDIN``; the
secondary indexes of the big tables are dropped first and rebuilt afterwards; with a
superuser connection ``session_replication_role = replica`` skips the per-row
foreign-key triggers (every id is generated consistently here). Random numbers come
from one seeded generator, so a size gives the same data set every time.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import math
import os
import random
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from institutions import tree

UTC = dt.UTC
DAY = 86400
HOUR = 3600
CN_OFFSET = 8 * HOUR  # Asia/Shanghai has no daylight saving time
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
PASSWORD = "Bench@2026-perf"  # noqa: S105 - benchmark users on a benchmark database
OPEN = ("registered", "assigned", "in_progress", "resolved")
SWEEP_ACTIONS = ("remind", "overdue", "auto_escalate")
NULL = "\\N"
INSTITUTIONS = 300
YEARS = 5
OPEN_SHARE = 0.05

# (code, name, kind of the top node, relative size, rule set code or "" for default)
BANKS = [
    ("ICBC", "中国工商银行", "head_office", 0.19, "cbirc-2020"),
    ("ABC", "中国农业银行", "head_office", 0.17, "cbirc-2020"),
    ("CCB", "中国建设银行", "head_office", 0.13, "cbirc-2020"),
    ("BOC", "中国银行", "head_office", 0.11, "cbirc-2020"),
    ("PSBC", "中国邮政储蓄银行", "head_office", 0.10, "cbirc-2020"),
    ("BOCOM", "交通银行", "head_office", 0.07, "cbirc-2020"),
    ("CITY", "城市商业银行", "head_office", 0.07, "cbirc-2020"),
    ("RCB", "农村商业银行", "rural_coop", 0.08, ""),
    ("CMB", "招商银行", "head_office", 0.04, "cbirc-2020"),
    ("VB", "村镇银行", "village_bank", 0.04, ""),
]
# The first seven banks are in the city office's jurisdiction, the rest in the county's.
CITY_BANKS = 7

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国建华志强海燕春梅文斌晓东俊杰子涵欣怡浩然雨轩梓萱宇航思远佳怡"  # noqa: E501
DISTRICTS = ["城关镇", "东街", "西关", "南环路", "北新区", "开发区", "油坊镇", "王官庄镇", "连庄镇"]
DESCRIPTIONS = [
    "在网点排队等候时间过长，工作人员态度冷淡",
    "信用卡年费未经告知即被扣收，要求退还",
    "理财产品到期收益与销售时宣传不符",
    "贷款提前还款被收取高额违约金",
    "手机银行转账失败但账户已扣款",
    "柜员办理业务时未按规定核实身份导致信息泄露",
    "征信报告出现非本人办理的逾期记录",
    "网点拒收小面额现金及硬币",
    "存款被误导购买保险产品",
    "催收人员频繁拨打亲友电话",
    "ATM 吞卡后长时间未处理",
    "账户被冻结未得到合理解释",
]
DEMANDS = [
    "要求退还相关费用并书面道歉",
    "要求核实情况并给予合理解释",
    "要求更正征信记录",
    "要求赔偿经济损失",
    "要求对相关人员进行批评教育",
    "要求尽快处理并答复",
]
FINDINGS = "经调阅录像、核查业务凭证并与当事员工谈话，情况属实"
MEASURES = "已向客户解释并致歉，退还相关费用，对员工进行批评教育"
SMALL_NOTES = {
    "register": "通过柜面受理",
    "assign": "请按时限办理并答复客户",
    "start": "已联系客户了解情况",
    "resolve": "调查核实完毕",
    "answer": "已电话告知客户处理结果",
    "archive": "资料齐全，归档",
    "escalate": "涉及多个网点，需上级机构协调",
    "refuse": "不属于金融消费者投诉",
    "transfer": "涉及保险业务，移送相关机构",
    "request_extension": "需调取外部资料，已告知客户",
    "approve_extension": "同意延期",
    "supervise": "请加快办理",
    "report_major": "重大投诉已自动报告人民银行。",
    "remind": "即将到期，已提醒处理人",
    "overdue": "超过答复期限未反馈，已标记逾期",
    "auto_escalate": "逾期一个工作日仍未反馈：已报上级机构并列入人民银行督办清单",
}
SOURCE_WEIGHTS = [
    ("phone", 34),
    ("walk_in", 26),
    ("online", 14),
    ("regulator", 9),
    ("book", 5),
    ("letter", 4),
    ("government", 5),
    ("media", 3),
]
KIND_WEIGHTS = [("complaint", 82), ("consultation", 14), ("report", 4)]
CATEGORY_WEIGHTS = {
    "工作失误": 22,
    "服务态度": 26,
    "内部管理": 14,
    "服务产品": 20,
    "服务渠道": 10,
    "违规操作": 8,
}
KIND_FACTOR = {
    "head_office": 0.3,
    "rural_coop": 0.3,
    "village_bank": 0.3,
    "branch": 0.6,
    "sub_branch": 0.9,
    "outlet": 1.0,
}
ANSWER_METHODS = ["phone", "phone", "phone", "sms", "letter", "in_person"]


@dataclass
class Inst:
    id: int
    code: str
    kind: str
    parent_id: int | None
    regulator_id: int | None
    path: str
    bank: int  # index into BANKS, -1 for an office


@dataclass
class World:
    """What the complaint generator needs to know about institutions and staff."""

    insts: dict[int, Inst]
    offices: list[int]
    tellers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    handlers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    managers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    supervisors: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))

    def managers_over(self, inst_id: int) -> list[int]:
        """Managers at the institution or the nearest ancestor that has any."""
        inst = self.insts[inst_id]
        for step in reversed(tree.ancestor_ids(inst)):
            if self.managers.get(step):
                return self.managers[step]
        return self.supervisors[inst.regulator_id or inst.id]

    def staff_at(self, inst_id: int) -> list[int]:
        return (
            self.tellers.get(inst_id)
            or self.handlers.get(inst_id)
            or self.managers.get(inst_id)
            or self.supervisors.get(inst_id)
            or self.managers_over(inst_id)
        )


@dataclass
class SeedReport:
    complaints: int = 0
    timeline: int = 0
    notifications: int = 0
    extensions: int = 0
    urges: int = 0
    institutions: int = 0
    users: int = 0
    open: int = 0
    overdue: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


# --- COPY plumbing ---------------------------------------------------------------------


class ChunkReader(io.RawIOBase):
    """A file object over an iterator of byte chunks, for ``copy_expert``."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            return next(self._chunks, b"")
        except Exception as e:
            # psycopg2 reports a failing read as an aborted COPY; keep the real cause.
            self.error = e
            raise


def _batched(lines: Iterable[str], rows: int = 5000) -> Iterator[bytes]:
    buf: list[str] = []
    for line in lines:
        buf.append(line)
        if len(buf) >= rows:
            yield "".join(buf).encode()
            buf.clear()
    if buf:
        yield "".join(buf).encode()


def copy_rows(raw, table: str, columns: list[str], lines: Iterable[str]) -> None:
    """COPY generated lines on ``raw``, a connection of its own: the generator still
    reads (deadline rules, the calendar) through Django's connection meanwhile."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    reader = ChunkReader(_batched(lines))
    with raw.cursor() as cur:
        try:
            cur.copy_expert(sql, reader)
        except Exception as e:
            if getattr(reader, "error", None) is not None:
                raise reader.error from e
            raise


def copy_file(raw, table: str, columns: list[str], f) -> None:
    f.seek(0)
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with raw.cursor() as cur:
        cur.copy_expert(sql, f, size=1 << 20)


_DAY_TEXT: dict[int, str] = {}
_TIME_TEXT = [
    f" {h:02d}:{m:02d}:{s:02d}+00" for h in range(24) for m in range(60) for s in range(60)
]


def _ts(epoch: int | None) -> str:
    """A UTC timestamp for COPY; formatted from cached pieces (millions of calls)."""
    if epoch is None:
        return NULL
    days, seconds = divmod(epoch, DAY)
    day = _DAY_TEXT.get(days)
    if day is None:
        day = _DAY_TEXT[days] = dt.date.fromordinal(EPOCH_ORDINAL + days).isoformat()
    return day + _TIME_TEXT[seconds]


def _local_date(epoch: int) -> dt.date:
    return dt.date.fromordinal(EPOCH_ORDINAL + (epoch + CN_OFFSET) // DAY)


def _epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


# --- Institutions and staff ------------------------------------------------------------


def _bank_sizes(total: int) -> list[int]:
    weights = [b[3] for b in BANKS]
    raw = [max(6, round(total * w / sum(weights))) for w in weights]
    raw[0] += total - sum(raw)
    return raw


def seed_institutions(rng: random.Random) -> World:
    """Two offices and ten bank trees, 300 institutions in all, saved through the
    model so the materialised paths are the model's own."""
    from deadlines.models import SlaRuleSet, SlaRuleSetBinding
    from institutions.models import Institution

    city = Institution.objects.create(
        code="BENCH-PBC-CITY",
        name="中国人民银行示范市分行",
        short_name="人行示范市分行",
        kind="regulator",
        hotline="12363",
        complaint_phone="0319-12363",
    )
    county = Institution.objects.create(
        code="BENCH-PBC-CNTY",
        name="中国人民银行示范县支行",
        short_name="人行示范县支行",
        kind="regulator",
        hotline="12363",
        complaint_phone="0319-12364",
    )
    rule_sets = {s.code: s for s in SlaRuleSet.objects.all()}
    sizes = _bank_sizes(INSTITUTIONS - 2)
    for b, (code, name, top_kind, _w, rule_set) in enumerate(BANKS):
        office = city if b < CITY_BANKS else county
        size = sizes[b]
        top = Institution.objects.create(
            code=code,
            name=f"{name}示范市分行" if top_kind == "head_office" else f"示范{name}",
            short_name=name,
            kind=top_kind,
            regulator=office,
            complaint_phone=f"95{500 + b:03d}",
        )
        if rule_set and rule_set in rule_sets:
            SlaRuleSetBinding.objects.create(rule_set=rule_sets[rule_set], institution=top)
        left = size - 1
        n_branch = max(1, round(left / 30))
        n_sub = max(n_branch, round(left / 7))
        n_outlet = left - n_branch - n_sub
        branches = []
        for i in range(n_branch):
            branches.append(
                Institution.objects.create(
                    code=f"{code}-{i + 1:02d}",
                    name=f"{name}示范市第{i + 1}分行",
                    short_name=f"{name}{i + 1}分行",
                    kind="branch",
                    parent=top,
                )
            )
        subs = []
        for i in range(n_sub):
            parent = branches[i % n_branch]
            district = DISTRICTS[i % len(DISTRICTS)]
            subs.append(
                Institution.objects.create(
                    code=f"{parent.code}-{i + 1:02d}",
                    name=f"{name}{district}支行{i + 1}",
                    short_name=f"{name}{district}支行",
                    kind="sub_branch",
                    parent=parent,
                )
            )
        for i in range(n_outlet):
            parent = subs[i % n_sub]
            Institution.objects.create(
                code=f"{parent.code}-{i + 1:03d}",
                name=f"{parent.name}第{i + 1}营业网点",
                short_name=f"{parent.short_name}{i + 1}号网点",
                kind="outlet",
                parent=parent,
            )
    insts = {}
    bank_of_top = {}
    for i in Institution.objects.order_by("path"):
        if i.kind == "regulator":
            bank = -1
        elif i.parent_id is None:
            bank = len(bank_of_top)
            bank_of_top[i.pk] = bank
        else:
            bank = bank_of_top[tree.ancestor_ids(i)[0]]
        insts[i.pk] = Inst(i.pk, i.code, i.kind, i.parent_id, i.regulator_id, i.path, bank)
    return World(insts=insts, offices=[city.pk, county.pk])


def seed_users(world: World) -> int:
    """Staff for every role; one password hash shared by all (hashing 900 passwords
    would take minutes and prove nothing)."""
    from institutions.models import User

    hashed = make_password(PASSWORD)
    people = []
    n = 0

    def add(inst_id: int | None, role: str, bucket: dict | None, *, staff=False, su=False):
        nonlocal n
        n += 1
        code = world.insts[inst_id].code.lower() if inst_id else "root"
        surname = SURNAMES[n % len(SURNAMES)]
        given = GIVEN[(n * 7) % len(GIVEN)] + GIVEN[(n * 13) % len(GIVEN)]
        people.append(
            User(
                username=f"bench_{role}_{code}_{n}",
                password=hashed,
                full_name=f"{surname}{given}",
                role=role,
                institution_id=inst_id,
                is_staff=staff,
                is_superuser=su,
            )
        )
        return bucket

    plan = []
    for inst in world.insts.values():
        if inst.kind == "regulator":
            plan += [(inst.id, "regulator", "supervisors", True)] * 3
            plan += [(inst.id, "sysadmin", None, True)]
        elif inst.kind == "outlet":
            plan += [(inst.id, "teller", "tellers", False)] * 2
            plan += [(inst.id, "handler", "handlers", False)]
        elif inst.kind == "sub_branch":
            plan += [(inst.id, "manager", "managers", False)]
            plan += [(inst.id, "handler", "handlers", False)] * 2
            plan += [(inst.id, "teller", "tellers", False)]
        else:  # bank top and branches
            plan += [(inst.id, "manager", "managers", False)] * (2 if inst.parent_id is None else 1)
            plan += [(inst.id, "handler", "handlers", False)]
    for inst_id, role, _bucket, staff in plan:
        add(inst_id, role, None, staff=staff)
    created = User.objects.bulk_create(people, batch_size=1000)
    for (inst_id, _role, bucket, _staff), user in zip(plan, created, strict=True):
        if bucket:
            getattr(world, bucket)[inst_id].append(user.pk)
    return len(created)


# --- Complaints ------------------------------------------------------------------------

COMPLAINT_COLUMNS = [
    "id",
    "tracking_no",
    "received_at",
    "intake_source",
    "kind",
    "complainant_name",
    "complainant_phone",
    "id_type",
    "id_number",
    "contact_address",
    "account_number",
    "answer_preference",
    "consumer_email",
    "notify_consent",
    "submitted_by_consumer",
    "original_no",
    "statutory_days",
    "statutory_paused_days",
    "withdrawal_channel",
    "description",
    "demand",
    "amount",
    "complained_staff_name",
    "complexity",
    "complexity_reason",
    "escalation_level",
    "is_major",
    "reported_to_regulator_at",
    "is_repeat",
    "reopen_count",
    "needs_reverification",
    "reverification",
    "status",
    "version",
    "due_at",
    "due_provisional",
    "remind_at",
    "escalate_at",
    "reminded_at",
    "overdue_at",
    "auto_escalated_at",
    "assigned_at",
    "started_at",
    "resolved_at",
    "answered_at",
    "archived_at",
    "closed_at",
    "findings",
    "is_valid",
    "measures",
    "money_recovered",
    "staff_opinion",
    "answer_method",
    "answer_note",
    "satisfaction",
    "satisfaction_source",
    "refusal_reason",
    "refusal_note",
    "transferred_to",
    "transfer_reason",
    "last_activity_at",
    "created_at",
    "accepting_institution_id",
    "complained_institution_id",
    "complained_staff_id",
    "first_responder_id",
    "handler_id",
    "handling_institution_id",
    "repeat_of_id",
    "sla_rule_id",
    "category_id",
    "business_id",
    "cause_id",
    "channel_id",
]
TIMELINE_COLUMNS = [
    "id",
    "complaint_id",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    "note",
    "payload",
    "created_at",
]
NOTIFICATION_COLUMNS = [
    "id",
    "recipient_id",
    "kind",
    "complaint_id",
    "title",
    "body",
    "url",
    "dedupe_key",
    "created_at",
    "read_at",
    "emailed_at",
    "email_claimed_at",
    "email_attempts",
]
EXTENSION_COLUMNS = [
    "id",
    "complaint_id",
    "requested_by_id",
    "reason",
    "requested_due_at",
    "customer_told",
    "customer_told_at",
    "decision",
    "decided_by_id",
    "decided_at",
    "decision_note",
    "previous_due_at",
    "created_at",
]
URGE_COLUMNS = ["id", "complaint_id", "urged_by_id", "note", "expected_by", "created_at"]


class Deadlines:
    """``compute_due`` and its follow-ups, memoised: the result depends only on the
    rule, the local day of receipt and whether it came in business hours."""

    def __init__(self):
        from deadlines import services as sla
        from deadlines.selectors import current_calendar

        self.sla = sla
        self.cal = current_calendar()
        # compute_due and friends ask the database whether the calendar changed on
        # every call (one query each); while seeding it cannot change, so they are
        # handed this snapshot instead (see ``frozen_calendar``).
        self._due: dict = {}
        self._follow: dict = {}
        self._rules: dict = {}
        self._workday: dict = {}

    def rule(self, complexity: str, source: str, inst_obj):
        # The seeded bindings are on the banks' top nodes only, so the top node of
        # the path decides (a binding lower in a tree would need the node itself).
        key = (complexity, source, tree.ancestor_ids(inst_obj)[0])
        if key not in self._rules:
            self._rules[key] = self.sla.rule_for(
                complexity=complexity, intake_source=source, institution=inst_obj
            )
        return self._rules[key]

    def due(self, rule, received: int) -> tuple[int, bool]:
        day = _local_date(received)
        if day not in self._workday:
            self._workday[day] = self.cal.is_workday(day)
        close = rule.close_of_business
        in_hours = self._workday[day] and (received + CN_OFFSET) % DAY < (
            close.hour * HOUR + close.minute * 60
        )
        key = (rule.pk, day, in_hours)
        if key not in self._due:
            due = self.sla.compute_due(dt.datetime.fromtimestamp(received, UTC), rule)
            self._due[key] = (_epoch(due.at), due.provisional)
        return self._due[key]

    def follow(self, rule, due: int) -> tuple[int, int]:
        key = (rule.pk, due)
        if key not in self._follow:
            at = dt.datetime.fromtimestamp(due, UTC)
            remind = self.sla.working_hours_before(at, 2, rule)
            escalate = self.sla.add_working_days(at, 1, rule)
            self._follow[key] = (_epoch(remind), _epoch(escalate))
        return self._follow[key]


@contextmanager
def frozen_calendar(snapshot):
    """``deadlines.services`` reads this snapshot instead of re-checking the
    calendar's revision in the database for each of the many due-time computations."""
    from deadlines import services

    original = services.current_calendar
    services.current_calendar = lambda: snapshot
    try:
        yield
    finally:
        services.current_calendar = original


def _received_times(rng: random.Random, n: int, now: int) -> list[int]:
    """``n`` receipt times over five years: growing volume, quieter weekends, most
    in business hours; sorted (ids follow receipt order as in real life)."""
    days = YEARS * 365 + 1
    start_day = (now + CN_OFFSET) // DAY - days + 1
    weights = []
    for d in range(days):
        weekday = (start_day + d + 3) % 7  # 1970-01-01 was a Thursday
        w = 1.0 + 1.5 * d / days
        weights.append(w * (0.45 if weekday >= 5 else 1.0))
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    hours = [
        0.1,
        0.1,
        0.1,
        0.1,
        0.1,
        0.2,
        0.4,
        1,
        4,
        8,
        9,
        8,
        6,
        6,
        8,
        8,
        7,
        5,
        2,
        1.5,
        1,
        0.5,
        0.3,
        0.2,
    ]
    hour_cum = []
    acc = 0.0
    for h in hours:
        acc += h
        hour_cum.append(acc)
    out = []
    for _ in range(n):
        d = bisect.bisect_left(cum, rng.random() * total)
        h = bisect.bisect_left(hour_cum, rng.random() * acc)
        t = (start_day + d) * DAY - CN_OFFSET + h * HOUR + rng.randrange(HOUR)
        if t > now - 60:
            t = now - 60 - rng.randrange(6 * HOUR)
        out.append(t)
    out.sort()
    return out


def _open_probability(times: list[int], now: int) -> Callable[[int], float]:
    """P(still open | age): nearly all of the last days' complaints, fading over
    months, a thin tail of old cases; scaled so that OPEN_SHARE of all are open."""
    ages = defaultdict(int)
    for t in times:
        ages[(now - t) // DAY] += 1

    def p(age_days: int, c: float) -> float:
        if age_days > 400:
            return 0.0
        return min(0.97, c * math.exp(-age_days / 40) + 0.002)

    target = OPEN_SHARE * len(times)
    lo, hi = 0.0, 50.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if sum(k * p(a, mid) for a, k in ages.items()) < target:
            lo = mid
        else:
            hi = mid
    return lambda age: p(age, hi)


def _weighted(pairs):
    values = [v for v, _w in pairs]
    cum = []
    acc = 0.0
    for _v, w in pairs:
        acc += w
        cum.append(acc)
    return values, cum


def _resident_id(rng: random.Random, born: int) -> str:
    region = rng.choice(["130534", "130501", "130502", "130503", "110101", "130181"])
    birth = _local_date(born).strftime("%Y%m%d")
    body = f"{region}{birth}{rng.randrange(1000):03d}"
    factors = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * f for c, f in zip(body, factors, strict=True)) % 11]
    return body + check


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


class ComplaintWriter:
    """Generates complaint rows, writing their timeline, notifications, extensions
    and urges to temporary files as it goes (one pass; those are COPYed after)."""

    def __init__(self, world: World, rng: random.Random, now: int, tmpdir: str):
        from complaints.models import HandlingCategory, TaxonomyCode
        from institutions.models import Institution

        self.world, self.rng, self.now = world, rng, now
        self.caught_up = now - DAY  # the sweep "last ran" a day ago
        self.deadlines = Deadlines()
        self.inst_objs = {i.pk: i for i in Institution.objects.all()}
        taxonomy = list(TaxonomyCode.objects.all())
        parents = {t.parent_id for t in taxonomy if t.parent_id}
        leaves = {
            d: [t.pk for t in taxonomy if t.dimension == d and t.pk not in parents] for d in "ABC"
        }
        self.tax = {}
        for d, ids in leaves.items():
            rng.shuffle(ids)
            self.tax[d] = _weighted([(pk, 1 / (rank + 1) ** 0.9) for rank, pk in enumerate(ids)])
        cats = {c.name: c for c in HandlingCategory.objects.all()}
        self.categories = _weighted(
            [((c.pk, c.complexity), CATEGORY_WEIGHTS.get(name, 5)) for name, c in cats.items()]
        )
        self.sources = _weighted(SOURCE_WEIGHTS)
        self.kinds = _weighted(KIND_WEIGHTS)
        bank_w = [b[3] for b in BANKS]
        bank_sizes = defaultdict(int)
        for inst in world.insts.values():
            if inst.bank >= 0:
                bank_sizes[inst.bank] += 1
        pairs = []
        for inst in world.insts.values():
            if inst.bank < 0:
                continue
            w = KIND_FACTOR[inst.kind] * bank_w[inst.bank] / bank_sizes[inst.bank]
            pairs.append((inst.id, w * (0.5 + rng.random())))
        self.targets = _weighted(pairs)
        self.recent: list[tuple] = []  # ring of recent people, for repeats
        self.seq: dict[tuple[int, int], int] = defaultdict(int)
        self.files = {
            name: open(os.path.join(tmpdir, f"{name}.tsv"), "w+", encoding="utf-8")  # noqa: SIM115
            for name in ("timeline", "notification", "extension", "urge")
        }
        self.ids = {"timeline": 0, "notification": 0, "extension": 0, "urge": 0}
        self.report = SeedReport()

    def pick(self, table) -> object:
        values, cum = table
        return values[bisect.bisect_left(cum, self.rng.random() * cum[-1])]

    def close(self) -> None:
        for f in self.files.values():
            f.flush()

    # -- the story of one complaint ------------------------------------------------------

    def rows(self, times: list[int], p_open: Callable[[int], float]) -> Iterator[str]:
        for cid, received in enumerate(times, start=1):
            yield self.complaint(cid, received, p_open((self.now - received) // DAY))

    def complaint(self, cid: int, received: int, p_open: float) -> str:
        rng, w, now = self.rng, self.world, self.now
        source = self.pick(self.sources)
        kind = self.pick(self.kinds)
        category, complexity = self.pick(self.categories)
        complexity_reason = ""
        if complexity == "simple" and rng.random() < 0.04:
            complexity, complexity_reason = "complex", "涉及金额较大，需调取外部资料"
        # Who: now and then the same person again, about the same institution.
        repeat_of = None
        if self.recent and rng.random() < 0.04:
            repeat_of, name, phone, id_number, complained = self.recent[
                rng.randrange(len(self.recent))
            ]
        else:
            name = SURNAMES[rng.randrange(len(SURNAMES))] + "".join(
                GIVEN[rng.randrange(len(GIVEN))] for _ in range(rng.choice((1, 2, 2)))
            )
            phone = _phone(rng)
            id_number = ""
            if rng.random() < 0.7:
                id_number = _resident_id(rng, received - rng.randrange(18, 80) * 365 * DAY)
            complained = self.pick(self.targets)
        self.recent.append((cid, name, phone, id_number, complained))
        if len(self.recent) > 4000:
            self.recent = self.recent[2000:]
        target = w.insts[complained]
        office = target.regulator_id
        accepting = office if source == "regulator" else complained
        first_responder = rng.choice(w.staff_at(accepting))
        is_open = rng.random() < p_open
        is_major = rng.random() < 0.004
        # Where it ends up: the institution complained about; now and then escalated
        # to its parent; some of the office's own intake is not dispatched yet.
        undispatched = source == "regulator" and is_open and rng.random() < 0.3
        escalated = not undispatched and target.parent_id is not None and rng.random() < 0.05
        handling = office if undispatched else target.parent_id if escalated else complained
        rule = self.deadlines.rule(complexity, source, self.inst_objs[handling])
        due, provisional = self.deadlines.due(rule, received)
        if is_open:
            path = []
            if not undispatched:
                path = rng.choices(
                    [[], ["assign"], ["assign", "start"], ["assign", "start", "resolve"]],
                    weights=[12, 23, 48, 17],
                )[0]
            end = now - 60
        else:
            roll = rng.random()
            if roll < 0.035:
                path = ["refuse"]
            elif roll < 0.06:
                path = ["transfer"]
            else:
                path = ["assign", "start", "resolve", "answer"]
                if rng.random() < 0.9:
                    path.append("archive")
            if path[0] in ("refuse", "transfer"):
                end = received + rng.randrange(10 * 60, DAY)
            elif rng.random() < 0.06:  # answered late
                end = due + rng.randrange(HOUR, 6 * DAY)
            else:
                end = received + int((due - received) * rng.uniform(0.05, 0.95))
            end = max(received + 30 * 60, min(end, now - 60))
        horizon = end - received
        manager_pool = w.managers_over(handling)
        assigner = rng.choice(
            w.supervisors[office] if accepting == office else w.managers_over(complained)
        )
        handlers = w.handlers.get(handling) or manager_pool
        # An open case past its due time usually had an extension approved.
        extension = None
        if is_open and "start" in path and due < now and rng.random() < 0.6:
            extension = max(due, now) + rng.randrange(1, 20) * DAY
        events: list[tuple[str, str, str, int | None, int]] = [
            ("register", "", "registered", first_responder, received)
        ]
        status = "registered"
        handler = None
        stamps: dict[str, int] = {}
        ext_row = None
        satisfaction = answer_method = refusal = transferred = ""
        is_valid = None
        money = "0"
        escalation_level = 0
        t = received

        def step(fraction_lo: float, fraction_hi: float) -> int:
            return max(60, int(horizon * rng.uniform(fraction_lo, fraction_hi)))

        if escalated and (not path or path[0] == "assign"):
            first_handler = rng.choice(w.handlers.get(complained) or manager_pool)
            t += step(0.01, 0.05)
            events.append(("assign", "registered", "assigned", assigner, t))
            t += step(0.01, 0.05)
            events.append(("escalate", "assigned", "registered", first_handler, t))
            escalation_level = 1
            assigner = rng.choice(manager_pool)
        elif escalated:
            handling = complained
            handlers = w.handlers.get(handling) or manager_pool
        for action in path:
            if action == "assign":
                handler = rng.choice(handlers)
                t += step(0.02, 0.1)
                stamps["assigned_at"] = t
                events.append(("assign", "registered", "assigned", assigner, t))
                status = "assigned"
            elif action == "start":
                t += step(0.02, 0.15)
                stamps["started_at"] = t
                events.append(("start", "assigned", "in_progress", handler, t))
                status = "in_progress"
                if extension is not None:
                    t += step(0.05, 0.2)
                    events.append(("request_extension", status, status, handler, t))
                    events.append(("approve_extension", status, status, assigner, t + 60))
                    ext_row = (t, assigner, handler, due, extension)
                    due = extension
                    t += 60
            elif action == "resolve":
                if is_open:
                    t += max(60, int((end - t) * rng.uniform(0.1, 0.6)))
                else:
                    t = max(t + 60, end - rng.randrange(5 * 60, 3 * HOUR))
                stamps["resolved_at"] = t
                is_valid = rng.random() < 0.55
                if is_valid and rng.random() < 0.3:
                    money = f"{rng.randrange(50, 50000)}.00"
                events.append(("resolve", "in_progress", "resolved", handler, t))
                status = "resolved"
            elif action == "answer":
                t = max(t + 60, end)
                stamps["answered_at"] = t
                answer_method = rng.choice(ANSWER_METHODS)
                roll = rng.random()
                satisfaction = (
                    "satisfied" if roll < 0.8 else "basic" if roll < 0.95 else "unsatisfied"
                )
                events.append(("answer", "resolved", "answered", handler, t))
                status = "answered"
            elif action == "archive":
                at = t + rng.randrange(DAY, 20 * DAY)
                if at < now:
                    stamps["archived_at"] = stamps["closed_at"] = at
                    events.append(("archive", "answered", "archived", assigner, at))
                    status = "archived"
            else:  # refuse / transfer
                t = end
                stamps["closed_at"] = t
                if action == "refuse":
                    refusal, status = "not_financial", "refused"
                    events.append(("refuse", "registered", "refused", first_responder, t))
                else:
                    transferred, status = "保险监管部门", "transferred"
                    events.append(("transfer", "registered", "transferred", first_responder, t))
        if status == "registered":
            handler = None
        remind, escalate_at = self.deadlines.follow(rule, due)
        # The sweep's stamps: everything up to a day ago is done, the last day is not.
        if status not in ("refused", "transferred"):
            until = now if is_open else stamps.get("answered_at", now)
            if remind < min(until, due, self.caught_up):
                stamps["reminded_at"] = remind
                events.append(("remind", status, status, None, remind))
            if due < min(until, self.caught_up):
                stamps["overdue_at"] = due
                events.append(("overdue", status, status, None, due))
            if escalate_at < min(until, self.caught_up):
                stamps["auto_escalated_at"] = escalate_at
                events.append(("auto_escalate", status, status, None, escalate_at))
        reported = None
        if is_major:
            reported = received + 120
            events.append(("report_major", "registered", "registered", first_responder, reported))
        urge = None
        if is_open and status != "registered" and rng.random() < 0.03:
            urger = rng.choice(w.supervisors[office])
            at = received + (now - received) // 2
            events.append(("supervise", status, status, urger, at))
            urge = (urger, at, _local_date(at + rng.randrange(1, 10) * DAY))
        events.sort(key=lambda e: e[4])
        if is_open:
            self.report.open += 1
            if due < now:
                self.report.overdue += 1
        self._timeline(cid, events, due)
        self._notifications(cid, events, handler, is_open)
        if ext_row is not None:
            self._extension(cid, ext_row)
        if urge is not None:
            self._urge(cid, urge)
        local = _local_date(received)
        seq_key = (accepting, local.toordinal())
        self.seq[seq_key] += 1
        tracking = f"{w.insts[accepting].code}-{local:%Y%m%d}-{self.seq[seq_key]:03d}"
        acts = [e for e in events if e[0] not in ("register", "report_major", *SWEEP_ACTIONS)]
        self.report.complaints += 1
        answered = status in ("answered", "archived")
        resolved = "resolved_at" in stamps
        values = [
            str(cid),
            tracking,
            _ts(received),
            source,
            kind,
            name,
            phone,
            "resident_id" if id_number else "",
            id_number,
            f"河北省示范市{DISTRICTS[cid % len(DISTRICTS)]}{cid % 300 + 1}号",
            "",  # account_number
            "phone",
            "",  # consumer_email
            "f",  # notify_consent
            "f",  # submitted_by_consumer
            "",  # original_no: none, as for anything not imported
            "0",  # statutory_days: no statutory clock (as data from before it existed)
            "0",  # statutory_paused_days
            "",  # withdrawal_channel
            DESCRIPTIONS[cid % len(DESCRIPTIONS)],
            DEMANDS[cid % len(DEMANDS)],
            f"{rng.randrange(100, 200000)}.00" if rng.random() < 0.4 else NULL,
            "",
            complexity,
            complexity_reason,
            str(escalation_level),
            "t" if is_major else "f",
            _ts(reported),
            "t" if repeat_of else "f",
            "0",
            "f",
            "",
            status,
            str(1 + len(acts)),
            _ts(due),
            "t" if provisional else "f",
            _ts(remind),
            _ts(escalate_at),
            _ts(stamps.get("reminded_at")),
            _ts(stamps.get("overdue_at")),
            _ts(stamps.get("auto_escalated_at")),
            _ts(stamps.get("assigned_at")),
            _ts(stamps.get("started_at")),
            _ts(stamps.get("resolved_at")),
            _ts(stamps.get("answered_at")),
            _ts(stamps.get("archived_at")),
            _ts(stamps.get("closed_at")),
            FINDINGS if resolved else "",
            NULL if is_valid is None else ("t" if is_valid else "f"),
            MEASURES if resolved else "",
            money,
            "",
            answer_method,
            "已电话告知客户处理结果" if answered else "",
            satisfaction,
            "staff" if satisfaction else "",  # satisfaction_source: recorded by phone
            refusal,
            "不属于金融消费者投诉" if refusal else "",
            transferred,
            "涉及保险业务" if transferred else "",
            _ts(events[-1][4]),
            _ts(received),
            str(accepting),
            str(complained),
            NULL,
            str(first_responder),
            str(handler) if handler else NULL,
            str(handling),
            str(repeat_of) if repeat_of else NULL,
            str(rule.pk),
            str(category),
            str(self.pick(self.tax["B"])),
            str(self.pick(self.tax["C"])),
            str(self.pick(self.tax["A"])),
        ]
        return "\t".join(values) + "\n"

    def _timeline(self, cid: int, events, due: int) -> None:
        f = self.files["timeline"]
        due_payload = '{"due_at": "' + dt.datetime.fromtimestamp(due, UTC).isoformat() + '"}'
        out = []
        for action, frm, to, actor, at in events:
            self.ids["timeline"] += 1
            payload = due_payload if action in ("register", "remind", "overdue") else "{}"
            out.append(
                f"{self.ids['timeline']}\t{cid}\t{actor or NULL}\t{action}\t"
                f"{frm}\t{to}\t{SMALL_NOTES.get(action, '')}\t{payload}\t{_ts(at)}\n"
            )
        f.write("".join(out))
        self.report.timeline += len(events)

    def _notifications(self, cid: int, events, handler, is_open: bool) -> None:
        f = self.files["notification"]
        url = f"/complaints/{cid}/"
        out = []
        for action, _frm, _to, _actor, at in events:
            kind = {"assign": "assigned", "overdue": "overdue", "remind": "due_soon"}.get(action)
            if kind is None or not handler or (self.now - at > 180 * DAY and not is_open):
                continue
            self.ids["notification"] += 1
            read = NULL if is_open and self.rng.random() < 0.5 else _ts(at + 3600)
            out.append(
                f"{self.ids['notification']}\t{handler}\t{kind}\t{cid}\t投诉 {cid} {action}\t\t"
                f"{url}\t{kind}:{cid}:{at}\t{_ts(at)}\t{read}\t{_ts(at + 60)}\t{NULL}\t1\n"
            )
        if out:
            f.write("".join(out))
            self.report.notifications += len(out)

    def _extension(self, cid: int, ext) -> None:
        at, approver, requester, previous_due, new_due = ext
        self.ids["extension"] += 1
        self.files["extension"].write(
            f"{self.ids['extension']}\t{cid}\t{requester}\t需调取外部资料\t{_ts(new_due)}\tt\t"
            f"{_ts(at)}\tapproved\t{approver}\t{_ts(at + 60)}\t同意\t{_ts(previous_due)}\t"
            f"{_ts(at)}\n"
        )
        self.report.extensions += 1

    def _urge(self, cid: int, urge) -> None:
        urger, at, expected = urge
        self.ids["urge"] += 1
        self.files["urge"].write(
            f"{self.ids['urge']}\t{cid}\t{urger}\t请加快办理\t{expected.isoformat()}\t{_ts(at)}\n"
        )
        self.report.urges += 1


# --- Orchestration ---------------------------------------------------------------------

BIG_TABLES = [
    "complaints_complaint",
    "complaints_timelineentry",
    "notifications_notification",
]


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the table's indexes that back no constraint."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = %s
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
            """,
            [table],
        )
        return cur.fetchall()


def _set_sequence(table: str) -> None:
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"GREATEST((SELECT MAX(id) FROM {table}), 1))"
        )


def _is_superuser() -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return bool(cur.fetchone()[0])


def seed(n: int, *, log: Callable[[str], None] = print, seed_value: int = 20261127) -> SeedReport:
    """Generate and load everything; returns counts and timings."""
    from complaints.models import Complaint, HandlingCategory, TaxonomyCode

    if Complaint.objects.exists():
        raise RuntimeError("the database already holds complaints; seed into a fresh one")
    if not (TaxonomyCode.objects.exists() and HandlingCategory.objects.exists()):
        raise RuntimeError("the reference data (taxonomy, categories) is missing: migrate first")
    rng = random.Random(seed_value)  # noqa: S311 - reproducible data, not secrets
    now = _epoch(timezone.now())
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    with transaction.atomic():
        world = seed_institutions(rng)
        users = seed_users(world)
    timings["institutions_users"] = time.perf_counter() - t0
    log(f"  {len(world.insts)} institutions, {users} users ({timings['institutions_users']:.1f}s)")

    dropped: dict[str, list[tuple[str, str]]] = {t: _secondary_indexes(t) for t in BIG_TABLES}
    superuser = _is_superuser()
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        with tempfile.TemporaryDirectory(prefix="bench-seed-") as tmp:
            writer = ComplaintWriter(world, rng, now, tmp)
            t0 = time.perf_counter()
            times = _received_times(rng, n, now)
            p_open = _open_probability(times, now)
            with raw.cursor() as cur:
                if superuser:
                    # No per-row foreign-key triggers: every id is generated consistently.
                    cur.execute("SET LOCAL session_replication_role = replica")
                cur.execute("SET LOCAL synchronous_commit = off")
                for indexes in dropped.values():
                    for name, _sql in indexes:
                        cur.execute(f'DROP INDEX "{name}"')
            with frozen_calendar(writer.deadlines.cal):
                copy_rows(
                    raw, "complaints_complaint", COMPLAINT_COLUMNS, writer.rows(times, p_open)
                )
            writer.close()
            timings["complaints"] = time.perf_counter() - t0
            log(f"  {writer.report.complaints:,} complaints ({timings['complaints']:.1f}s)")
            t0 = time.perf_counter()
            copy_file(raw, "complaints_timelineentry", TIMELINE_COLUMNS, writer.files["timeline"])
            timings["timeline"] = time.perf_counter() - t0
            log(f"  {writer.report.timeline:,} timeline rows ({timings['timeline']:.1f}s)")
            t0 = time.perf_counter()
            for table, columns, name in (
                ("notifications_notification", NOTIFICATION_COLUMNS, "notification"),
                ("complaints_extensionrequest", EXTENSION_COLUMNS, "extension"),
                ("complaints_urge", URGE_COLUMNS, "urge"),
            ):
                copy_file(raw, table, columns, writer.files[name])
            copy_rows(
                raw,
                "complaints_trackingsequence",
                ["institution_id", "day", "last"],
                (
                    f"{inst}\t{dt.date.fromordinal(day).isoformat()}\t{last}\n"
                    for (inst, day), last in writer.seq.items()
                ),
            )
            raw.commit()
            timings["notifications_etc"] = time.perf_counter() - t0
            log(
                f"  {writer.report.notifications:,} notifications, {writer.report.extensions:,} "
                f"extensions, {writer.report.urges:,} urges ({timings['notifications_etc']:.1f}s)"
            )
            for f in writer.files.values():
                f.close()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        for indexes in dropped.values():
            for _name, sql in indexes:
                cur.execute(sql)
    for table in (*BIG_TABLES, "complaints_extensionrequest", "complaints_urge"):
        _set_sequence(table)
    _set_sequence("complaints_trackingsequence")
    timings["indexes"] = time.perf_counter() - t0
    log(f"  indexes rebuilt ({timings['indexes']:.1f}s)")
    # The keyword search's text, in batches of ids, as `manage.py search_reindex`
    # does it (one statement per batch; PostgreSQL computes the generated `grams`
    # column as each row is written). The GIN index is dropped for the fill and
    # built once afterwards: inserting a million rows' bigrams into it one row at a
    # time costs several times the build. Computing the bigrams is PostgreSQL's CPU
    # work, one core per statement: the batches run on as many connections as cores.
    from complaints import search

    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'cmp_search_grams'")
        (grams_index,) = cur.fetchone()
        cur.execute("DROP INDEX cmp_search_grams")
        cur.execute("SET synchronous_commit = off")
    search.reindex_all(workers=os.cpu_count() or 1)
    timings["search_text"] = time.perf_counter() - t0
    log(f"  search text written ({timings['search_text']:.1f}s)")
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        # A GIN build sorts its entries in this memory: at ten million rows 512 MB
        # spills many times over.
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute(grams_index)
        cur.execute("RESET synchronous_commit")
    timings["search_index"] = time.perf_counter() - t0
    log(f"  search index built ({timings['search_index']:.1f}s)")
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        for table in (
            *BIG_TABLES,
            "complaints_extensionrequest",
            "complaints_urge",
            "complaints_trackingsequence",
            "complaints_complaintsearch",
            "institutions_institution",
            "institutions_user",
        ):
            cur.execute(f"VACUUM (ANALYZE) {table}")
    timings["vacuum_analyze"] = time.perf_counter() - t0
    log(f"  vacuum analyze ({timings['vacuum_analyze']:.1f}s)")
    report = writer.report
    report.institutions = len(world.insts)
    report.users = users
    report.seconds = timings
    return report
