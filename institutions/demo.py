"""Demo data for `make run`: one county supervising office and the banks in its
jurisdiction, with a user for every role. Idempotent: keyed on codes and user names."""

from __future__ import annotations

from django.db import transaction

from .enums import InstitutionKind as K
from .enums import Role
from .models import Institution, User

# Printed by seed_demo for demo machines only (bandit B105 reviewed).
DEMO_PASSWORD = "Demo@2026"  # nosec B105

COUNTY = "清河县"

# (code, name, short name, kind, parent code, complaint phone)
TREE = [
    ("PBC-QH", "中国人民银行清河县支行", "人行清河县支行", K.REGULATOR, None, "0319-12363"),
    ("ABC-HB", "中国农业银行邢台分行", "农行邢台分行", K.BRANCH, None, "95599"),
    ("ABC-QH", "中国农业银行清河县支行", "农行清河支行", K.SUB_BRANCH, "ABC-HB", "0319-6921234"),
    (
        "ABC-QH-01",
        "中国农业银行清河县城关分理处",
        "农行城关分理处",
        K.OUTLET,
        "ABC-QH",
        "0319-6921235",
    ),
    ("ABC-QH-02", "中国农业银行清河县东街网点", "农行东街网点", K.OUTLET, "ABC-QH", "0319-6921236"),
    ("ICBC-QH", "中国工商银行清河县支行", "工行清河支行", K.SUB_BRANCH, None, "95588"),
    ("ICBC-QH-01", "中国工商银行清河县营业部", "工行营业部", K.OUTLET, "ICBC-QH", "0319-6925588"),
    ("XTB-QH", "邢台银行清河支行", "邢台银行清河支行", K.SUB_BRANCH, None, "0319-96368"),
    ("XTB-QH-01", "邢台银行清河支行营业部", "邢台银行营业部", K.OUTLET, "XTB-QH", "0319-6930001"),
    (
        "RCB-QH",
        "清河农村商业银行股份有限公司",
        "清河农商行",
        K.RURAL_CREDIT_COOP,
        None,
        "0319-6900000",
    ),
    ("RCB-QH-01", "清河农商行城区支行", "农商行城区支行", K.SUB_BRANCH, "RCB-QH", "0319-6900101"),
    (
        "RCB-QH-0101",
        "清河农商行城区支行营业室",
        "农商行城区营业室",
        K.OUTLET,
        "RCB-QH-01",
        "0319-6900102",
    ),
    ("RCB-QH-02", "清河农商行油坊支行", "农商行油坊支行", K.SUB_BRANCH, "RCB-QH", "0319-6900201"),
    ("RCB-QH-0201", "清河农商行油坊信用社", "油坊信用社", K.OUTLET, "RCB-QH-02", "0319-6900202"),
    ("VB-QH", "清河丰源村镇银行", "丰源村镇银行", K.VILLAGE_BANK, None, "0319-6988888"),
    ("VB-QH-01", "清河丰源村镇银行王官庄网点", "丰源王官庄网点", K.OUTLET, "VB-QH", "0319-6988801"),
]

# Outlets whose published complaint information the demo leaves incomplete, so that
# the office's chase list (portal.directory, 公示信息待补全) shows something.
INCOMPLETE = {
    "XTB-QH-01": ("complaint_department", "complaint_time_limit"),
    "VB-QH-01": ("complaint_scope",),
}

DEMO_MAIL_DOMAIN = "demo.invalid"

# (username, full name, institution code, role, is_staff)
USERS = [
    ("pbc_supervisor", "王建华", "PBC-QH", Role.REGULATOR, True),
    ("sysadmin", "赵磊", "PBC-QH", Role.SYSADMIN, True),
    ("abc_manager", "李娜", "ABC-QH", Role.MANAGER, False),
    ("abc_handler", "张伟", "ABC-QH", Role.HANDLER, False),
    ("abc_teller", "刘芳", "ABC-QH-01", Role.TELLER, False),
    ("rcb_manager", "陈静", "RCB-QH", Role.MANAGER, False),
    ("rcb_handler", "杨洋", "RCB-QH-01", Role.HANDLER, False),
    ("rcb_teller", "黄敏", "RCB-QH-0101", Role.TELLER, False),
    ("rcb_teller2", "周强", "RCB-QH-0201", Role.TELLER, False),
    ("icbc_manager", "吴刚", "ICBC-QH", Role.MANAGER, False),
    ("icbc_teller", "徐丽", "ICBC-QH-01", Role.TELLER, False),
]


@transaction.atomic
def seed_institutions() -> dict[str, Institution]:
    by_code: dict[str, Institution] = {}
    regulator = None
    for code, name, short, kind, parent_code, phone in TREE:
        defaults = {
            "name": name,
            "short_name": short,
            "kind": kind,
            "parent": by_code.get(parent_code) if parent_code else None,
            "regulator": None if kind == K.REGULATOR else regulator,
            "address": f"河北省邢台市{COUNTY}{short}",
            "complaint_phone": phone,
            "complaint_department": "消费者权益保护办公室" if kind == K.REGULATOR else "运营管理部",
            "complaint_scope": "人民币、支付结算、征信、外汇、金融消费者权益保护相关投诉"
            if kind == K.REGULATOR
            else "本机构各项金融产品和服务相关的咨询、投诉",
            "complaint_time_limit": "一般投诉当日办结，复杂投诉三个工作日内办结",
            "hotline": "12363" if kind == K.REGULATOR else "",
        }
        for blank in INCOMPLETE.get(code, ()):
            defaults[blank] = ""
        inst, _ = Institution.objects.update_or_create(code=code, defaults=defaults)
        by_code[code] = inst
        if kind == K.REGULATOR:
            regulator = inst
    return by_code


@transaction.atomic
def seed_users(by_code: dict[str, Institution]) -> list[tuple[str, str, str]]:
    """Create or refresh the demo users; returns (username, role label, institution)."""
    printed = []
    for username, full_name, code, role, is_staff in USERS:
        user, created = User.objects.get_or_create(username=username)
        user.full_name = full_name
        user.institution = by_code[code]
        user.role = role
        user.is_staff = is_staff
        user.is_active = True
        # A mailbox for every demo user, so the notice e-mails show under `make run`
        # (console backend). .invalid never resolves: no demo mail can leave.
        user.email = f"{username}@{DEMO_MAIL_DOMAIN}"
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        printed.append((username, str(Role(role).label), by_code[code].name))
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "full_name": "超级管理员",
            "is_staff": True,
            "is_superuser": True,
            "email": f"admin@{DEMO_MAIL_DOMAIN}",
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    printed.append(("admin", "超级管理员", "—"))
    return printed


def seed(stdout=None) -> list[tuple[str, str, str]]:
    by_code = seed_institutions()
    return seed_users(by_code)
