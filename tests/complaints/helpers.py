"""Building complaints in a given state through the real workflow."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from complaints import services
from complaints.workflow import complaint_act


def jpeg_upload(name: str = "receipt.jpg", size=(40, 30), exif: bytes = b"") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def recording_ref(complaint) -> dict:
    start = max(complaint.received_at, timezone.now() - timedelta(hours=1))
    return {
        "system": "营业厅双录系统",
        "identifier": "REC-2026-0001",
        "starts_at": start,
        "ends_at": start + timedelta(minutes=5),
        "sha256": "a" * 64,
    }


def valid_data(action: str, complaint, county) -> dict:
    """A valid payload for each action (as a form would send it)."""
    return {
        "refuse": {"reason": "not_financial", "note": "非金融业务"},
        "transfer": {"to": "县市场监督管理局", "reason": "不属于金融消费投诉"},
        "assign": {"institution": county.a_out1, "handler": county.a1_handler},
        "start": {"note": ""},
        "escalate": {"reason": "超出网点处理权限"},
        "request_extension": {
            "reason": "需调取监控录像",
            "requested_due_at": (complaint.due_at or timezone.now()) + timedelta(days=3),
            "customer_told": True,
        },
        "decide_extension": {"approve": True, "note": "同意"},
        "supervise": {"note": "请尽快办结", "expected_by": None},
        "resolve": {
            "findings": "经调阅监控，情况属实",
            "is_valid": True,
            "measures": "向客户道歉并加强培训",
            "money_recovered": Decimal("0"),
            "staff_opinion": "",
        },
        "answer": {"method": "phone", "satisfaction": "satisfied", "note": "已电话告知"},
        "reopen": {"reason": "客户对处理结果不满意"},
        "reverify": {"analysis": "客户认为道歉不够诚恳，已重新核实"},
        "log_contact": {"method": "phone", "summary": "电话告知客户处理进展"},
        "archive": {"note": ""},
        # The statutory clock, withdrawal and merging (complaints.clock).
        "pause": {"reason": "appraisal", "consumer_told_via": "phone", "note": "送司法鉴定"},
        "resume": {"note": "鉴定结论已出"},
        "extend_statutory": {
            "days": 60 if complaint.statutory_days >= 30 else 30,
            "reason": "情况复杂，需调取多方资料",
            "consumer_told_via": "phone",
        },
        "refile": {"new_facts": "客户提供了新的交易流水"},
        "withdraw": {"withdrawn_on": timezone.localdate(), "channel": "phone"},
        "merge": {"primary": merge_target(complaint), "note": "同一事项再次投诉"},
        "attach": {"files": [jpeg_upload()], "kind": "receipt", "description": "转账回单"},
        "attach_recording": recording_ref(complaint),
        "remove_attachment": {"attachment": complaint.attachments.first(), "reason": "误传"},
        # The consumer's own steps (portal): no member of staff may take them.
        "consumer_add": {"text": "补充说明"},
        "consumer_rate": {"satisfaction": "satisfied"},
        "consumer_reopen": {"comment": "不满意"},
    }[action]


def merge_target(complaint):
    """Another open complaint of the same consumer, if any (the merge's primary)."""
    from complaints.enums import OPEN_STATES
    from complaints.models import Complaint

    return (
        Complaint.objects.filter(
            complainant_phone=complaint.complainant_phone, status__in=OPEN_STATES
        )
        .exclude(pk=complaint.pk)
        .order_by("received_at", "pk")
        .first()
    )


PATH = ["assign", "start", "resolve", "answer", "archive"]
STATE_AFTER = {
    "registered": [],
    "assigned": ["assign"],
    "in_progress": ["assign", "start"],
    "resolved": ["assign", "start", "resolve"],
    "answered": ["assign", "start", "resolve", "answer"],
    "archived": ["assign", "start", "resolve", "answer", "archive"],
}


def register(county, data, actor=None):
    complaint, _ = services.complaint_register(actor=actor or county.a_teller, data=data)
    return complaint


def complaint_in_state(county, data, state: str):
    c = register(county, data)
    if state == "refused":
        return complaint_act(
            actor=county.a_manager,
            complaint_id=c.pk,
            action="refuse",
            **valid_data("refuse", c, county),
        )
    if state == "transferred":
        return complaint_act(
            actor=county.a_manager,
            complaint_id=c.pk,
            action="transfer",
            **valid_data("transfer", c, county),
        )
    for action in STATE_AFTER[state]:
        actor = county.a1_handler if action in ("start", "resolve") else county.a_manager
        c = complaint_act(
            actor=actor, complaint_id=c.pk, action=action, **valid_data(action, c, county)
        )
    return c
