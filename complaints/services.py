"""Writes that are not transitions: registering a complaint (受理) and the regulator's
register-and-dispatch in one step, plus the personal-data access log."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import rules as complaint_access
from institutions import access
from institutions.models import Institution, User

from . import deadlines, effects, masking, search, selectors
from .enums import ComplaintStatus, Complexity, PiiAccessKind
from .enums import TimelineAction as A
from .errors import PermissionRefused, WorkflowError
from .models import (
    Complaint,
    ComplaintAttachment,
    HandlingCategory,
    PiiAccessLog,
    TimelineEntry,
    TrackingSequence,
)
from .validators import normalize_account_number, normalize_phone

REPEAT_WINDOW_DAYS = getattr(settings, "REPEAT_WINDOW_DAYS", 90)


def next_tracking_no(institution: Institution, when) -> str:
    """Institution code + local date + a per-day sequence: ABC-QH-01-20261126-007.
    Readable over the phone. Numbers never repeat: one upsert creates or increments
    the day's counter and returns it, and its row stays locked until the
    registration commits (one statement where a locking read, an update and a
    re-read took three; PostgreSQL and SQLite share the syntax)."""
    return reserve_tracking_nos(institution, when, 1)[0]


def reserve_tracking_nos(institution: Institution, when, count: int) -> list[str]:
    """``count`` consecutive tracking numbers of ``institution`` for the local day of
    ``when``, in one statement (the historical import numbers a batch at once)."""
    day = timezone.localtime(when).date()
    q = connection.ops.quote_name
    table = q(TrackingSequence._meta.db_table)
    # Only quoted identifiers from the model's own metadata are formatted in; the
    # values are parameters (bandit B608 reviewed).
    upsert = (
        f"INSERT INTO {table} ({q('institution_id')}, {q('day')}, {q('last')}) "  # noqa: S608  # nosec B608
        f"VALUES (%s, %s, %s) ON CONFLICT ({q('institution_id')}, {q('day')}) "
        f"DO UPDATE SET {q('last')} = {table}.{q('last')} + %s RETURNING {q('last')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            upsert, [institution.pk, connection.ops.adapt_datefield_value(day), count, count]
        )
        last = cursor.fetchone()[0]
    return [f"{institution.code}-{day:%Y%m%d}-{n:03d}" for n in range(last - count + 1, last + 1)]


def find_earlier_complaints(
    *,
    phone: str,
    id_number: str,
    institution: Institution,
    account_number: str = "",
    received_at=None,
    exclude_pk=None,
):
    """Earlier complaints by the same person (phone or ID number) or about the same
    card or account against the same institution within the repeat window, newest
    first."""
    received_at = received_at or timezone.now()
    who = Q()
    if phone:
        who |= Q(complainant_phone=phone)
    if id_number:
        who |= Q(id_number=id_number)
    if account_number:
        who |= Q(account_number=account_number)
    if not who:
        return Complaint.objects.none()
    qs = Complaint.objects.filter(
        who,
        complained_institution=institution,
        received_at__gte=received_at - timedelta(days=REPEAT_WINDOW_DAYS),
        received_at__lte=received_at,
    ).exclude(status=ComplaintStatus.REFUSED)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("-received_at")


@transaction.atomic
def complaint_register(*, actor: User, data: dict) -> tuple[Complaint, list[str]]:
    """受理: store a new complaint as registered, stamped with its deadline.

    ``data`` holds the intake form's cleaned fields. Returns the complaint and any
    warnings for the user (e.g. that authentication data was removed from the text).
    Raises PermissionRefused / WorkflowError, writing nothing."""
    if not complaint_access.can_register(actor):
        raise PermissionRefused(_("您无权登记投诉。"))
    complained: Institution = data["complained_institution"]
    if not access.can_see_institution(actor, complained):
        raise WorkflowError(_("被投诉机构不在您的管辖范围内。"), code="institution_out_of_scope")
    accepting = actor.institution
    if accepting is None:  # can_register asked for one; for the type checker
        raise PermissionRefused(_("您无权登记投诉。"))
    # A bank handles complaints about itself (谁的客户谁负责); the regulator's own
    # intake stays with the office until it dispatches the case.
    handling = accepting if accepting.is_regulator else complained
    complaint, warnings = _register(actor=actor, accepting=accepting, handling=handling, data=data)
    evidence = data.get("evidence") or []
    if evidence:
        _store_intake_evidence(complaint, actor, evidence, data.get("evidence_kind") or "")
    return complaint, warnings


def _store_intake_evidence(complaint: Complaint, actor: User, files, kind: str) -> None:
    """Evidence handed over at the counter, stored with the registration (the same
    checks and the same timeline row as the ``attach`` action)."""
    stored = attachments_store(
        complaint=complaint, files=files, source="staff", uploaded_by=actor, kind=kind
    )
    TimelineEntry.objects.create(
        complaint=complaint,
        actor=actor,
        action=A.ATTACH,
        from_status=complaint.status,
        to_status=complaint.status,
        payload={"attachments": [a.pk for a in stored], "kind": stored[0].kind, "at": "intake"},
    )


@transaction.atomic
def complaint_register_online(*, data: dict) -> tuple[Complaint, list[str]]:
    """网上投诉: the consumer's own complaint from the public portal, registered by the
    same steps as a teller's (deadline, repeat check, timeline row), channel 网络,
    marked consumer-submitted. The complained-about institution accepts and handles
    it, so it lands in that institution's queue (待分办) with its due time; the actor
    on the record is the portal's consumer account (complaints.consumer).

    ``data`` holds the portal form's fields plus ``category`` (the portal decides
    it: the consumer does not classify). Raises WorkflowError, writing nothing."""
    from .consumer import consumer_actor
    from .enums import IntakeSource

    complained: Institution = data["complained_institution"]
    if not complained.is_active or complained.is_regulator:
        raise WorkflowError(_("请选择有效的金融机构。"), code="institution_invalid")
    data = {
        **data,
        "intake_source": IntakeSource.ONLINE,
        "kind": data.get("kind") or "complaint",
        "is_major": False,
        "complained_staff": None,
        "raise_to_complex": False,
        "received_at": None,
    }
    return _register(
        actor=consumer_actor(),
        accepting=complained,
        handling=complained,
        data=data,
        by_consumer=True,
    )


def _register(
    *,
    actor: User,
    accepting: Institution,
    handling: Institution,
    data: dict,
    by_consumer: bool = False,
) -> tuple[Complaint, list[str]]:
    """The registration itself, once the caller decided who accepts and who handles."""
    complained: Institution = data["complained_institution"]
    category: HandlingCategory = data["category"]
    complexity = category.complexity
    reason = (data.get("complexity_reason") or "").strip()
    if data.get("raise_to_complex") and complexity == Complexity.SIMPLE:
        if not reason:
            raise WorkflowError(_("升级为复杂投诉须填写理由。"), code="missing_field")
        complexity = Complexity.COMPLEX
    warnings: list[str] = []
    texts = {}
    for field in ("description", "demand"):
        cleaned, found = masking.scrub_authentication_data(data.get(field, ""))
        texts[field] = cleaned
        if found:
            warnings.append(
                _("已自动屏蔽文本中的密码、CVN 或有效期等敏感鉴别信息，此类信息不得保存。")
            )
    try:
        account_number = normalize_account_number(data.get("account_number") or "")
    except ValidationError as e:
        raise WorkflowError(e.messages[0], code="account_format") from None
    try:
        phone = normalize_phone(data["complainant_phone"])
    except ValidationError as e:
        raise WorkflowError(e.messages[0], code="phone") from None
    amount = data.get("amount")
    if amount is not None and Decimal(amount) < 0:
        raise WorkflowError(_("涉及金额不能为负数。"), code="negative_amount")

    received_at = data.get("received_at") or timezone.now()
    staff = data.get("complained_staff")
    if staff is not None and not (
        selectors.complained_staff_candidates(complained).filter(pk=staff.pk).exists()
    ):
        raise WorkflowError(_("所选员工不属于被投诉机构。"), code="staff_out_of_scope")
    c = Complaint(
        tracking_no=next_tracking_no(accepting, received_at),
        received_at=received_at,
        intake_source=data["intake_source"],
        kind=data["kind"],
        complainant_name=data["complainant_name"].strip(),
        complainant_phone=phone,
        id_type=data.get("id_type") or "",
        id_number=(data.get("id_number") or "").strip().upper(),
        contact_address=data.get("contact_address") or "",
        account_number=account_number,
        answer_preference=data.get("answer_preference") or "phone",
        consumer_email=(data.get("consumer_email") or "").strip(),
        notify_consent=bool(data.get("notify_consent")),
        submitted_by_consumer=by_consumer,
        description=texts["description"],
        demand=texts["demand"],
        amount=amount,
        complained_institution=complained,
        complained_staff=staff,
        complained_staff_name=(data.get("complained_staff_name") or "").strip()
        or (staff.get_full_name() if staff else ""),
        channel=data.get("channel"),
        business=data.get("business"),
        cause=data.get("cause"),
        category=category,
        complexity=complexity,
        complexity_reason=reason if complexity != category.complexity else "",
        first_responder=actor,
        accepting_institution=accepting,
        handling_institution=handling,
        is_major=bool(data.get("is_major")),
        last_activity_at=timezone.now(),
    )
    earlier = find_earlier_complaints(
        phone=c.complainant_phone,
        id_number=c.id_number,
        account_number=c.account_number,
        institution=complained,
        received_at=received_at,
    ).first()
    if earlier:
        c.is_repeat, c.repeat_of = True, earlier
    deadlines.stamp(c)
    if c.is_major:
        # Reported to the regulator with the registration itself (篇八).
        c.reported_to_regulator_at = timezone.now()
    c.save()
    TimelineEntry.objects.create(
        complaint=c,
        actor=actor,
        action=A.REGISTER,
        to_status=c.status,
        payload={
            "intake_source": c.intake_source,
            "tracking_no": c.tracking_no,
            "repeat_of": earlier.tracking_no if earlier else None,
            "due_at": c.due_at.isoformat() if c.due_at else None,
            "complexity": c.complexity,
            **({"by": "consumer"} if by_consumer else {}),
        },
    )
    search.reindex([c.pk])
    if c.is_major:
        from .workflow.service import record_major_report

        record_major_report(c, actor=actor)
        effects.notify_major(c)
    effects.after_register(c)
    return c, warnings


def complaint_dispatch(
    *, actor: User, data: dict, institution: Institution, handler: User
) -> tuple[Complaint, list[str]]:
    """受理并分办: the regulator registers a complaint that reached the office and
    dispatches it to the institution concerned in one step: one record, two timeline
    rows, the institution notified."""
    from .workflow import complaint_act

    with transaction.atomic():
        c, warnings = complaint_register(actor=actor, data=data)
        c = complaint_act(
            actor=actor,
            complaint_id=c.pk,
            action="assign",
            institution=institution,
            handler=handler,
            note=data.get("dispatch_note", ""),
        )
    return c, warnings


def pii_access_record(
    *,
    user: User,
    complaint: Complaint | None,
    kind: str,
    fields: list[str],
    ip: str = "",
    note: str = "",
) -> None:
    """One audit row per display of unmasked data (who, when, which record, which
    fields, from where), never the data itself."""
    if kind not in PiiAccessKind.values:
        raise ValueError(kind)
    PiiAccessLog.objects.create(
        user=user, complaint=complaint, kind=kind, fields=list(fields), ip_address=ip, note=note
    )


def attachments_store(
    *,
    complaint: Complaint,
    files,
    source: str,
    uploaded_by: User | None,
    kind: str = "",
    description: str = "",
) -> list[ComplaintAttachment]:
    """Store evidence files of a complaint privately. Each file is checked by its
    content first (all of them before any is written): the consumer's may be images
    or PDF, staff's also audio and video of the reception. Images are stored
    re-encoded without their metadata; the stored type and extension are what the
    bytes are, ``sha256`` the hash of the stored bytes. Raises WorkflowError naming
    the file refused."""
    from . import attachments
    from .enums import AttachmentKind, AttachmentSource

    families = (
        attachments.PORTAL_FAMILIES if source == AttachmentSource.CONSUMER else attachments.FAMILIES
    )
    if kind and kind not in AttachmentKind.values:
        raise WorkflowError(_("请选择材料类别。"), code="missing_field")
    checked = []
    for upload in files:
        try:
            checked.append((upload, attachments.inspect_evidence(upload, families=families)))
        except ValidationError as e:
            raise WorkflowError(e.messages[0], code="attachment_refused") from None
    stored = []
    for upload, info in checked:
        content = attachments.prepared(upload, info)
        a = ComplaintAttachment(
            complaint=complaint,
            kind=kind or _default_kind(info.family),
            description=(description or "").strip()[:200],
            original_name=attachments.display_name(upload)[:120],
            content_type=info.content_type,
            size=content.size,
            sha256=attachments.sha256_of(content),
            source=source,
            uploaded_by=uploaded_by,
        )
        a.file.save(f"upload.{info.extension}", content, save=False)
        a.save()
        stored.append(a)
    return stored


def _default_kind(family: str) -> str:
    from .enums import AttachmentKind

    return {"audio": AttachmentKind.AUDIO, "video": AttachmentKind.VIDEO}.get(
        family, AttachmentKind.OTHER
    )


def attachment_reference_store(
    *,
    complaint: Complaint,
    uploaded_by: User,
    system: str,
    identifier: str,
    starts_at,
    ends_at,
    sha256: str = "",
    description: str = "",
) -> ComplaintAttachment:
    """A recording that stays in the bank's recording system, attached by reference:
    which system, its identifier there, the time range and the hash that system
    reports (to show later that the recording was not changed)."""
    import re

    from .enums import AttachmentKind

    system, identifier = (system or "").strip(), (identifier or "").strip()
    if not system or not identifier:
        raise WorkflowError(_("请填写录音录像系统及其编号。"), code="missing_field")
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise WorkflowError(_("录制结束时间须晚于开始时间。"), code="bad_time")
    if starts_at > timezone.now():
        raise WorkflowError(_("录制时间不能晚于当前时间。"), code="bad_time")
    sha256 = (sha256 or "").strip().lower()
    if sha256 and not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise WorkflowError(_("SHA-256 须为 64 位十六进制数字。"), code="bad_hash")
    return ComplaintAttachment.objects.create(
        complaint=complaint,
        kind=AttachmentKind.RECORDING_REF,
        description=(description or "").strip()[:200],
        ref_system=system[:60],
        ref_identifier=identifier[:120],
        ref_starts_at=starts_at,
        ref_ends_at=ends_at,
        sha256=sha256,
        source="staff",
        uploaded_by=uploaded_by,
    )


def attachment_remove(
    *, attachment: ComplaintAttachment, actor: User, reason: str
) -> ComplaintAttachment:
    """Mark an item of the case file removed (who, when, why) and delete the file's
    content from storage once the transaction commits (PIPL: personal data no longer
    needed is deleted). The row stays as the record of what was there and its hash;
    the timeline row of the action says so."""
    attachment.removed_at, attachment.removed_by = timezone.now(), actor
    attachment.removal_reason = reason[:500]
    attachment.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    name = attachment.file.name
    if name:
        storage = attachment.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    return attachment
