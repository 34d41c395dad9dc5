"""Demo complaints for `make run`: a handful in every stage, including one that is
already past its due time so that the deadline sweep marks it overdue on its own a
few minutes after start-up. Runs once: skipped when demo complaints exist."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from institutions.models import Institution, User

from . import reference, services
from .enums import CLOSED_STATES
from .models import Complaint, HandlingCategory, TaxonomyCode
from .workflow import complaint_act

PEOPLE = [
    ("赵丽华", "13831901234", "130534198502163426"),
    ("孙建国", "13903195678", ""),
    ("周秀英", "15131902468", "130534195807121229"),
    ("吴志强", "18631903579", ""),
    ("郑小红", "13722506688", ""),
]


def _code(code):
    return TaxonomyCode.objects.get(code=code)


@transaction.atomic
def ensure_statutory_pack() -> None:
    """The CBIRC 2020 pack its migration seeds, back if a flush removed it (a test
    database emptied between tests): without it no complaint gets a statutory clock."""
    from importlib import import_module

    from deadlines import snapshot

    from .models import StatutoryRulePack

    if StatutoryRulePack.objects.exists():
        return
    defaults = import_module("complaints.migrations.0022_statutory_pack_cbirc_2020").CBIRC_2020
    StatutoryRulePack.objects.create(
        **defaults, name_en="CBIRC consumer complaint handling measures (2020)"
    )
    snapshot.changed()  # the per-process pack cache is keyed by this token


def seed(stdout=None) -> None:
    reference.load()
    ensure_statutory_pack()
    users = {u.username: u for u in User.objects.filter(username__contains="_")}
    if not users or Complaint.objects.filter(first_responder__in=users.values()).exists():
        return
    inst = {i.code: i for i in Institution.objects.all()}
    cat = {c.name: c for c in HandlingCategory.objects.all()}
    now = timezone.now()

    def reg(
        actor,
        who,
        *,
        institution,
        category,
        received_at,
        description,
        demand,
        business,
        cause,
        **extra,
    ):
        name, phone, id_no = PEOPLE[who]
        c, _ = services.complaint_register(
            actor=users[actor],
            data={
                "intake_source": extra.pop("source", "phone"),
                "kind": "complaint",
                "complainant_name": name,
                "complainant_phone": phone,
                "id_type": "resident_id" if id_no else "",
                "id_number": id_no,
                "contact_address": "河北省邢台市清河县城关镇",
                "answer_preference": "phone",
                "description": description,
                "demand": demand,
                "complained_institution": inst[institution],
                "category": cat[category],
                "received_at": received_at,
                "business": _code(business),
                "cause": _code(cause),
                "channel": _code("A101"),
                **extra,
            },
        )
        return c

    def act(c, actor, action, **data):
        return complaint_act(actor=users[actor], complaint_id=c.pk, action=action, **data)

    # 1. Overdue, unassigned: registered five days ago at the counter.
    reg(
        "abc_teller",
        0,
        institution="ABC-QH-01",
        category="服务态度",
        received_at=now - timedelta(days=5),
        description="柜员办理存款业务时态度生硬，多次催促后才办理。",
        demand="要求网点负责人道歉并加强员工培训。",
        business="B01",
        cause="C01",
    )
    # 2. Assigned to the ABC handler, due soon.
    c = reg(
        "abc_handler",
        1,
        institution="ABC-QH",
        category="服务渠道",
        received_at=now - timedelta(hours=2),
        amount=Decimal("2000"),
        description="ATM 取款未吐钞但账户已扣款 2000 元。",
        demand="尽快退还 2000 元。",
        business="B0301",
        cause="C02",
    )
    act(c, "abc_manager", "assign", institution=inst["ABC-QH"], handler=users["abc_handler"])
    # 3. In progress at the rural commercial bank.
    c = reg(
        "rcb_teller",
        2,
        institution="RCB-QH-0101",
        category="违规操作",
        received_at=now - timedelta(days=1),
        description="贷款时被要求购买理财产品，否则不予放款。",
        demand="退还理财款项，说明情况。",
        business="B02",
        cause="C07",
        is_major=False,
    )
    act(c, "rcb_manager", "assign", institution=inst["RCB-QH-01"], handler=users["rcb_handler"])
    act(c, "rcb_handler", "start")
    # 4. Answered and satisfied (a finished case for the archive and statistics).
    c = reg(
        "abc_teller",
        3,
        institution="ABC-QH-01",
        category="工作失误",
        received_at=now - timedelta(days=10),
        description="转账时柜员录错收款账号，资金被退回延误两天。",
        demand="赔偿损失并道歉。",
        business="B0402",
        cause="C01",
    )
    act(c, "abc_manager", "assign", institution=inst["ABC-QH"], handler=users["abc_handler"])
    act(c, "abc_handler", "start")
    act(
        c,
        "abc_handler",
        "resolve",
        findings="经核实系柜员录入错误。",
        is_valid=True,
        measures="向客户道歉，补偿手续费，对柜员进行培训。",
        money_recovered=Decimal("50"),
        staff_opinion="对责任柜员进行批评教育。",
    )
    act(
        c,
        "abc_handler",
        "answer",
        method="phone",
        satisfaction="satisfied",
        note="电话告知处理结果",
        answered_at=c.received_at + timedelta(hours=2),
    )
    # 5. Received by the county office on 12363 and dispatched to the RCB.
    services.complaint_dispatch(
        actor=users["pbc_supervisor"],
        data={
            "intake_source": "hotline_12363",
            "kind": "complaint",
            "complainant_name": PEOPLE[4][0],
            "complainant_phone": PEOPLE[4][1],
            "id_type": "",
            "id_number": "",
            "contact_address": "",
            "answer_preference": "phone",
            "description": "征信报告中出现本人未办理的贷款记录。",
            "demand": "核实并更正征信记录。",
            "complained_institution": inst["RCB-QH-01"],
            "category": cat["违规操作"],
            "received_at": now - timedelta(hours=1),
            "business": _code("B07"),
            "cause": _code("C11"),
            "dispatch_note": "请核实后三个工作日内答复。",
        },
        institution=inst["RCB-QH-01"],
        handler=users["rcb_handler"],
    )
    date_as_happened(Complaint.objects.filter(first_responder__in=users.values()))
    if stdout:
        stdout.write("演示投诉已载入。")


#: When a notice of each kind went out, after the complaint was received.
_NOTICE_DELAY = {"assigned": timedelta(minutes=20), "dispatched": timedelta(minutes=5)}


def date_as_happened(complaints) -> None:
    """Date the demo's past complaints as if they had been handled back then.

    The demo runs the real workflow today, so every notice and ``resolved_at`` would
    carry today's date: a notice dated today that a July complaint is due on a July
    day. Notices move to when they would have been sent (the unsatisfied notice to
    the answer, the others just after receipt); those of closed complaints more than
    a day old are read and were e-mailed back then (so starting the demo does not
    mail months-old notices), the rest stay unread and are mailed by the worker. The
    timeline is append-only and keeps the seeding time."""
    from notifications.models import Notification

    now = timezone.now()
    for c in complaints:
        if c.resolved_at and c.answered_at and c.resolved_at > c.answered_at:
            Complaint.objects.filter(pk=c.pk).update(
                resolved_at=c.answered_at - timedelta(minutes=30), last_activity_at=c.answered_at
            )
        for note in Notification.objects.filter(complaint=c):
            if note.kind == "unsatisfied" and c.answered_at:
                at = c.answered_at + timedelta(minutes=5)
            else:
                at = c.received_at + _NOTICE_DELAY.get(note.kind, timedelta(minutes=1))
            at = min(at, now)
            done = c.status in CLOSED_STATES and at < now - timedelta(days=1)
            Notification.objects.filter(pk=note.pk).update(
                created_at=at,
                read_at=at + timedelta(hours=1) if done else None,
                emailed_at=at if done else note.emailed_at,
            )
