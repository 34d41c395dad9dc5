"""Demo appraisal for `make run`, so that the demo supervisor (pbc_supervisor) can
open last quarter's appraisal in the admin, recompute, score the rest, publish and
see next quarter's key-supervision list:

* the quarter before last, published, with 邢台银行清河支行 under key supervision —
  listed in last quarter's overview as "上期确定的重点监管机构";
* last quarter in 评分中: a few complaints received then (one major at ICBC, one
  answered late at ABC), self-assessments (ABC on time, RCB late), and every manual
  score filled except two of 丰源村镇银行's, left for the supervisor.

Everything goes through the services (and the complaint workflow). Idempotent: does
nothing once last quarter's period exists.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from institutions.models import Institution, User

from . import reference
from .enums import PeriodKind
from .models import AppraisalPeriod, SelfAssessment
from .services.periods import period_create, period_label, period_publish, period_start_scoring
from .services.scores import scores_record_many
from .services.self_assessment import self_assessment_save
from .services.totals import period_recompute

#: Manual scores per bank (indicator code → score); the rest get ``DEFAULT``.
DEFAULT = Decimal("9")
MANUAL = {
    "ABC-HB": {"ORG-1": 10, "ORG-2": 10, "MECH-1": 10, "MECH-2": 9.5, "CONDUCT-1": 10},
    "ICBC-QH": {"ORG-1": 9, "ORG-2": 9, "MECH-1": 9, "CONDUCT-1": 9},
    "XTB-QH": {"ORG-1": 5, "ORG-2": 5, "MECH-1": 5, "MECH-2": 4, "CONDUCT-1": 5, "CONDUCT-2": 5,
               "CONDUCT-3": 6, "EDU-3": 4, "DISPUTE-7": 5, "DEDUCT-1": 6},
    "RCB-QH": {"ORG-1": 9, "MECH-2": 8.5, "DEDUCT-1": 2},
    "VB-QH": {"ORG-2": 8.5},
}  # fmt: skip
DEDUCTIONS = {"DEDUCT-1", "DEDUCT-3"}  # manual deduction lines: default 0
LEFT_FOR_SUPERVISOR = {("VB-QH", "ORG-1"), ("VB-QH", "MECH-1")}


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _reason(code: str, score: Decimal) -> str:
    if code in DEDUCTIONS:
        return "检查未发现问题" if not score else "现场检查发现制度执行不到位，已责令整改"
    if score >= 9:
        return "制度健全、执行到位，资料齐全"
    if score >= 7:
        return "基本达到要求，个别环节记录不完整"
    return "制度缺失或执行不到位，需限期整改"


def _manual_rows(period: AppraisalPeriod, *, skip=frozenset()) -> list[tuple]:
    rows = []
    for sheet in period.sheets.select_related("institution"):
        code = sheet.institution.code
        for indicator in period.scheme.indicators.filter(method="manual"):
            if (code, indicator.code) in skip:
                continue
            default = Decimal(0) if indicator.code in DEDUCTIONS else DEFAULT
            score = Decimal(str(MANUAL.get(code, {}).get(indicator.code, default)))
            score = min(score, indicator.max_score)
            rows.append((code, indicator.code, score, _reason(indicator.code, score)))
    return rows


def _complaints(start: date, users: dict[str, User], inst: dict[str, Institution]) -> None:
    """Five complaints received last quarter, through the real workflow."""
    from complaints import services as complaint_services
    from complaints.demo import date_as_happened
    from complaints.models import Complaint, HandlingCategory, TaxonomyCode
    from complaints.workflow import complaint_act

    cat = {c.name: c for c in HandlingCategory.objects.all()}
    codes = {c.code: c for c in TaxonomyCode.objects.filter(code__in=["A101", "B01", "C01", "C02"])}
    if not cat or len(codes) < 4:
        return
    made: list[int] = []

    def register(actor, institution, received_at, *, category="服务态度", major=False, who=0):
        people = [("冯桂英", "13930191111"), ("褚志明", "13930192222"), ("卫红梅", "13930193333"),
                  ("蒋立军", "13930194444"), ("沈玉兰", "13930195555")]  # fmt: skip
        name, phone = people[who]
        c, _warnings = complaint_services.complaint_register(
            actor=users[actor],
            data={
                "intake_source": "walk_in",
                "kind": "complaint",
                "complainant_name": name,
                "complainant_phone": phone,
                "answer_preference": "phone",
                "description": "办理业务等候时间过长，工作人员解释不清。",
                "demand": "要求说明情况并改进服务。",
                "complained_institution": inst[institution],
                "category": cat[category],
                "received_at": received_at,
                "channel": codes["A101"],
                "business": codes["B01"],
                "cause": codes["C01"],
                "is_major": major,
            },
        )
        made.append(c.pk)
        return c

    def finish(c, manager, handler_inst, handler, satisfaction, answered_at):
        def act(actor, action, **data):
            return complaint_act(actor=users[actor], complaint_id=c.pk, action=action, **data)

        act(manager, "assign", institution=inst[handler_inst], handler=users[handler])
        act(handler, "start")
        act(handler, "resolve", findings="经核实情况属实。", is_valid=True,
            measures="向客户解释并致歉，改进服务流程。")  # fmt: skip
        act(handler, "answer", method="phone", satisfaction=satisfaction,
            note="电话告知处理结果", answered_at=answered_at)  # fmt: skip

    day = start + timedelta(days=7)
    c = register("abc_teller", "ABC-QH-01", _at(day, 10), who=0)
    finish(c, "abc_manager", "ABC-QH", "abc_handler", "satisfied", _at(day, 15))
    day = start + timedelta(days=42)
    c = register("abc_teller", "ABC-QH-01", _at(day, 9, 30), who=1)
    finish(c, "abc_manager", "ABC-QH", "abc_handler", "basic", _at(day, 16))
    day = start + timedelta(days=64)
    c = register("abc_handler", "ABC-QH", _at(day, 11), category="服务渠道", who=2)
    finish(c, "abc_manager", "ABC-QH", "abc_handler", "unsatisfied", c.due_at + timedelta(days=2))
    day = start + timedelta(days=19)
    c = register("rcb_teller", "RCB-QH-0101", _at(day, 10), who=3)
    finish(c, "rcb_manager", "RCB-QH-01", "rcb_handler", "satisfied", _at(day, 14))
    day = start + timedelta(days=55)
    c = register("icbc_teller", "ICBC-QH-01", _at(day, 10), major=True, who=4)
    finish(c, "icbc_manager", "ICBC-QH", "icbc_manager", "unsatisfied", _at(day, 16))
    date_as_happened(Complaint.objects.filter(pk__in=made))


@transaction.atomic
def seed(stdout=None) -> AppraisalPeriod | None:
    reference.load()
    regulator = Institution.objects.filter(code="PBC-QH").first()
    supervisor = User.objects.filter(username="pbc_supervisor").first()
    if regulator is None or supervisor is None:
        return None
    today = timezone.localdate()
    last_start = _quarter_start(_quarter_start(today) - timedelta(days=1))
    before_start = _quarter_start(last_start - timedelta(days=1))
    _end, last_code, _name = period_label(PeriodKind.QUARTER, last_start)
    existing = AppraisalPeriod.objects.filter(regulator=regulator, code=last_code).first()
    if existing is not None:
        return existing
    users = {u.username: u for u in User.objects.filter(institution__isnull=False)}
    inst = {i.code: i for i in Institution.objects.all()}

    # The quarter before: published, XTB (low manual scores) under key supervision.
    before = AppraisalPeriod.objects.filter(regulator=regulator, starts_on=before_start).first()
    if before is None:
        before = period_create(
            actor=supervisor, regulator=regulator, kind=PeriodKind.QUARTER, starts_on=before_start
        )
        scores_record_many(actor=supervisor, period=before, rows=_manual_rows(before))
        period_recompute(actor=supervisor, period=before)
        period_publish(actor=supervisor, period=before)

    # Last quarter: data, self-assessments, most manual scores.
    _complaints(last_start, users, inst)
    period = period_create(
        actor=supervisor, regulator=regulator, kind=PeriodKind.QUARTER, starts_on=last_start
    )
    period_start_scoring(actor=supervisor, period=period)
    for username, submitted_days_after_due in (("abc_manager", -3), ("rcb_manager", 4)):
        manager = users.get(username)
        if manager is None:
            continue
        sections = list(period.scheme.sections.all())
        own = self_assessment_save(
            actor=manager,
            period=period,
            entries={
                s.pk: (
                    f"{s.topics}：已按要求开展相关工作。",
                    None if s.is_deduction else s.weight * Decimal("0.9"),
                )
                for s in sections
            },
            problems_and_measures="个别网点投诉登记不完整，已组织培训并纳入考核。",
            submit=True,
        )
        # History: the report reached the office around the due date.
        SelfAssessment.objects.filter(pk=own.pk).update(
            submitted_at=_at(
                period.self_assessment_due + timedelta(days=submitted_days_after_due), 10
            )
        )
    scores_record_many(
        actor=supervisor, period=period, rows=_manual_rows(period, skip=LEFT_FOR_SUPERVISOR)
    )
    if stdout:
        stdout.write(f"演示考核期已载入：{before.name}（已发布）、{period.name}（评分中）。")
    return period
