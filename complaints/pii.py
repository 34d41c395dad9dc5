"""What a given user sees of a complaint's personal data, and the audit of it.

Two kinds of personal data leave through here, at the same level: the structured
fields (``PartyView``) and the numbers people wrote into the free text (a
``Redactor`` over ``complaints.masking.mask_text``). The level comes from the access
policy (``sees_detail_pii`` / ``may_reveal_pii``); the masks from
``complaints.masking``. Pages, the print form, the API and the export all show a
complaint through a ``ComplaintView`` from this module, never the raw fields.
Whenever a value is shown unmasked, one access-log row says who saw which fields of
which complaint."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from complaints import rules as complaint_access
from institutions.auth import client_ip

from . import masking
from .enums import PiiAccessKind, PiiField
from .masking import Redactor
from .services import pii_access_record

FULL = masking.FULL

#: The complaint's own free text, as the page, print form, API and export name it.
FREE_TEXT_FIELDS = (
    "description",
    "demand",
    "complexity_reason",
    "findings",
    "measures",
    "staff_opinion",
    "reverification",
    "answer_note",
    "refusal_note",
    "transferred_to",
    "transfer_reason",
)
#: Free text of the rows around a complaint.
TIMELINE_TEXT = ("note", "payload")
URGE_TEXT = ("note",)
EXTENSION_TEXT = ("reason", "decision_note")
ATTACHMENT_TEXT = ("original_name", "description", "removal_reason")


@dataclass(frozen=True)
class PartyView:
    name: str
    phone: str
    id_number: str
    address: str
    account_number: str
    level: str  # list / detail / full
    can_reveal: bool


class Shown:
    """A timeline entry, urge or extension request as a caller may see it: the
    attributes named in ``fields`` pass through the redactor, all others are the
    object's own (templates and serializers read it like the model instance)."""

    __slots__ = ("_fields", "_obj", "_redact")

    def __init__(self, obj, redact: Redactor, fields: Iterable[str]):
        self._obj, self._redact, self._fields = obj, redact, frozenset(fields)

    def __getattr__(self, name: str):
        value = getattr(self._obj, name)
        return self._redact(value) if name in self._fields else value


class MaskedText(Mapping):
    """The complaint's free-text fields by name, each masked when first read (an export
    row reads one of eleven)."""

    def __init__(self, complaint, redact: Redactor):
        self._complaint, self._redact, self._done = complaint, redact, {}

    def __getitem__(self, name: str) -> str:
        if name not in FREE_TEXT_FIELDS:
            raise KeyError(name)
        if name not in self._done:
            self._done[name] = self._redact(getattr(self._complaint, name))
        return self._done[name]

    def __iter__(self):
        return iter(FREE_TEXT_FIELDS)

    def __len__(self) -> int:
        return len(FREE_TEXT_FIELDS)


@dataclass(frozen=True)
class ComplaintView:
    """A complaint's personal data as one caller sees it: ``party`` (the structured
    fields), ``text`` (the free-text fields by name), and ``shown`` for the rows
    around it (timeline, urges, extensions)."""

    party: PartyView
    redact: Redactor
    text: Mapping[str, str] = field(default_factory=dict)

    @property
    def level(self) -> str:
        return self.redact.level

    def timeline(self, entries: Iterable) -> list[Shown]:
        return [Shown(e, self.redact, TIMELINE_TEXT) for e in entries]

    def urges(self, urges: Iterable) -> list[Shown]:
        return [Shown(u, self.redact, URGE_TEXT) for u in urges]

    def extensions(self, requests: Iterable) -> list[Shown]:
        return [Shown(r, self.redact, EXTENSION_TEXT) for r in requests]

    def attachments(self, items: Iterable) -> list[Shown]:
        return [Shown(a, self.redact, ATTACHMENT_TEXT) for a in items]


def _view(complaint, party: PartyView) -> ComplaintView:
    redact = Redactor(complaint, party.level)
    return ComplaintView(party=party, redact=redact, text=MaskedText(complaint, redact))


def text_level(user, complaint) -> str:
    """The level the user sees this complaint's free text at (without logging):
    detail for those who see the detail-level party, list for everyone else."""
    if complaint_access.sees_detail_pii(user, complaint):
        return masking.DETAIL
    return masking.LIST


# --- The structured fields -----------------------------------------------------------


def party_for_list(complaint) -> PartyView:
    return PartyView(
        name=masking.mask_name(complaint.complainant_name),
        phone=masking.mask_phone(complaint.complainant_phone),
        id_number=masking.mask_id_number(complaint.id_number),
        address=masking.mask_address(complaint.contact_address),
        account_number=masking.mask_card(complaint.account_number),
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
        account_number=masking.mask_card(complaint.account_number, masking.DETAIL),
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


def _party_full(complaint) -> PartyView:
    return PartyView(
        name=complaint.complainant_name,
        phone=complaint.complainant_phone,
        id_number=complaint.id_number,
        address=complaint.contact_address,
        account_number=complaint.account_number,
        level=FULL,
        can_reveal=False,
    )


# --- The whole complaint -------------------------------------------------------------


def complaint_for_list(complaint) -> ComplaintView:
    """List-level masks throughout: exports, the admin, lists of urges."""
    return _view(complaint, party_for_list(complaint))


def urges_for_list(urges: Iterable) -> list[Shown]:
    """Urges of several complaints (the supervision board's list), each note at the
    list level of its own complaint; reads no deferred text of the complaints."""
    return [Shown(u, Redactor(u.complaint, masking.LIST), URGE_TEXT) for u in urges]


def complaint_for_detail(request, complaint) -> ComplaintView:
    """The detail page, the print form and the API's representation: the party and
    the free text at the caller's level (logged as ``party_for_detail`` says)."""
    return _view(complaint, party_for_detail(request, complaint))


def complaint_for_text(user, complaint) -> ComplaintView:
    """The free text at the user's level without the party and without a log row
    (the API's timeline: detail-level text shows no full number)."""
    level = text_level(user, complaint)
    party = party_for_list(complaint)
    return ComplaintView(party=party, redact=Redactor(complaint, level))


def complaint_revealed(request, complaint) -> ComplaintView:
    """Everything in full, after the access policy allowed it (the caller checks
    ``may_reveal_pii``); always logged with the fields it showed: the structured
    fields that have a value, and each text whose full form shows more than the
    detail level does (``timeline``, ``urges``, ``extensions`` for the rows
    around the complaint)."""
    party = _party_full(complaint)
    view = _view(complaint, party)
    pii_access_record(
        user=request.user,
        complaint=complaint,
        kind=PiiAccessKind.REVEAL,
        fields=_revealed_fields(complaint),
        ip=client_ip(request),
    )
    return view


_PARTY_FIELDS = (
    (PiiField.NAME, "complainant_name"),
    (PiiField.PHONE, "complainant_phone"),
    (PiiField.ID_NUMBER, "id_number"),
    (PiiField.ADDRESS, "contact_address"),
    (PiiField.ACCOUNT_NUMBER, "account_number"),
)


def _revealed_fields(complaint) -> list[str]:
    detail = Redactor(complaint, masking.DETAIL)
    fields = [str(f) for f, attr in _PARTY_FIELDS if getattr(complaint, attr)]
    fields += [name for name in FREE_TEXT_FIELDS if _hides(detail, getattr(complaint, name))]
    around = (
        ("timeline", complaint.timeline.all(), TIMELINE_TEXT),
        ("urges", complaint.urges.all(), URGE_TEXT),
        ("extensions", complaint.extensions.all(), EXTENSION_TEXT),
    )
    for name, rows, attrs in around:
        if any(_hides(detail, getattr(row, a)) for row in rows for a in attrs):
            fields.append(name)
    return fields


def _hides(redact: Redactor, value) -> bool:
    return redact(value) != value
