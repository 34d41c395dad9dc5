"""Writes of the convention: publishing a version and recording a signature."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institutions import access, tree
from institutions.errors import PermissionRefused
from institutions.models import User

from . import rules
from .errors import ConventionError
from .models import ConventionSignature, ConventionVersion


def convention_publish(
    *, actor: User, label: str, text: str, effective_on: date
) -> ConventionVersion:
    """Publish a version of the actor's office's convention. It is in force from
    ``effective_on`` (the latest version in force wins); earlier signatures stay
    as the history of earlier versions."""
    if not rules.can_publish_convention(actor) or actor.institution is None:
        raise PermissionRefused(_("只有监管部门可以发布公约。"))
    office_id = tree.supervising_office_id(actor.institution)
    if office_id is None:
        raise PermissionRefused(_("只有监管部门可以发布公约。"))
    label, text = (label or "").strip(), (text or "").strip()
    if not label:
        raise ConventionError(_("请填写版本。"), code="no_label", field="label")
    if not text:
        raise ConventionError(_("请填写公约文本。"), code="no_text", field="text")
    if ConventionVersion.objects.filter(office_id=office_id, label=label).exists():
        raise ConventionError(_("该版本已发布过。"), code="duplicate_label", field="label")
    return ConventionVersion.objects.create(
        office_id=office_id, label=label, text=text, effective_on=effective_on, published_by=actor
    )


@dataclass(frozen=True)
class SignatureData:
    institution_id: int
    version_id: int
    signed_on: date
    signer_name: str
    signer_title: str


def convention_sign(*, actor: User, data: SignatureData) -> ConventionSignature:
    """Record that an institution signed a version of its office's convention.

    The institution must be within the actor's scope (the office: its jurisdiction;
    a manager: its subtree) — outside it, it is as if it did not exist; the version
    must be an active version of that institution's own office; the date may not lie
    in the future; each institution signs a version once."""
    inst = access.institutions_visible_to(actor).filter(pk=data.institution_id).first()
    if inst is None or not rules.can_sign_for(actor, inst):
        raise ConventionError(_("请选择签署机构。"), code="bad_institution", field="institution")
    version = ConventionVersion.objects.filter(
        pk=data.version_id, office_id=tree.supervising_office_id(inst), active=True
    ).first()
    if version is None:
        raise ConventionError(_("该机构不适用所选公约版本。"), code="bad_version", field="version")
    if data.signed_on > timezone.localdate():
        raise ConventionError(_("签署日期不能晚于今天。"), code="future", field="signed_on")
    name, title = (data.signer_name or "").strip(), (data.signer_title or "").strip()
    if not name or not title:
        raise ConventionError(_("请填写签署人及其职务。"), code="no_signer", field="signer_name")
    try:
        with transaction.atomic():
            return ConventionSignature.objects.create(
                institution=inst,
                version=version,
                signed_on=data.signed_on,
                signer_name=name[:40],
                signer_title=title[:60],
                recorded_by=actor,
            )
    except IntegrityError:
        raise ConventionError(
            _("该机构已签署此版本公约。"), code="already_signed", field="institution"
        ) from None
