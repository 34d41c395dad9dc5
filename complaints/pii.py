"""What a given user sees of a complaint's personal fields, and the audit of it.

The level comes from the access policy (``sees_detail_pii`` / ``may_reveal_pii``);
the masks from ``complaints.masking``. Whenever a value is shown unmasked, one
access-log row says who saw which fields of which complaint."""

from __future__ import annotations

from dataclasses import dataclass

from institutions.access import complaints as complaint_access
from institutions.auth import client_ip

from . import masking
from .enums import PiiAccessKind, PiiField
from .services import pii_access_record


@dataclass(frozen=True)
class PartyView:
    name: str
    phone: str
    id_number: str
    address: str
    level: str  # list / detail / full
    can_reveal: bool


def party_for_list(complaint) -> PartyView:
    return PartyView(
        name=masking.mask_name(complaint.complainant_name),
        phone=masking.mask_phone(complaint.complainant_phone),
        id_number=masking.mask_id_number(complaint.id_number),
        address=masking.mask_address(complaint.contact_address),
        level=masking.LIST,
        can_reveal=False,
    )


def party_for_detail(request, complaint) -> PartyView:
    """The detail page: detail-level masks for the handling institution, the first
    responder and the regulator (logged, since the name and address are shown in
    full), list-level masks for everyone else who can see the complaint."""
    user = request.user
    if not complaint_access.sees_detail_pii(user, complaint):
        return party_for_list(complaint)
    view = PartyView(
        name=complaint.complainant_name,
        phone=masking.mask_phone(complaint.complainant_phone),
        id_number=masking.mask_id_number(complaint.id_number, masking.DETAIL),
        address=complaint.contact_address,
        level=masking.DETAIL,
        can_reveal=bool(complaint_access.may_reveal_pii(user, complaint)),
    )
    pii_access_record(
        user=user,
        complaint=complaint,
        kind=PiiAccessKind.DETAIL,
        fields=[PiiField.NAME, PiiField.ADDRESS],
        ip=client_ip(request),
    )
    return view


def party_revealed(request, complaint) -> PartyView:
    """Full values, after the access policy allowed it; always logged."""
    pii_access_record(
        user=request.user,
        complaint=complaint,
        kind=PiiAccessKind.REVEAL,
        fields=[PiiField.NAME, PiiField.PHONE, PiiField.ID_NUMBER, PiiField.ADDRESS],
        ip=client_ip(request),
    )
    return PartyView(
        name=complaint.complainant_name,
        phone=complaint.complainant_phone,
        id_number=complaint.id_number,
        address=complaint.contact_address,
        level="full",
        can_reveal=False,
    )
