"""Seed the CBIRC 2020 statutory rule pack and start the statutory clock of the
complaints already stored: each gets the pack in force on its day of receipt and the
due time it gives (calendar days, the end moved past rest days: complaints.clock).
Reminders and overruns already past are stamped as done, as the historical import
does — the past is past, the sweep must not notify it now."""

import datetime

from django.db import migrations
from django.utils import timezone

BATCH = 2000

CBIRC_2020 = {
    "version": "cbirc-2020",
    "name": "银行业保险业消费投诉处理管理办法（2020）",
    "effective_from": datetime.date(2020, 3, 1),
    "unit": "calendar_day",
    "base_days": 15,
    "complex_days": 30,
    "complex_approver": "handling_manager",
    "special_days": 60,
    "special_approver": "superior_manager",
    "close_of_business": datetime.time(17, 0),
    "remind_days_before": 3,
    "basis": (
        "《银行业保险业消费投诉处理管理办法》（中国银行保险监督管理委员会令2020年第3号，"
        "2020年3月1日施行）：收到投诉之日起15日内作出处理决定并告知投诉人；情况复杂的可以"
        "延长至30日；情况特别复杂或者有其他特殊原因的，经其上级机构或者总行、总公司高级"
        "管理人员审批并告知投诉人，可以再延长30日，最长不超过60日。需要鉴定、检测、评估的，"
        "所需时间不计入投诉处理期限。"
    ),
}


def seed(apps, schema_editor):
    from deadlines.calendar import Calendar

    Pack = apps.get_model("complaints", "StatutoryRulePack")
    Complaint = apps.get_model("complaints", "Complaint")
    CalendarDay = apps.get_model("deadlines", "CalendarDay")
    pack, _created = Pack.objects.get_or_create(
        version=CBIRC_2020["version"], defaults=CBIRC_2020
    )
    cal = Calendar(
        token=None,
        days=dict(CalendarDay.objects.values_list("date", "is_workday")),
        loaded_years=frozenset(),
    )
    tz = timezone.get_default_timezone()
    now = timezone.now()
    start = datetime.datetime.combine(pack.effective_from, datetime.time(0), tzinfo=tz)
    open_states = ("registered", "assigned", "in_progress", "resolved")
    last = 0
    while True:
        rows = list(
            Complaint.objects.filter(
                pk__gt=last, statutory_pack__isnull=True, received_at__gte=start
            )
            .only("pk", "received_at", "status")
            .order_by("pk")[:BATCH]
        )
        if not rows:
            break
        for c in rows:
            day = c.received_at.astimezone(tz).date()
            due_day = cal.workday_on_or_after(day + datetime.timedelta(days=pack.base_days))
            due = datetime.datetime.combine(due_day, pack.close_of_business, tzinfo=tz)
            c.statutory_pack_id = pack.pk
            c.statutory_start_at = c.received_at
            c.statutory_days = pack.base_days
            c.statutory_due_at = due
            c.statutory_remind_at = due - datetime.timedelta(days=pack.remind_days_before)
            past = c.status not in open_states
            c.statutory_reminded_at = now if past or c.statutory_remind_at <= now else None
            c.statutory_overdue_at = now if past or due <= now else None
        Complaint.objects.bulk_update(
            rows,
            [
                "statutory_pack",
                "statutory_start_at",
                "statutory_days",
                "statutory_due_at",
                "statutory_remind_at",
                "statutory_reminded_at",
                "statutory_overdue_at",
            ],
        )
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0021_statutory_clock_pauses_withdrawal_merge"),
        ("deadlines", "0003_alter_slarulesetbinding_intake_source"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
