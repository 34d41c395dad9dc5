"""Writes of measures and rectification items: recording a measure, opening an
item, and the periodic reminder/overdue sweep. Answering, accepting and returning an
item are ``.workflow.rectification_act``.

Each service fetches what it names through the access policy (404 for missing and
not visible alike), checks the permission (PermissionRefused), validates the whole
input (MeasureError naming the field) before writing, and writes in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint, TaxonomyCode
from complaints.rules import complaint_get_for_user, complaints_visible_to
from deadlines.selectors import current_calendar
from institutions import access, tree
from institutions.models import Institution
from notifications.models import Notification
from notifications.services import notify
from supervision import rules as sv_access

from . import files
from . import rules as m_access
from .enums import AWAITING_ANSWER, MeasureKind, RectificationEventKind, RectificationSource
from .errors import MeasureError, PermissionRefused
from .models import Measure, RectificationEvent, RectificationItem
from .workflow import answerers, clean_text

if TYPE_CHECKING:
    from institutions.models import User

MAX_WORKING_DAYS = 250


# --- Deadlines on the working-day calendar -----------------------------------------------


def due_on_for(*, working_days: int | None = None, due_on: date | None = None) -> date:
    """The deadline: a date given (moved to the next working day if it is not one), or
    the ``working_days``-th working day after today on the holiday calendar (the
    same calendar as complaint deadlines), by default
    ``RECTIFICATION_DEFAULT_WORKING_DAYS``."""
    cal = current_calendar()
    today = timezone.localdate()
    if due_on is not None:
        if due_on <= today:
            raise MeasureError(_("整改期限应晚于今天。"), field="due_on")
        return cal.workday_on_or_after(due_on)
    n = settings.RECTIFICATION_DEFAULT_WORKING_DAYS if working_days is None else working_days
    if not 1 <= int(n) <= MAX_WORKING_DAYS:
        raise MeasureError(
            _("整改时限应为 1 至 %(max)s 个工作日。") % {"max": MAX_WORKING_DAYS},
            field="working_days",
        )
    return cal.workday_after(today, int(n))


# --- Rectification items -----------------------------------------------------------------


@dataclass(frozen=True)
class ItemData:
    """整改事项 as submitted. ``source`` says which of the references applies."""

    institution_id: int
    source: str
    requirement: str
    working_days: int | None = None
    due_on: date | None = None
    measure_id: int | None = None
    complaint_id: int | None = None
    source_ref: str = ""
    cause_id: int | None = None
    business_line_id: int | None = None
    period: str = ""


def _code(pk: int | None, dimension: str, label: str, name: str) -> TaxonomyCode | None:
    if pk in (None, ""):
        return None
    code = TaxonomyCode.objects.filter(pk=pk, dimension=dimension).first()
    if code is None:
        raise MeasureError(_("请选择%(label)s。") % {"label": label}, field=name)
    return code


def _related(a: Institution, b: Institution) -> bool:
    return tree.is_within(a, b) or tree.is_within(b, a)


def _source_fields(actor: User, data: ItemData, institution: Institution) -> dict[str, Any]:
    """The item's reference to where it came from, checked against the actor's scope:
    a measure or a complaint the actor cannot see is 404; one about another bank is
    refused."""
    src = data.source
    ref = clean_text(data.source_ref, _("来源说明"), field="source_ref", required=False)[:300]
    if src == RectificationSource.MEASURE:
        measure = m_access.measure_get_for_user(actor, data.measure_id)
        if not tree.is_within(institution, measure.institution):
            raise MeasureError(
                _("整改机构应为该监管措施的对象机构或其下级机构。"), field="institution"
            )
        return {"measure": measure, "source_ref": ref}
    if src == RectificationSource.COMPLAINT:
        complaint = complaint_get_for_user(
            actor,
            data.complaint_id,
            queryset=Complaint.objects.select_related("complained_institution"),
        )
        if not _related(institution, complaint.complained_institution):
            raise MeasureError(_("整改机构与被投诉机构不属于同一机构体系。"), field="institution")
        return {"complaint": complaint, "source_ref": ref or complaint.tracking_no}
    if src == RectificationSource.HOTSPOT:
        cause = _code(data.cause_id, "C", _("投诉原因"), "cause")
        line = _code(data.business_line_id, "B", _("业务类别"), "business_line")
        period = clean_text(data.period, _("统计期间"), field="period", required=False)[:40]
        described = " × ".join(
            x
            for x in (
                institution.name,
                getattr(line, "name", ""),
                getattr(cause, "name", ""),
                period,
            )
            if x
        )
        return {
            "cause": cause,
            "business_line": line,
            "period": period,
            "source_ref": ref or described[:300],
        }
    if src in (RectificationSource.INSPECTION, RectificationSource.CLUSTER):
        if not ref:
            raise MeasureError(_("请填写来源说明。"), field="source_ref")
        return {"source_ref": ref}
    raise MeasureError(_("请选择整改事项的来源。"), field="source")


def _open_item(
    actor: User, data: ItemData, institution: Institution, extra: dict
) -> RectificationItem:
    requirement = clean_text(data.requirement, _("整改要求"), field="requirement")
    due = due_on_for(working_days=data.working_days, due_on=data.due_on)
    item = RectificationItem.objects.create(
        institution=institution,
        overseer=access.home_institution(actor),
        source=data.source,
        requirement=requirement,
        due_on=due,
        opened_by=actor,
        **extra,
    )
    event = RectificationEvent.objects.create(
        item=item,
        actor=actor,
        kind=RectificationEventKind.OPEN,
        to_status=item.status,
        note=_("整改期限 %(day)s") % {"day": due.isoformat()},
    )
    _notify_opened(item, event.pk)
    return item


def _notify_opened(item: RectificationItem, event_id: int) -> None:
    notify(
        recipients=answerers(item.institution),
        kind=Notification.Kind.INFO,
        title=_("新的整改事项：请于 %(day)s 前报送整改情况") % {"day": item.due_on.isoformat()},
        body=item.requirement[:200],
        url=reverse("supervision:rectification_detail", args=[item.pk]),
        dedupe_key=f"rectification:{item.pk}:{event_id}",
    )


@transaction.atomic
def rectification_open(*, actor: User, data: ItemData) -> RectificationItem:
    """下发整改事项: the office for an institution of its jurisdiction, or a complaint
    manager for an outlet below their own institution (root-cause tracing), whose
    institution then accepts it. The deadline is on the working-day calendar; the
    institution's managers are told after the commit."""
    institution = access.institution_get_for_user(actor, data.institution_id)
    if not actor.has_perm("supervision.open_rectification", institution):
        raise PermissionRefused(_("只能向本辖区机构（或本机构的下级机构）下发整改事项。"))
    extra = _source_fields(actor, data, institution)
    return _open_item(actor, data, institution, extra)


# --- Measures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureData:
    institution_id: int
    kind: str
    taken_on: date
    basis: str
    content: str
    complaint_numbers: str = ""
    enforcement_case_id: int | None = None
    files: list = field(default_factory=list)
    # 限期整改: the item ordered with the measure.
    requirement: str = ""
    working_days: int | None = None
    due_on: date | None = None


def _complaints(actor: User, numbers: str, institution: Institution) -> list[Complaint]:
    """Tracking numbers, separated by spaces, commas or new lines: each one must be a
    complaint the actor can see about the institution (or one above or below it)."""
    wanted = [n for n in re.split(r"[\s,，;；、]+", numbers or "") if n]
    if not wanted:
        return []
    found = {
        c.tracking_no: c
        for c in complaints_visible_to(
            actor, Complaint.objects.select_related("complained_institution")
        ).filter(tracking_no__in=wanted)
    }
    missing = [n for n in wanted if n not in found]
    if missing:
        raise MeasureError(
            _("找不到投诉：%(numbers)s") % {"numbers": "、".join(missing)},
            field="complaint_numbers",
        )
    unrelated = [n for n, c in found.items() if not _related(c.complained_institution, institution)]
    if unrelated:
        raise MeasureError(
            _("投诉 %(numbers)s 不是针对该机构的。") % {"numbers": "、".join(unrelated)},
            field="complaint_numbers",
        )
    return list(found.values())


@transaction.atomic
def measure_record(*, actor: User, data: MeasureData) -> Measure:
    """登记监管措施 for an institution of the office's jurisdiction, with the
    complaints behind it, its documents and, for 限期整改, the item ordered (at least
    one is required: an order to rectify without one would track nothing)."""
    institution = access.institution_get_for_user(actor, data.institution_id)
    if not actor.has_perm("supervision.record_measure", institution):
        raise PermissionRefused(_("只有辖区监管机构可以登记监管措施。"))
    if data.kind not in MeasureKind.values:
        raise MeasureError(_("请选择措施类型。"), field="kind")
    if not isinstance(data.taken_on, date) or data.taken_on > timezone.localdate():
        raise MeasureError(_("采取日期不能晚于今天。"), field="taken_on")
    basis = clean_text(data.basis, _("依据"), field="basis")
    content = clean_text(data.content, _("措施内容与发现的问题"), field="content")
    complaints = _complaints(actor, data.complaint_numbers, institution)
    case = None
    if data.enforcement_case_id:
        case = sv_access.enforcement_get_for_user(actor, data.enforcement_case_id)
        if not _related(case.institution, institution):
            raise MeasureError(_("该诉转案不是针对该机构的。"), field="enforcement_case")
    elif data.kind == MeasureKind.PENALTY_REFERRAL:
        raise MeasureError(_("移送行政处罚须关联诉转案。"), field="enforcement_case")
    ordering = data.kind == MeasureKind.RECTIFY_ORDER
    if ordering and not (data.requirement or "").strip():
        raise MeasureError(_("限期整改须写明整改要求。"), field="requirement")
    checked = files.check_uploads(data.files)
    measure = Measure.objects.create(
        institution=institution,
        office=access.home_institution(actor),
        kind=data.kind,
        taken_on=data.taken_on,
        basis=basis,
        content=content,
        enforcement_case=case,
        recorded_by=actor,
    )
    measure.complaints.set(complaints)
    files.store(checked, uploaded_by=actor, measure=measure)
    if (data.requirement or "").strip():
        item_data = ItemData(
            institution_id=institution.pk,
            source=RectificationSource.MEASURE,
            requirement=data.requirement,
            working_days=data.working_days,
            due_on=data.due_on,
        )
        _open_item(actor, item_data, institution, {"measure": measure})
    return measure


# --- The sweep -----------------------------------------------------------------------------


def _overseers(item: RectificationItem) -> list:
    if item.overseer.is_regulator:
        return list(tree.office_supervisors(item.institution))
    return list(tree.managers_over(item.overseer))


def rectification_sweep(*, today: date | None = None) -> dict[str, int]:
    """Remind once, ``RECTIFICATION_REMIND_DAYS`` before the deadline, and mark once
    overdue, every item still owing an answer. Idempotent: rows are claimed with SKIP
    LOCKED and stamped (``reminded_at``, ``overdue_at``) in the same transaction as
    their event, and the notices carry unique dedupe keys, so a second run (or a
    second beat) does nothing. Returns how many were reminded and marked now."""
    today = today or timezone.localdate()
    window = int(settings.RECTIFICATION_REMIND_DAYS)
    done = {"reminded": 0, "overdue": 0}
    base = RectificationItem.objects.select_for_update(skip_locked=True, of=("self",))
    base = base.select_related("institution", "overseer").filter(status__in=AWAITING_ANSWER)
    with transaction.atomic():
        now = timezone.now()
        due_soon = base.filter(
            reminded_at__isnull=True,
            overdue_at__isnull=True,
            due_on__gte=today,
            due_on__lte=today + timedelta(days=window),
        )
        for item in due_soon.order_by("pk"):
            item.reminded_at = now
            item.save(update_fields=["reminded_at"])
            note = _("整改期限为 %(day)s，请按时报送整改情况。") % {"day": item.due_on.isoformat()}
            _sweep_event(item, RectificationEventKind.REMIND, note, now)
            notify(
                recipients=answerers(item.institution),
                kind=Notification.Kind.DUE_SOON,
                title=_("整改事项即将到期"),
                body=note,
                url=reverse("supervision:rectification_detail", args=[item.pk]),
                dedupe_key=f"rectification-remind:{item.pk}",
            )
            done["reminded"] += 1
        for item in base.filter(overdue_at__isnull=True, due_on__lt=today).order_by("pk"):
            item.overdue_at = now
            item.save(update_fields=["overdue_at"])
            note = _("整改期限 %(day)s 已过，尚未报送整改情况。") % {"day": item.due_on.isoformat()}
            _sweep_event(item, RectificationEventKind.OVERDUE, note, now)
            notify(
                recipients=[*answerers(item.institution), *_overseers(item)],
                kind=Notification.Kind.OVERDUE,
                title=_("整改事项已逾期"),
                body=note,
                url=reverse("supervision:rectification_detail", args=[item.pk]),
                dedupe_key=f"rectification-overdue:{item.pk}",
            )
            done["overdue"] += 1
    return done


def _sweep_event(item: RectificationItem, kind: str, note: str, now) -> None:
    RectificationEvent.objects.create(
        item=item,
        kind=kind,
        from_status=item.status,
        to_status=item.status,
        note=note,
        created_at=now,
    )
