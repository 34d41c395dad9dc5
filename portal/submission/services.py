"""Writes of the consumer's side. Every change to a complaint goes through the staff's
services: ``complaint_register_online`` (the intake) and ``complaint_act`` (the one
transition service) acting as the portal's consumer account (complaints.consumer).
This module adds only what the public surface needs: the tracking code and secret,
the duplicate check and the enquiry log."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from complaints.consumer import consumer_actor
from complaints.effects import consumer_date
from complaints.enums import OPEN_STATES, Complexity
from complaints.errors import WorkflowError
from complaints.models import Complaint, HandlingCategory
from complaints.services import attachments_store, complaint_register_online
from complaints.validators import normalize_phone
from complaints.workflow import complaint_act
from institutions import tree
from institutions.models import Institution
from notifications.consumer import notify_consumer
from notifications.models import ConsumerEvent

from ..models import ConsumerAccess, Enquiry

#: Crockford's base32: no I, L, O or U, so a code read out or typed from a photo of
#: the screen is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 bits: codes cannot be walked (they are not the secret)
SECRET_LENGTH = 16  # 80 bits: the secret, at least 60 bits of entropy
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize_token(value: str) -> str:
    """A code or secret as typed: case, spaces, hyphens and the letters Crockford
    folds (O→0, I/L→1) do not matter."""
    value = re.sub(r"[\s\-]", "", (value or "").upper()).translate(_TYPED)
    return value if all(ch in ALPHABET for ch in value) else ""


def hash_secret(secret: str) -> str:
    return hashlib.sha256(normalize_token(secret).encode()).hexdigest()


def address_hash(address: str) -> str:
    """An address as the enquiry log keeps it: keyed, so the 2³² IPv4 addresses
    cannot be tried against the log."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"portal-address:{address}".encode(), hashlib.sha256).hexdigest()


def phone_last4(phone: str) -> str:
    return re.sub(r"\D", "", (phone or "").split("-")[0])[-4:]


def display_secret(secret: str) -> str:
    return "-".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class DuplicateComplaint(WorkflowError):
    """The same phone already has an open complaint about the same bank."""


@dataclass(frozen=True)
class Submitted:
    complaint: Complaint
    access: ConsumerAccess
    secret: str  # shown once, never stored
    warnings: list[str]


def default_category() -> HandlingCategory:
    """The handling category an online complaint starts in
    (``settings.PORTAL_DEFAULT_CATEGORY``; staff may re-classify it). A simple one
    by default, so the promise the consumer reads is the ordinary one."""
    name = getattr(settings, "PORTAL_DEFAULT_CATEGORY", "")
    category = HandlingCategory.objects.filter(name=name).first() if name else None
    category = category or HandlingCategory.objects.filter(complexity=Complexity.SIMPLE).first()
    if category is None:
        raise WorkflowError(_("系统尚未配置投诉处理类别，请致电投诉电话。"), code="no_category")
    return category


def open_duplicate(*, phone: str, institution: Institution) -> Complaint | None:
    """An open complaint by the same phone about the same bank (the complained-about
    institution's whole tree from its top node): the consumer is told, and no second
    complaint is created — they add to the open one through the enquiry instead."""
    root_id = tree.ancestor_ids(institution)[0]
    root = Institution.objects.get(pk=root_id)
    return (
        Complaint.objects.filter(
            tree.subtree_q(root, "complained_institution"),
            complainant_phone=phone,
            status__in=OPEN_STATES,
        )
        .order_by("-received_at")
        .first()
    )


def _new_access(complaint: Complaint) -> tuple[ConsumerAccess, str]:
    secret = _random(SECRET_LENGTH)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                access = ConsumerAccess.objects.create(
                    complaint=complaint, code=_random(CODE_LENGTH), secret_hash=hash_secret(secret)
                )
            return access, secret
        except IntegrityError:  # a code already taken (one in 2⁵⁰ per existing code)
            continue
    raise RuntimeError("could not draw a free tracking code")


@transaction.atomic
@transaction.atomic
def online_complaint_submit(*, data: dict, files=()) -> Submitted:
    """网上投诉: register the consumer's complaint through the intake service (channel
    网络, consumer-submitted, in the complained-about institution's queue with its
    deadline), store the evidence files, and issue the tracking code and secret.

    Raises DuplicateComplaint when the phone has an open complaint about the same
    bank, WorkflowError for anything else refused; nothing is written then."""
    try:
        phone = normalize_phone(data["complainant_phone"])
    except Exception:
        raise WorkflowError(_("请填写正确的手机号或带区号的固定电话。"), code="phone") from None
    institution = data["complained_institution"]
    if open_duplicate(phone=phone, institution=institution) is not None:
        raise DuplicateComplaint(
            _(
                "该电话号码已有一件正在办理中的同一机构投诉，未重复登记。"
                "如需补充情况或材料，请使用受理时收到的查询码在“投诉办理查询”中补充。"
            ),
            code="duplicate",
        )
    complaint, warnings = complaint_register_online(
        data={**data, "complainant_phone": phone, "category": default_category()}
    )
    # The evidence belongs to the registration itself (no separate 补充材料 row).
    attachments_store(complaint=complaint, files=files, source="consumer", uploaded_by=None)
    access, secret = _new_access(complaint)
    if complaint.notify_consent:
        _send_acceptance(complaint, access, secret)
    return Submitted(complaint, access, secret, warnings)


def _send_acceptance(complaint: Complaint, access: ConsumerAccess, secret: str) -> None:
    """The acceptance SMS / e-mail, with the code and the secret (the only other time
    the secret exists in clear): queued in this transaction, sent after it commits,
    its stored body blanked once delivered."""
    message = acceptance_message(access, secret)
    notify_consumer(
        event=ConsumerEvent.ACCEPTED_ONLINE,
        phone=complaint.complainant_phone,
        email=complaint.consumer_email,
        context={
            "tracking_code": message["code"],
            "secret": message["secret"],
            # The link opens the case directly: the secret rides in the fragment.
            "enquiry_url": message["link"],
            "institution": complaint.complained_institution.display_name,
            "due_date": consumer_date(complaint.due_at),
        },
        reference=complaint.tracking_no,
        sensitive=True,
    )


def acceptance_message(access: ConsumerAccess, secret: str) -> dict:
    """What the acceptance SMS / e-mail says besides its fixed text: the tracking
    code, the secret and the link to the enquiry page. The secret rides in the
    link's fragment (after ``#``), which browsers never send to the server, so it
    reaches no access log; the page's script moves it into the enquiry form.

    The acceptance message's context is built from it (``_send_acceptance``)."""
    path = reverse("portal:track")
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return {
        "code": access.display_code,
        "secret": display_secret(secret),
        "tracking_no": access.complaint.tracking_no,
        "link": f"{base}{path}#{access.code}.{secret}",
        "enquiry_url": f"{base}{path}",
    }


def access_check(*, code: str, phone_last4_or_secret: str) -> ConsumerAccess | None:
    """The access for a code if the second factor matches — the secret, or the last
    four digits of the complainant's phone — else None. A wrong code and a wrong
    second factor are indistinguishable to the caller; both do one lookup."""
    code = normalize_token(code)
    answer = re.sub(r"[\s\-]", "", phone_last4_or_secret or "")
    access = (
        ConsumerAccess.objects.select_related("complaint").filter(code=code).first()
        if len(code) == CODE_LENGTH
        else None
    )
    if access is None:
        hmac.compare_digest(hash_secret(answer), "0" * 64)  # same work as a real check
        return None
    if len(answer) == 4 and answer.isdigit():
        ok = hmac.compare_digest(phone_last4(access.complaint.complainant_phone), answer)
    else:
        ok = hmac.compare_digest(hash_secret(answer), access.secret_hash)
    return access if ok else None


def enquiry_record(*, access: ConsumerAccess, method: str, address: str) -> Enquiry:
    """Every successful enquiry leaves one row (when, which complaint, how, from a
    hashed address)."""
    return Enquiry.objects.create(
        complaint=access.complaint, method=method, address_hash=address_hash(address)
    )


def consumer_add(*, access: ConsumerAccess, text: str, files=()) -> Complaint:
    """补充材料 through the workflow (timeline row, the handler notified)."""
    return complaint_act(
        actor=consumer_actor(),
        complaint_id=access.complaint_id,
        action="consumer_add",
        text=text,
        files=files,
    )


def consumer_verdict(*, access: ConsumerAccess, satisfaction: str, comment: str = "") -> Complaint:
    """The consumer's verdict on the answer: 满意 / 基本满意 recorded as the consumer's
    own rating; 不满意 reopens the complaint (re-verification required)."""
    if satisfaction == "unsatisfied":
        return complaint_act(
            actor=consumer_actor(),
            complaint_id=access.complaint_id,
            action="consumer_reopen",
            comment=comment,
        )
    return complaint_act(
        actor=consumer_actor(),
        complaint_id=access.complaint_id,
        action="consumer_rate",
        satisfaction=satisfaction,
        comment=comment,
    )
