"""Writes of the training records. The form is one door; the admin, the demo and
tests are others, so every rule is checked again here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import cast

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from complaints import attachments
from institutions import access
from institutions.errors import PermissionRefused
from institutions.models import Institution, User

from . import rules
from .errors import TrainingError
from .models import MAX_HOURS, MIN_HOURS, Trainee, TrainingMaterial, TrainingSession
from .selectors import staff_choices


@dataclass(frozen=True)
class SessionData:
    organiser_id: int
    held_on: date
    topic: str
    hours: Decimal
    content: str = ""
    staff_ids: Sequence[int] = ()
    #: (name, institution id) of trainees without an account.
    named: Sequence[tuple[str, int]] = ()
    materials: Sequence[UploadedFile] = field(default_factory=list)


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        hours = Decimal("NaN")
    if not hours.is_finite() or not (MIN_HOURS <= hours <= MAX_HOURS):
        raise TrainingError(
            _("培训学时应在 %(min)s 至 %(max)s 小时之间。") % {"min": MIN_HOURS, "max": MAX_HOURS},
            code="bad_hours",
            field="hours",
        )
    return hours.quantize(Decimal("0.1"))


def _visible_institution(actor: User, pk: int, field_name: str) -> Institution:
    inst = access.institutions_visible_to(actor).filter(pk=pk, is_active=True).first()
    if inst is None:
        raise TrainingError(
            _("所选机构不在您的管辖范围内。"), code="bad_institution", field=field_name
        )
    return inst


def training_record(*, actor: User, data: SessionData) -> TrainingSession:
    """Record a session with its trainees and materials, all or nothing.

    The organiser, each staff member and each named trainee's institution must lie
    within the actor's scope (a manager: its subtree; the office: its jurisdiction),
    so nobody records another bank's staff. At least one trainee: a session nobody
    attended counts for no one. Material files are checked for what they really are
    before anything is written; if the transaction fails, stored files are removed."""
    if not rules.can_record_training(actor):
        raise PermissionRefused(_("您不能登记培训记录。"))
    hours = _hours(data.hours)
    topic = (data.topic or "").strip()
    if not topic:
        raise TrainingError(_("请填写培训主题。"), code="no_topic", field="topic")
    organiser = _visible_institution(actor, data.organiser_id, "organiser")
    staff = list(staff_choices(actor).filter(pk__in=set(data.staff_ids)))
    if len(staff) != len(set(data.staff_ids)):
        raise TrainingError(_("所选人员不在您的管辖范围内。"), code="bad_staff", field="staff")
    named = [(n.strip()[:40], _visible_institution(actor, pk, "named")) for n, pk in data.named]
    named = [(n, inst) for n, inst in named if n]
    if not staff and not named:
        raise TrainingError(_("请至少选择或填写一名参训人员。"), code="no_trainees", field="staff")
    infos = []
    for upload in data.materials:
        try:
            infos.append(attachments.inspect_evidence(upload))
        except Exception as exc:  # ValidationError: a message naming the file
            raise TrainingError(
                "；".join(getattr(exc, "messages", [str(exc)])), code="bad_file", field="materials"
            ) from None
    stored: list[str] = []
    try:
        with transaction.atomic():
            session = TrainingSession.objects.create(
                organiser=organiser,
                held_on=data.held_on,
                topic=topic[:200],
                hours=hours,
                content=data.content,
                recorded_by=actor,
            )
            Trainee.objects.bulk_create(
                [
                    Trainee(
                        session=session,
                        user=u,
                        name=(u.full_name or u.username)[:40],
                        institution_id=cast(int, u.institution_id),  # staff_choices: never None
                    )
                    for u in staff
                ]
                + [Trainee(session=session, name=n, institution=inst) for n, inst in named]
            )
            for upload, info in zip(data.materials, infos, strict=True):
                material = TrainingMaterial(
                    session=session,
                    original_name=attachments.display_name(upload)[:120],
                    content_type=info.content_type,
                    size=info.size,
                    sha256=attachments.sha256_of(upload),
                    uploaded_by=actor,
                )
                material.file.save(f"upload.{info.extension}", upload, save=False)
                stored.append(material.file.name or "")
                material.save()
    except Exception:
        storage = TrainingMaterial._meta.get_field("file").storage
        for name in stored:
            storage.delete(name)
        raise
    return session
