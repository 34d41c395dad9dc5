"""Writes of the mediation desk: opening a case and the judicial-confirmation
reminder. Every later step is ``mediation.workflow.mediation_act``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import mediation as complaint_mediation
from complaints.enums import ComplaintStatus
from complaints.models import Complaint
from complaints.rules import complaint_get_for_user
from institutions import access, tree
from institutions.models import Institution
from notifications.models import Notification
from notifications.services import notify

from .enums import AGREEMENT_STATES, EventKind, Mode, Procedure, Source
from .errors import MediationError, PermissionRefused
from .models import MediationCase, MediationEvent
from .workflow import clean_text, time_limit_days

if TYPE_CHECKING:
    from institutions.models import User

#: A complaint in these states has no dispute left to mediate here.
NOT_MEDIATED = (
    ComplaintStatus.REFUSED,
    ComplaintStatus.TRANSFERRED,
    ComplaintStatus.WITHDRAWN,
    ComplaintStatus.MERGED,
    ComplaintStatus.ARCHIVED,
)


@dataclass(frozen=True)
class Application:
    """调解申请. For a case opened from a complaint the consumer and the institution
    come from the complaint; a direct application names them."""

    applied_on: date
    request: str
    procedure: str
    mode: str
    applicant_name: str = ""
    applicant_phone: str = ""
    institution_id: int | None = None


def _next_case_no(office: Institution, when) -> str:
    """Office code + TJ + year + a sequence; the office row is locked so that two
    supervisors never draw the same number."""
    Institution.objects.select_for_update().filter(pk=office.pk).first()
    prefix = f"{office.code}-TJ-{timezone.localtime(when).year}-"
    taken = MediationCase.objects.filter(case_no__startswith=prefix).values_list(
        "case_no", flat=True
    )
    last = max(
        (int(n.removeprefix(prefix)) for n in taken if n.removeprefix(prefix).isdigit()),
        default=0,
    )
    return f"{prefix}{last + 1:03d}"


def _check_application(data: Application) -> None:
    if data.procedure not in Procedure.values:
        raise MediationError(_("请选择调解程序。"), field="procedure")
    if data.mode not in Mode.values:
        raise MediationError(_("请选择调解方式。"), field="mode")
    if not isinstance(data.applied_on, date) or data.applied_on > timezone.localdate():
        raise MediationError(_("申请日期不能晚于今天。"), field="applied_on")


@transaction.atomic
def mediation_open(
    *, actor: User, data: Application, complaint_id: int | None = None
) -> MediationCase:
    """受理调解申请: open a case from a complaint the office can see (its consumer and
    complained-about institution are the parties) or directly on an application
    against an institution of the office's jurisdiction. The complaint's timeline
    says so and the complaint stays out of the archive while the mediation runs."""
    complaint = None
    if complaint_id is not None:
        complaint = complaint_get_for_user(
            actor,
            complaint_id,
            queryset=Complaint.objects.select_related("complained_institution"),
            lock=True,
        )
        if not actor.has_perm("mediation.add_mediationcase", complaint):
            raise PermissionRefused()
        if complaint.status in NOT_MEDIATED:
            raise MediationError(
                _("投诉处于“%(status)s”状态，不能转入调解。")
                % {"status": complaint.get_status_display()},
                code="complaint_closed",
            )
        if complaint.mediation_since is not None:
            raise MediationError(_("该投诉已在调解中。"), code="already_mediating")
        institution = complaint.complained_institution
        name, phone = complaint.complainant_name, complaint.complainant_phone
    else:
        if not actor.has_perm("mediation.add_mediationcase"):
            raise PermissionRefused()
        if data.institution_id is None:
            raise MediationError(_("请选择被申请机构。"), field="institution")
        institution = access.institution_get_for_user(actor, data.institution_id)
        if institution.is_regulator:
            raise MediationError(_("请选择被申请的金融机构。"), field="institution")
        name = clean_text(data.applicant_name, _("申请人姓名"), field="applicant_name")[:60]
        phone = (data.applicant_phone or "").strip()[:20]
    _check_application(data)
    office_id = tree.supervising_office_id(institution)
    if office_id is None:
        raise MediationError(_("该机构没有所属的监管机构。"), code="no_office")
    office = Institution.objects.get(pk=office_id)
    now = timezone.now()
    case = MediationCase.objects.create(
        case_no=_next_case_no(office, now),
        source=Source.COMPLAINT if complaint else Source.DIRECT,
        complaint=complaint,
        institution=institution,
        office=office,
        applicant_name=name,
        applicant_phone=phone,
        applied_on=data.applied_on,
        request=clean_text(data.request, _("申请事项与理由"), field="request"),
        procedure=data.procedure,
        mode=data.mode,
        due_on=timezone.localdate(now) + timedelta(days=time_limit_days(data.procedure)),
        opened_by=actor,
        opened_at=now,
    )
    MediationEvent.objects.create(
        case=case, actor=actor, kind=EventKind.OPEN, to_status=case.status, created_at=now
    )
    if complaint is not None:
        complaint_mediation.complaint_mediation_started(
            complaint_id=complaint.pk, actor=actor, case_no=case.case_no
        )
    return case


def judicial_reminders(*, today: date | None = None) -> int:
    """Remind once, ``MEDIATION_JUDICIAL_REMIND_DAYS`` before the 30-day window for
    judicial confirmation closes, of every agreement nobody has applied for yet: the
    office's supervisors and the institution's managers get a notice. Idempotent: a
    case is claimed with SKIP LOCKED and stamped ``judicial_reminded_at`` in the same
    transaction, and the notice has a unique dedupe key, so a second run (or a second
    beat) does nothing. Returns how many cases were reminded now."""
    today = today or timezone.localdate()
    window = int(settings.MEDIATION_JUDICIAL_REMIND_DAYS)
    done = 0
    with transaction.atomic():
        due = (
            MediationCase.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("institution", "complaint")
            .filter(
                status__in=AGREEMENT_STATES,
                judicial_reminded_at__isnull=True,
                judicial_applied_on__isnull=True,
                judicial_deadline__gte=today,
                judicial_deadline__lte=today + timedelta(days=window),
            )
            .order_by("pk")
        )
        now = timezone.now()
        for case in due:
            case.judicial_reminded_at = now
            case.save(update_fields=["judicial_reminded_at"])
            note = _("调解协议可在 %(day)s 前申请司法确认。") % {"day": case.judicial_deadline}
            MediationEvent.objects.create(
                case=case,
                kind=EventKind.JUDICIAL_REMIND,
                from_status=case.status,
                to_status=case.status,
                note=note,
                created_at=now,
            )
            recipients = [
                *tree.office_supervisors(case.institution),
                *tree.managers_over(case.institution),
            ]
            notify(
                recipients=recipients,
                kind=Notification.Kind.INFO,
                title=_("调解协议 %(no)s 即将超过司法确认申请期限") % {"no": case.case_no},
                body=note,
                url=reverse("mediation:detail", args=[case.pk]),
                dedupe_key=f"mediation-judicial:{case.pk}",
            )
            done += 1
    return done
