"""What a consumer sees of their complaint: its progress, dates, due time and any
extension with its reason, the answer — never a member of staff's name, an internal
note (urges, contact logs, re-verification, the staff opinion) or a personal value in
full. Texts pass the list-level masks (complaints.masking)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from complaints import masking
from complaints.consumer import consumer_actor
from complaints.enums import AttachmentSource, ComplaintStatus, TimelineAction
from complaints.masking import LIST, Redactor
from complaints.models import Complaint, ComplaintAttachment, ExtensionRequest
from complaints.workflow import ACTIONS, refusal
from institutions import tree
from institutions.models import Institution

from ..models import ConsumerAccess

S = ComplaintStatus
#: The consumer's words for where the case stands.
STAGES = {
    S.REGISTERED: _("已受理，等待分派处理人员"),
    S.ASSIGNED: _("已分派处理人员"),
    S.IN_PROGRESS: _("正在调查处理"),
    S.RESOLVED: _("已办结，等待答复您"),
    S.ANSWERED: _("已答复"),
    S.ARCHIVED: _("已办结归档"),
    S.REFUSED: _("不予受理"),
    S.TRANSFERRED: _("已移送其他单位"),
}


@dataclass(frozen=True)
class Addition:
    at: datetime
    text: str
    files: int


@dataclass(frozen=True)
class ConsumerCase:
    code: str
    tracking_no: str
    status: str
    stage: str
    is_open: bool
    institution: str
    name: str
    phone: str
    received_at: datetime
    assigned_at: datetime | None
    answered_at: datetime | None
    due_at: datetime | None
    due_provisional: bool
    extension_reason: str
    extension_previous_due: datetime | None
    answer: str
    findings: str
    measures: str
    money_recovered: Decimal
    refusal: str
    reopen_count: int
    satisfaction: str
    rated_by_consumer: bool
    files: int
    additions: list[Addition]
    may_add: bool
    may_rate: bool
    rate_refusal: str


def access_by_id(pk) -> ConsumerAccess | None:
    return ConsumerAccess.objects.select_related("complaint").filter(pk=pk).first()


def consumer_case(access: ConsumerAccess) -> ConsumerCase:
    """The enquiry page's content for one complaint."""
    c = (
        Complaint.objects.select_related("complained_institution")
        .prefetch_related("extensions")
        .get(pk=access.complaint_id)
    )
    redact = Redactor(c, LIST)
    approved = max(
        (e for e in c.extensions.all() if e.decision == ExtensionRequest.Decision.APPROVED),
        key=lambda e: e.decided_at,
        default=None,
    )
    actor = consumer_actor()
    rate_refused = refusal(actor, c, ACTIONS["consumer_rate"])
    additions = [
        Addition(t.created_at, redact(t.note), len(t.payload.get("attachments", [])))
        for t in c.timeline.filter(action=TimelineAction.CONSUMER_ADD).order_by("created_at")
    ]
    answered = c.status in (S.ANSWERED, S.ARCHIVED)
    return ConsumerCase(
        code=access.display_code,
        tracking_no=c.tracking_no,
        status=c.status,
        stage=str(STAGES.get(c.status, c.get_status_display())),
        is_open=c.is_open,
        institution=c.complained_institution.name,
        name=masking.mask_name(c.complainant_name, LIST),
        phone=masking.mask_phone(c.complainant_phone, LIST),
        received_at=c.received_at,
        assigned_at=c.assigned_at,
        answered_at=c.answered_at,
        due_at=c.due_at,
        due_provisional=c.due_provisional,
        extension_reason=redact(approved.reason) if approved else "",
        extension_previous_due=approved.previous_due_at if approved else None,
        answer=redact(c.answer_note) if answered else "",
        findings=redact(c.findings) if answered else "",
        measures=redact(c.measures) if answered else "",
        money_recovered=c.money_recovered if answered else Decimal(0),
        refusal=redact(c.refusal_note or c.get_refusal_reason_display())
        if c.status == S.REFUSED
        else "",
        reopen_count=c.reopen_count,
        satisfaction=c.get_satisfaction_display() if c.satisfaction else "",
        rated_by_consumer=c.satisfaction_source == "consumer",
        files=consumer_files(c).count(),
        additions=additions,
        may_add=refusal(actor, c, ACTIONS["consumer_add"]) is None,
        may_rate=rate_refused is None,
        rate_refusal=str(rate_refused.message) if rate_refused and answered else "",
    )


def consumer_files(complaint: Complaint) -> QuerySet[ComplaintAttachment]:
    return complaint.attachments.filter(source=AttachmentSource.CONSUMER, removed_at__isnull=True)


def complaint_for_letter(access: ConsumerAccess) -> Complaint:
    return Complaint.objects.select_related("complained_institution", "handling_institution").get(
        pk=access.complaint_id
    )


def institution_choices() -> list:
    """The institutions a consumer can complain about, grouped by bank: each group
    starts with the bank itself ("不清楚具体网点": the bank's own managers route it)
    and lists its branches and outlets below, indented by depth. Active institutions
    only, never a supervising office."""
    nodes = list(
        Institution.objects.filter(is_active=True)
        .exclude(kind="regulator")
        .only("pk", "name", "short_name", "path", "depth", "parent_id")
        .order_by("path")
    )
    groups: list = []
    roots: dict[int, list] = {}
    depth0: dict[int, int] = {}
    for node in nodes:
        root_id = tree.ancestor_ids(node)[0] if node.path else node.pk
        if root_id not in roots:
            if root_id != node.pk:
                continue  # its top node is inactive or an office: not offered
            roots[root_id] = []
            depth0[root_id] = node.depth
            label = _("%(bank)s（不清楚具体网点）") % {"bank": node.name}
            roots[root_id].append((node.pk, label))
            groups.append((node.name, roots[root_id]))
            continue
        indent = "　" * max(0, node.depth - depth0[root_id] - 1)
        roots[root_id].append((node.pk, f"{indent}{node.name}"))
    return groups
