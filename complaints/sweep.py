"""The deadline sweep: reminders before the due time, overdue marks at it, and
supervision one working day after it; the same reminder and overrun mark for the
statutory limit (``statutory_due_at``, complaints.clock); and a notice to the
managers when a pause (中止计时) has run longer than
``settings.COMPLAINT_PAUSE_NOTICE_DAYS``. A paused complaint is neither reminded,
flagged nor escalated: its due times move when it resumes.

Idempotent and catching up by construction:
* each step claims its rows with ``SELECT … FOR UPDATE SKIP LOCKED`` and a column
  that is still NULL (``reminded_at``, ``overdue_at``, ``auto_escalated_at``), sets it
  in the same transaction, and writes the timeline rows and notices with it — a
  second sweep, even one running at the same moment (two beats by mistake), finds
  nothing left to do;
* notices carry a dedupe key under a unique constraint, so even a replayed step
  cannot notify twice;
* a sweep after a gap (worker down for a day) finds every row whose time has passed
  and does each step once; a case that is both overdue and past supervision gets
  both, in order;
* e-mail leaves after commit; the resend task delivers whatever a crash left unsent.

Every step works in batches over the partial indexes on open rows, so its cost grows
with the number of open complaints that need that step, not with the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from institutions import tree
from institutions.enums import Role
from institutions.models import User
from notifications.models import Notification

from .enums import OPEN_STATES
from .enums import TimelineAction as A
from .models import Complaint, TimelineEntry

BATCH = 1000
K = Notification.Kind


@dataclass
class SweepResult:
    reminded: int = 0
    overdue: int = 0
    escalated: int = 0
    statutory_reminded: int = 0
    statutory_overdue: int = 0
    long_pauses: int = 0
    notices: int = 0
    ids: dict = field(default_factory=dict)


def deadline_sweep(now: datetime | None = None) -> SweepResult:
    from .deadlines import refresh_provisional

    now = now or timezone.now()
    result = SweepResult()
    result.ids["due_refreshed"] = refresh_provisional()
    people = Recipients()
    for step in (_remind, _overdue, _escalate, _statutory_remind, _statutory_overdue, _long_pauses):
        while True:
            done = step(now, result, people)
            if done < BATCH:
                break
    return result


def _claim(qs, stamp_field: str, now) -> list[Complaint]:
    rows = list(
        qs.select_for_update(skip_locked=True, of=("self",))
        .select_related("handling_institution")
        .only(
            "id",
            "tracking_no",
            "status",
            "due_at",
            "statutory_due_at",
            "handler_id",
            "handling_institution__path",
            "handling_institution__name",
            "handling_institution__regulator_id",
            "handling_institution__kind",
            "handling_institution__parent_id",
        )
        .order_by("pk")[:BATCH]
    )
    if rows:
        # The version moves with the stamp: a form opened before the sweep marked the
        # case cannot be submitted over it unnoticed.
        Complaint.objects.filter(pk__in=[c.pk for c in rows]).update(
            **{stamp_field: now}, last_activity_at=now, version=F("version") + 1
        )
    return rows


def _open():
    # Paused cases (中止计时) wait: their due times move when they resume.
    return Complaint.objects.filter(status__in=OPEN_STATES, paused_at__isnull=True)


@transaction.atomic
def _remind(now, result: SweepResult, people: Recipients) -> int:
    rows = _claim(
        _open().filter(reminded_at__isnull=True, remind_at__lte=now, due_at__gt=now),
        "reminded_at",
        now,
    )
    notes = []
    for c in rows:
        recipients = [c.handler_id] if c.handler_id else people.managers_over(c)
        notes += _notices(
            recipients,
            c,
            K.DUE_SOON,
            f"due_soon:{c.pk}:{c.due_at.isoformat()}",
            _("投诉 %(no)s 将于 %(due)s 到期，请及时答复客户")
            % {"no": c.tracking_no, "due": _fmt(c.due_at)},
        )
    _write(rows, A.REMIND, _("即将到期，已提醒处理人"), notes, now)
    result.reminded += len(rows)
    result.notices += len(notes)
    return len(rows)


@transaction.atomic
def _overdue(now, result: SweepResult, people: Recipients) -> int:
    rows = _claim(_open().filter(overdue_at__isnull=True, due_at__lt=now), "overdue_at", now)
    notes = []
    for c in rows:
        recipients = {
            *([c.handler_id] if c.handler_id else []),
            *people.managers_over(c),
            *people.regulators(c),
        }
        notes += _notices(
            recipients,
            c,
            K.OVERDUE,
            f"overdue:{c.pk}:{c.due_at.isoformat()}",
            _("投诉 %(no)s 已逾期（期限 %(due)s）") % {"no": c.tracking_no, "due": _fmt(c.due_at)},
        )
    _write(rows, A.OVERDUE, _("超过答复期限未反馈，已标记逾期"), notes, now)
    result.overdue += len(rows)
    result.notices += len(notes)
    return len(rows)


@transaction.atomic
def _escalate(now, result: SweepResult, people: Recipients) -> int:
    rows = _claim(
        _open().filter(auto_escalated_at__isnull=True, escalate_at__lte=now),
        "auto_escalated_at",
        now,
    )
    notes = []
    for c in rows:
        parent_id = c.handling_institution.parent_id
        recipients = {
            *people.managers_at(parent_id or c.handling_institution.pk),
            *people.regulators(c),
        }
        notes += _notices(
            recipients,
            c,
            K.SUPERVISION,
            f"supervision:{c.pk}:{c.due_at.isoformat()}",
            _("投诉 %(no)s 逾期超过一个工作日仍未办结，已列入督办") % {"no": c.tracking_no},
        )
    _write(
        rows,
        A.AUTO_ESCALATE,
        _("逾期一个工作日仍未反馈：已报上级机构并列入人民银行督办清单"),
        notes,
        now,
    )
    result.escalated += len(rows)
    result.notices += len(notes)
    return len(rows)


@transaction.atomic
def _statutory_remind(now, result: SweepResult, people: Recipients) -> int:
    rows = _claim(
        _open().filter(
            statutory_reminded_at__isnull=True,
            statutory_remind_at__lte=now,
            statutory_due_at__gt=now,
        ),
        "statutory_reminded_at",
        now,
    )
    notes = []
    for c in rows:
        recipients = [c.handler_id] if c.handler_id else people.managers_over(c)
        notes += _notices(
            recipients,
            c,
            K.DUE_SOON,
            f"statutory_due_soon:{c.pk}:{c.statutory_due_at.isoformat()}",
            _("投诉 %(no)s 的法定办理期限将于 %(due)s 届满")
            % {"no": c.tracking_no, "due": _fmt(c.statutory_due_at)},
            due=c.statutory_due_at,
        )
    _write(rows, A.STATUTORY_REMIND, _("法定办理期限即将届满，已提醒"), notes, now, statutory=True)
    result.statutory_reminded += len(rows)
    result.notices += len(notes)
    return len(rows)


@transaction.atomic
def _statutory_overdue(now, result: SweepResult, people: Recipients) -> int:
    rows = _claim(
        _open().filter(statutory_overdue_at__isnull=True, statutory_due_at__lt=now),
        "statutory_overdue_at",
        now,
    )
    notes = []
    for c in rows:
        recipients = {
            *([c.handler_id] if c.handler_id else []),
            *people.managers_over(c),
            *people.regulators(c),
        }
        notes += _notices(
            recipients,
            c,
            K.OVERDUE,
            f"statutory_overdue:{c.pk}:{c.statutory_due_at.isoformat()}",
            _("投诉 %(no)s 已超过法定办理期限（%(due)s）")
            % {"no": c.tracking_no, "due": _fmt(c.statutory_due_at)},
            due=c.statutory_due_at,
        )
    _write(
        rows,
        A.STATUTORY_OVERDUE,
        _("超过法定办理期限仍未答复"),
        notes,
        now,
        statutory=True,
    )
    result.statutory_overdue += len(rows)
    result.notices += len(notes)
    return len(rows)


def pause_notice_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "COMPLAINT_PAUSE_NOTICE_DAYS", 30))


@transaction.atomic
def _long_pauses(now, result: SweepResult, people: Recipients) -> int:
    """A pause running longer than the setting: one notice to the managers over the
    handling institution, once per pause (``long_noticed_at`` claimed like the
    complaints' stamps, and a dedupe key)."""
    from datetime import timedelta

    from .models import ComplaintPause

    days = pause_notice_days()
    pauses = list(
        ComplaintPause.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            resumed_at__isnull=True,
            long_noticed_at__isnull=True,
            started_at__lte=now - timedelta(days=days),
            complaint__status__in=OPEN_STATES,
        )
        .select_related("complaint", "complaint__handling_institution")
        .order_by("pk")[:BATCH]
    )
    if not pauses:
        return 0
    ComplaintPause.objects.filter(pk__in=[p.pk for p in pauses]).update(long_noticed_at=now)
    notes = []
    for p in pauses:
        c = p.complaint
        notes += _notices(
            people.managers_over(c),
            c,
            K.INFO,
            f"pause_long:{p.pk}",
            _("投诉 %(no)s 已中止计时超过 %(days)s 日（%(reason)s），请关注")
            % {"no": c.tracking_no, "days": days, "reason": p.get_reason_display()},
        )
    TimelineEntry.objects.bulk_create(
        [
            TimelineEntry(
                complaint_id=p.complaint_id,
                actor=None,
                action=A.PAUSE_LONG,
                from_status=p.complaint.status,
                to_status=p.complaint.status,
                note=_("中止计时已超过 %(days)s 日，已提示管理人员") % {"days": days},
                created_at=now,
                payload={"pause": p.pk, "paused_from": p.started_at.isoformat()},
            )
            for p in pauses
        ]
    )
    Notification.objects.bulk_create(notes, ignore_conflicts=True)
    if notes:
        transaction.on_commit(_send_emails)
    result.long_pauses += len(pauses)
    result.notices += len(notes)
    return len(pauses)


# --- recipients: managers and regulators are few; loaded once per sweep -------------


class Recipients:
    def __init__(self):
        self._by_role: dict[str, dict[int, list[int]]] = {}

    def _staff(self, role: str) -> dict[int, list[int]]:
        """institution id -> active user ids with that role (one query per role)."""
        if role not in self._by_role:
            mapping: dict[int, list[int]] = {}
            for uid, inst in User.objects.filter(role=role, is_active=True).values_list(
                "pk", "institution_id"
            ):
                mapping.setdefault(inst, []).append(uid)
            self._by_role[role] = mapping
        return self._by_role[role]

    def managers_over(self, c) -> list[int]:
        mapping = self._staff(Role.MANAGER)
        ancestors = tree.ancestor_ids(c.handling_institution)
        return [uid for inst in ancestors for uid in mapping.get(inst, [])]

    def managers_at(self, institution_id: int) -> list[int]:
        return self._staff(Role.MANAGER).get(institution_id, [])

    def regulators(self, c) -> list[int]:
        reg = tree.supervising_office_id(c.handling_institution)
        return self._staff(Role.REGULATOR).get(reg, []) if reg else []


def _notices(recipients, c, kind, key, title, due=None) -> list[Notification]:
    # A catch-up writes tens of thousands of notices, several per complaint: what is
    # the same for every recipient of a complaint is worked out once.
    url = reverse("complaints:detail", args=[c.pk])
    title, key = title[:200], key[:120]
    if due is not None:
        body = _("法定办理期限：%(due)s") % {"due": _fmt(due)}
    else:
        body = _("答复期限：%(due)s") % {"due": _fmt(c.due_at)}
    return [
        Notification(
            recipient_id=uid,
            kind=kind,
            complaint_id=c.pk,
            title=title,
            url=url,
            dedupe_key=key,
            body=body,
        )
        for uid in set(recipients)
    ]


def _write(rows, action, note, notes, now, statutory: bool = False) -> None:
    if not rows:
        return
    TimelineEntry.objects.bulk_create(
        [
            TimelineEntry(
                complaint_id=c.pk,
                actor=None,
                action=action,
                from_status=c.status,
                to_status=c.status,
                note=note,
                created_at=now,
                payload=(
                    {"statutory_due_at": c.statutory_due_at.isoformat()}
                    if statutory
                    else {"due_at": c.due_at.isoformat()}
                ),
            )
            for c in rows
        ]
    )
    Notification.objects.bulk_create(notes, ignore_conflicts=True)
    if notes:
        transaction.on_commit(_send_emails)


def _send_emails() -> None:
    from notifications.tasks import resend_unsent_emails

    try:
        resend_unsent_emails.delay()
    except Exception:  # broker down: the periodic resend catches up
        import logging

        logging.getLogger(__name__).warning("broker unavailable; e-mails left for the resend task")


def _fmt(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else "—"
