"""Anonymising one closed complaint (PIPL art. 47): every personal datum of the
complainant removed from the complaint and the rows about it, every figure kept.

Kept, because the statistics, the appraisal, the case archive and the reports count
them: dates, institutions, handlers, categories, codes, status, validity,
satisfaction, amounts, the tracking number, the timeline's actions and times, and the
size and SHA-256 of each removed file. Removed or replaced: the name, phone, ID,
account number, address and e-mail, the same values and any card, account, mobile or
ID number (``complaints.masking``) or e-mail address written in free text, the files
themselves and the identifiers of recordings, the portal's enquiry key, and the
recipient of every message. Names of other people in free text are not detectable
(docs/personal-data.md).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from complaints.masking import LIST, mask_text
from complaints.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintPause,
    ExtensionRequest,
    TimelineEntry,
    Urge,
)
from mediation.models import MediationCase
from notifications.models import ConsumerMessage, Notification
from portal.models import ConsumerAccess
from supervision.models import EnforcementCase

ANONYMISED_NAME = "［已匿名］"
REMOVED = "［已删除］"
REMOVAL_REASON = "保存期限届满，依法匿名化删除"
PLACEHOLDERS = {
    "name": "［姓名］",
    "phone": "［电话］",
    "id_number": "［证件号码］",
    "address": "［地址］",
    "account_number": "［账号］",
    "email": "［邮箱］",
}
# What mask_text leaves of a number it found (138****5678, ***0123, 1****8): the
# remaining digits go too, so nothing of the number stays.
_MASKED_RE = re.compile(r"[0-9Xx]*\*{3,}[0-9Xx]*")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

#: The free-text fields of the complaint itself.
COMPLAINT_TEXTS = (
    "description",
    "demand",
    "findings",
    "measures",
    "staff_opinion",
    "answer_note",
    "refusal_note",
    "transfer_reason",
    "reverification",
    "complexity_reason",
)


def known_values(complaint: Complaint) -> dict[str, str]:
    return {
        "name": complaint.complainant_name,
        "phone": complaint.complainant_phone,
        "id_number": complaint.id_number,
        "address": complaint.contact_address,
        "account_number": complaint.account_number,
        "email": complaint.consumer_email,
    }


def anonymise_text(text: str, known: dict[str, str]) -> str:
    """``text`` with the complainant's own values replaced by a placeholder wherever
    they appear, then every number the masker finds and every e-mail address
    removed whole."""
    if not text:
        return text or ""
    pairs = [
        (value.strip(), PLACEHOLDERS[kind])
        for kind, value in known.items()
        if value and len(value.strip()) >= (2 if kind == "name" else 5)
    ]
    # Longest first: the address before the name it may contain.
    for raw, placeholder in sorted(pairs, key=lambda p: -len(p[0])):
        text = re.sub(re.escape(raw), placeholder, text, flags=re.IGNORECASE)
    text = _EMAIL_RE.sub(PLACEHOLDERS["email"], text)
    return _MASKED_RE.sub(REMOVED, mask_text(text, LIST))


def anonymise_value(value: Any, known: dict[str, str]) -> Any:
    """A timeline payload: strings anonymised throughout dicts and lists."""
    if isinstance(value, str):
        return anonymise_text(value, known)
    if isinstance(value, dict):
        return {k: anonymise_value(v, known) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [anonymise_value(v, known) for v in value]
    return value


@contextmanager
def audit_rewrite():
    """Allow this transaction to rewrite the append-only audit tables (the timeline's
    notes, expired access logs): on PostgreSQL their trigger lets a transaction
    through that set ``lifecycle.retention`` (migration lifecycle 0002); nothing
    else can. Must be entered inside ``transaction.atomic``."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lifecycle.retention = 'on'")
    yield


def _update(queryset: models.QuerySet, **values) -> int:
    # The append-only querysets refuse update(); the retention run is the one
    # sanctioned writer (inside audit_rewrite), so it calls the base method.
    return models.QuerySet.update(queryset, **values)


def delete_rows(queryset: models.QuerySet) -> int:
    """Delete through the base queryset (see _update); returns the rows deleted."""
    return models.QuerySet.delete(queryset)[0]


def anonymise_complaint(complaint: Complaint, *, now=None) -> int:
    """Rewrite ``complaint`` (locked by the caller, inside ``audit_rewrite``) and the
    rows about it; returns the number of files and references removed. The files'
    contents leave storage after commit, so a rolled-back batch keeps them."""
    now = now or timezone.now()
    known = known_values(complaint)
    text = {f: anonymise_text(getattr(complaint, f), known) for f in COMPLAINT_TEXTS}
    # The version moves, so a form opened before cannot write the old data back.
    _update(
        Complaint.objects.filter(pk=complaint.pk),
        complainant_name=ANONYMISED_NAME,
        complainant_phone="",
        id_number="",
        contact_address="",
        account_number="",
        consumer_email="",
        notify_consent=False,
        version=F("version") + 1,
        **text,
    )
    for entry in TimelineEntry.objects.filter(complaint=complaint).only("pk", "note", "payload"):
        note, payload = anonymise_text(entry.note, known), anonymise_value(entry.payload, known)
        if note != entry.note or payload != entry.payload:
            _update(TimelineEntry.objects.filter(pk=entry.pk), note=note, payload=payload)
    _rewrite(Urge.objects.filter(complaint=complaint), ("note",), known)
    _rewrite(
        ExtensionRequest.objects.filter(complaint=complaint), ("reason", "decision_note"), known
    )
    _rewrite(ComplaintPause.objects.filter(complaint=complaint), ("note", "resume_note"), known)
    _rewrite(EnforcementCase.objects.filter(complaint=complaint), ("summary", "result"), known)
    _rewrite(Notification.objects.filter(complaint=complaint), ("title", "body"), known)
    messages = ConsumerMessage.objects.filter(reference=complaint.tracking_no)
    _rewrite(messages, ("subject", "body"), known)
    messages.update(phone="", email="")
    mediations = MediationCase.objects.filter(complaint=complaint)
    _rewrite(mediations, ("request", "end_reason", "remedies"), known)
    mediations.update(applicant_name=ANONYMISED_NAME, applicant_phone="")
    # The portal's key to the complaint goes: nobody can open it as the consumer.
    ConsumerAccess.objects.filter(complaint=complaint).delete()
    return _remove_files(complaint, known, now)


def _rewrite(queryset: models.QuerySet, fields: tuple[str, ...], known: dict[str, str]) -> None:
    for row in queryset.only("pk", *fields):
        values = {f: anonymise_text(getattr(row, f), known) for f in fields}
        if any(values[f] != getattr(row, f) for f in fields):
            _update(queryset.model.objects.filter(pk=row.pk), **values)


def _remove_files(complaint: Complaint, known: dict[str, str], now) -> int:
    """Each file's content is deleted and each recording's identifier cleared; the row
    stays with its kind, size, SHA-256 and the removal, as the record that it existed."""
    removed = 0
    paths: list[str] = []
    for att in ComplaintAttachment.objects.filter(complaint=complaint):
        values: dict[str, Any] = {
            "original_name": "",
            "description": anonymise_text(att.description, known),
        }
        if att.removed_at is None:
            removed += 1
            values.update(
                removed_at=now, removed_by=None, removal_reason=REMOVAL_REASON, ref_identifier=""
            )
        if att.file.name:
            paths.append(att.file.name)
            values["file"] = ""
        _update(ComplaintAttachment.objects.filter(pk=att.pk), **values)
    if paths:
        storage = ComplaintAttachment._meta.get_field("file").storage

        def delete_files() -> None:
            for path in paths:
                storage.delete(path)

        transaction.on_commit(delete_files)
    return removed
