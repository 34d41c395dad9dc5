"""Writes of the regulator's desk: typical cases and their circulation, read
receipts, enforcement cases.

Urging a case is *not* here: it is the complaint workflow's ``supervise`` action
(``complaints.workflow.complaint_act(action="supervise")``), which writes the urge,
the timeline row and the notices in one transaction.

Each service fetches its object through the access policy (404 for missing and not
visible alike), checks the permission (PermissionDenied), validates the whole input
before writing (ValidationError with a message for people) and writes in one
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import masking
from complaints.models import Complaint
from complaints.rules import complaint_get_for_user
from institutions import access, tree
from institutions.models import Institution, User
from notifications.models import Notification
from notifications.services import notify
from supervision import rules as sv_access

from .enums import TYPICAL_CASE_STATES, EnforcementKind, EnforcementStatus, TypicalCaseCategory
from .models import CaseReadReceipt, Circulation, EnforcementCase, TypicalCase

# --- Personal data in the archive ------------------------------------------------------


def mask_personal_data(text: str, complaint: Complaint) -> str:
    """The archive's texts with the complainant's personal data at list-level masks:
    their name, phone, ID number, address and account number wherever they appear,
    any other card, account, mobile or ID number (``complaints.masking.mask_text``),
    and authentication data (PIN, CVN…), which is never kept. Applied on every save,
    so a case can be circulated as it is stored."""
    text, _found = masking.scrub_authentication_data(text or "")
    return masking.Redactor(complaint, masking.LIST)(text)


# --- Typical cases ---------------------------------------------------------------------


@dataclass(frozen=True)
class TypicalCaseData:
    title: str
    category: str
    cause_analysis: str
    handling_process: str
    lessons: str
    published: bool = False


def _clean_case_data(data: TypicalCaseData, complaint: Complaint) -> dict:
    errors = {}
    fields = {}
    for name, label in (
        ("title", _("案例标题")),
        ("cause_analysis", _("原因分析")),
        ("handling_process", _("处理过程")),
        ("lessons", _("经验教训与改进措施")),
    ):
        value = mask_personal_data(getattr(data, name).strip(), complaint)
        if not value:
            errors[name] = _("请填写%(label)s。") % {"label": label}
        fields[name] = value
    if data.category not in TypicalCaseCategory.values:
        errors["category"] = _("请选择案例类别。")
    if errors:
        raise ValidationError(errors)
    fields["title"] = fields["title"][:120]
    fields["category"] = data.category
    return fields


@transaction.atomic
def typical_case_create(*, actor: User, complaint_id: int, data: TypicalCaseData) -> TypicalCase:
    """Write a decided complaint up for the archive. Only 已办结/已反馈/已归档
    complaints qualify, once each; the texts are stored masked. ``data.published``
    (发布到案例库) publishes it at once, recording the actor as publisher; otherwise
    it is a draft only its institution's authors see."""
    complaint = complaint_get_for_user(actor, complaint_id)
    if not actor.has_perm("supervision.add_typicalcase", complaint):
        raise PermissionDenied
    if complaint.status not in TYPICAL_CASE_STATES:
        raise ValidationError(_("只有已办结、已反馈或已归档的投诉可以编入案例档案。"))
    if TypicalCase.objects.filter(complaint=complaint).exists():
        raise ValidationError(_("此投诉已编入案例档案。"))
    fields = _clean_case_data(data, complaint)
    now = timezone.now()
    try:
        with transaction.atomic():
            return TypicalCase.objects.create(
                complaint=complaint,
                owner=access.home_institution(actor),
                created_by=actor,
                created_at=now,
                published=data.published,
                published_at=now if data.published else None,
                published_by=actor if data.published else None,
                **fields,
            )
    except IntegrityError:  # the same complaint written up at the same moment
        raise ValidationError(_("此投诉已编入案例档案。")) from None


@transaction.atomic
def typical_case_update(*, actor: User, case_id: int, data: TypicalCaseData) -> TypicalCase:
    """Change the texts (masked again) and the published flag; publishing records
    who and when, withdrawing clears both. A circulated case stays published: its
    readers were told about it."""
    case = sv_access.typical_case_get_for_user(
        actor, case_id, queryset=TypicalCase.objects.select_for_update().select_related("owner")
    )
    if not actor.has_perm("supervision.change_typicalcase", case):
        raise PermissionDenied
    complaint = Complaint.objects.get(pk=case.complaint_id)
    fields = _clean_case_data(data, complaint)
    published = data.published or case.circulations.exists()
    for name, value in fields.items():
        setattr(case, name, value)
    if published and not case.published:
        case.published_at, case.published_by = timezone.now(), actor
    elif not published:
        case.published_at, case.published_by = None, None
    case.published = published
    case.save(update_fields=[*fields, "published", "published_at", "published_by", "updated_at"])
    return case


@transaction.atomic
def typical_case_circulate(
    *, actor: User, case_id: int, institutions: Iterable[Institution], note: str = ""
) -> list[Circulation]:
    """通报: send a case to institutions in the actor's scope (not supervising
    offices). Publishes the case, creates one circulation per new institution and
    notifies the complaint managers there (or, where an outlet has none, the
    managers above it). Circulating to an institution again changes nothing.
    Returns the circulations created now."""
    case = sv_access.typical_case_get_for_user(
        actor, case_id, queryset=TypicalCase.objects.select_for_update()
    )
    if not actor.has_perm("supervision.circulate_typicalcase", case):
        raise PermissionDenied
    targets = list(institutions)
    if not targets:
        raise ValidationError(_("请选择通报的机构。"))
    for inst in targets:
        if inst.is_regulator or not access.can_see_institution(actor, inst):
            raise ValidationError(
                _("只能通报给您管辖范围内的金融机构：%(name)s") % {"name": inst.name}
            )
    now = timezone.now()
    if not case.published:
        case.published, case.published_at, case.published_by = True, now, actor
        case.save(update_fields=["published", "published_at", "published_by", "updated_at"])
    done = set(case.circulations.values_list("institution_id", flat=True))
    created = []
    for inst in targets:
        if inst.pk in done:
            continue
        done.add(inst.pk)
        circ = Circulation.objects.create(
            case=case,
            institution=inst,
            note=(note or "").strip(),
            circulated_by=actor,
            circulated_at=now,
        )
        created.append(circ)
        notify(
            recipients=_managers_for(inst),
            kind=Notification.Kind.CIRCULATED,
            title=_("案例通报：%(title)s") % {"title": case.title},
            body=circ.note or _("请组织学习并在案例库中确认阅知。"),
            url=reverse("supervision:case_detail", args=[case.pk]),
            dedupe_key=f"circulated:{case.pk}:{inst.pk}",
        )
    return created


def _managers_for(inst: Institution) -> list[User]:
    """Complaint managers at the institution or below it; if there are none (an
    outlet), the managers of its nearest ancestors."""
    return list(tree.managers_within(inst)) or list(tree.managers_over(inst))


@transaction.atomic
def typical_case_confirm_read(*, user: User, case_id: int) -> CaseReadReceipt:
    """阅知确认: the user read a case circulated to their institution (or above it).
    Once per user and case; confirming again returns the first receipt."""
    case = sv_access.typical_case_get_for_user(user, case_id)
    existing = (
        CaseReadReceipt.objects.filter(circulation__case=case, user=user).order_by("pk").first()
    )
    if existing:
        return existing
    if not user.has_perm("supervision.confirm_read", case):
        raise PermissionDenied
    circulation = sv_access.circulation_reaching(user, case)
    receipt, _created = CaseReadReceipt.objects.get_or_create(
        circulation=circulation,
        user=user,
        defaults={"institution": access.home_institution(user), "read_at": timezone.now()},
    )
    return receipt


# --- Enforcement cases (诉转案) ----------------------------------------------------------


def _next_case_no(office: Institution, when) -> str:
    """Office code + year + a sequence: PBC-QH-ZF-2026-003. The office row is
    locked so that two supervisors never draw the same number."""
    Institution.objects.select_for_update().filter(pk=office.pk).first()
    year = timezone.localtime(when).year
    prefix = f"{office.code}-ZF-{year}-"
    taken = EnforcementCase.objects.filter(case_no__startswith=prefix).values_list(
        "case_no", flat=True
    )
    last = max(
        (int(no.removeprefix(prefix)) for no in taken if no.removeprefix(prefix).isdigit()),
        default=0,
    )
    return f"{prefix}{last + 1:03d}"


@transaction.atomic
def enforcement_open(*, actor: User, complaint_id: int, kind: str, summary: str) -> EnforcementCase:
    """诉转案: open a special or enforcement inspection of the complained-about
    institution from a complaint that revealed a violation."""
    complaint = complaint_get_for_user(
        actor, complaint_id, queryset=Complaint.objects.select_related("complained_institution")
    )
    if not actor.has_perm("supervision.add_enforcementcase", complaint):
        raise PermissionDenied
    errors = {}
    if kind not in EnforcementKind.values:
        errors["kind"] = _("请选择检查类型。")
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = _("请填写立案事由。")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    office = access.home_institution(actor)
    return EnforcementCase.objects.create(
        case_no=_next_case_no(office, now),
        complaint=complaint,
        institution=complaint.complained_institution,
        office=office,
        kind=kind,
        summary=summary,
        opened_by=actor,
        opened_at=now,
    )


@transaction.atomic
def enforcement_close(*, actor: User, case_id: int, result: str) -> EnforcementCase:
    """结案 with the inspection's result and measures."""
    case = sv_access.enforcement_get_for_user(
        actor, case_id, queryset=EnforcementCase.objects.select_for_update()
    )
    if not actor.has_perm("supervision.change_enforcementcase", case):
        raise PermissionDenied
    if case.status != EnforcementStatus.OPEN:
        raise ValidationError(_("此案件已结案。"))
    result = (result or "").strip()
    if not result:
        raise ValidationError({"result": _("请填写检查结果与处理。")})
    case.status = EnforcementStatus.CLOSED
    case.result = result
    case.closed_by = actor
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "result", "closed_by", "closed_at"])
    return case
