"""Periodic tasks, declared in code and installed by `manage.py setup_schedule` into
django-celery-beat, where administrators may change them afterwards (the command
never overwrites an existing entry's timing).

Run exactly one beat. Should two be started by mistake, every task here is
idempotent (claims with SKIP LOCKED, NULL-stamp columns and unique notice keys), so a
double fire does the work once; see docs/deadlines.md.
"""

from django.conf import settings

# (name shown in the admin, task path, interval in seconds)
PERIODIC_TASKS: list[tuple[str, str, int]] = [
    ("投诉时限巡检 / deadline sweep", "complaints.tasks.deadline_sweep", 300),
    (
        "未办结投诉统计 / open complaints tally (OPEN_TALLY_REFRESH_SECONDS)",
        "complaints.tasks.open_tally_refresh",
        settings.OPEN_TALLY_REFRESH_SECONDS,
    ),
    (
        "补发未发送的通知邮件 / resend unsent e-mails",
        "notifications.tasks.resend_unsent_emails",
        300,
    ),
    (
        "补发未发送的消费者消息 / resend unsent consumer messages",
        "notifications.tasks.resend_consumer_messages",
        60,
    ),
    ("删除过期的列表导出 / purge expired exports", "complaints.tasks.complaint_export_purge", 3600),
    (
        "删除过期的导入文件 / purge abandoned import uploads",
        "reports.tasks.purge_history_imports",
        3600,
    ),
    (
        "调解协议司法确认期限提醒 / judicial-confirmation reminders",
        "mediation.tasks.judicial_reminders",
        3600,
    ),
    (
        "整改事项到期提醒与逾期标记 / rectification reminders and overdue marks",
        "supervision.tasks.rectification_sweep",
        3600,
    ),
    (
        "个人信息保存期限执行 / retention run (RETENTION_AUTO_RUN)",
        "lifecycle.tasks.retention_scheduled",
        86400,
    ),
]
