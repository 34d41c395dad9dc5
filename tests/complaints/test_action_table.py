"""The page offers exactly what the service accepts, for every role in every state.

For each situation a complaint can be in (the states, plus escalated, escalated as
major, reopened, with an extension pending, about a member of staff) and each user of
the county, the detail page's action forms (``data-offered-action``) are compared
with the actions ``complaint_act`` really performs with valid data (each attempt
rolled back). The two are derived from one table, so they can only disagree if a
rule is written somewhere the table does not see."""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import workflow
from complaints.errors import WorkflowError
from complaints.models import Complaint

from .helpers import complaint_in_state, jpeg_upload, merge_target, recording_ref, register

USERS = [
    "regulator",
    "other_regulator",
    "a_manager",
    "a_handler",
    "a1_handler",
    "a_teller",
    "a2_teller",
    "b_manager",
    "b_teller",
    "sysadmin",
]


def _act(actor, complaint, action, **data):
    return workflow.complaint_act(actor=actor, complaint_id=complaint.pk, action=action, **data)


def build(county, intake, situation: str) -> Complaint:
    if situation in ("escalated", "escalated_major"):
        c = complaint_in_state(county, intake(), "in_progress")
        return _act(
            county.a1_handler,
            c,
            "escalate",
            reason="超出网点权限",
            major=situation == "escalated_major",
        )
    if situation == "reopened":
        c = complaint_in_state(county, intake(), "answered")
        return _act(county.a_teller, c, "reopen", reason="客户不满意")
    if situation == "extension_pending":
        c = complaint_in_state(county, intake(), "in_progress")
        return _act(
            county.a1_handler,
            c,
            "request_extension",
            reason="需调取录像",
            requested_due_at=c.due_at + timedelta(days=3),
            customer_told=True,
        )
    if situation == "about_manager":
        # Bank A's manager is the person complained about; bank A's handler took it.
        return register(
            county,
            intake(complained_institution=county.bank_a, complained_staff=county.a_manager),
            actor=county.a_handler,
        )
    if situation == "paused":
        c = complaint_in_state(county, intake(), "in_progress")
        return _act(county.a1_handler, c, "pause", reason="appraisal", consumer_told_via="phone")
    if situation == "duplicate":
        # The same consumer files again while the first is being handled.
        complaint_in_state(county, intake(), "in_progress")
        return register(county, intake(description="再次投诉：排队时间过长"))
    if situation == "major_registered":
        return register(county, intake(is_major=True))
    if situation == "with_attachment":
        c = register(county, intake())
        return _act(county.a_teller, c, "attach", files=[jpeg_upload()], kind="receipt")
    return complaint_in_state(county, intake(), situation)


def valid(action: str, c: Complaint, county) -> dict:
    """Data the action's form would send that is valid for this complaint."""
    return {
        "refuse": {"reason": "not_financial", "note": "非金融业务"},
        "transfer": {"to": "县市场监督管理局", "reason": "不属于金融消费投诉"},
        "assign": {"institution": county.bank_a, "handler": county.a_handler},
        "start": {},
        "escalate": {"reason": "超出权限"},
        "request_extension": {
            "reason": "需调取监控录像",
            "requested_due_at": (c.due_at or timezone.now()) + timedelta(days=3),
            "customer_told": True,
        },
        "decide_extension": {"approve": True},
        "supervise": {"note": "请尽快办结"},
        "resolve": {
            "findings": "经调阅监控，情况属实",
            "is_valid": True,
            "measures": "向客户道歉",
            "staff_opinion": "批评教育",
        },
        "answer": {"method": "phone", "satisfaction": "satisfied"},
        "reopen": {"reason": "客户不满意"},
        "reverify": {"analysis": "客户认为道歉不够诚恳"},
        "log_contact": {"method": "phone", "summary": "电话告知客户处理进展"},
        "archive": {},
        "pause": {"reason": "testing", "consumer_told_via": "phone"},
        "resume": {},
        "extend_statutory": {
            "days": 60 if c.statutory_days >= 30 else 30,
            "reason": "情况复杂",
            "consumer_told_via": "phone",
        },
        "refile": {"new_facts": "新的交易流水"},
        "withdraw": {"withdrawn_on": timezone.localdate(), "channel": "letter"},
        "merge": {"primary": merge_target(c)},
        "attach": {"files": [jpeg_upload()], "kind": "receipt"},
        "attach_recording": recording_ref(c),
        "remove_attachment": {"attachment": c.attachments.first(), "reason": "误传"},
        # The consumer's own steps (portal): no member of staff may take them.
        "consumer_add": {"text": "补充说明"},
        "consumer_rate": {"satisfaction": "satisfied"},
        "consumer_reopen": {"comment": "不满意"},
    }[action]


class Rollback(Exception):
    pass


def accepted_by_service(user, complaint, county) -> set[str] | None:
    """The actions complaint_act performs for this user (None: not found)."""
    accepted = set()
    for name in workflow.ACTIONS:
        fresh = Complaint.objects.get(pk=complaint.pk)
        try:
            with transaction.atomic():
                _act(user, fresh, name, **valid(name, fresh, county))
                raise Rollback
        except Rollback:
            accepted.add(name)
        except Http404:
            return None
        except WorkflowError:
            pass
    return accepted


def offered_on_page(user, complaint) -> set[str] | None:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("complaints:detail", args=[complaint.pk]))
    if response.status_code == 404:
        return None
    assert response.status_code == 200
    return set(re.findall(r'data-offered-action="([a-z_]+)"', response.content.decode()))


SITUATIONS = [
    "registered",
    "assigned",
    "in_progress",
    "resolved",
    "answered",
    "archived",
    "refused",
    "transferred",
    "escalated",
    "escalated_major",
    "major_registered",
    "reopened",
    "extension_pending",
    "about_manager",
    "paused",
    "duplicate",
    "with_attachment",
]


@pytest.mark.parametrize("situation", SITUATIONS)
def test_page_offers_exactly_what_the_service_accepts(county, intake, situation):
    complaint = build(county, intake, situation)
    for who in USERS:
        user = getattr(county, who)
        offered = offered_on_page(user, complaint)
        accepted = accepted_by_service(user, complaint, county)
        assert offered == accepted, (situation, who, offered, accepted)


# What the agreement must amount to in the situations the rules are about (so the
# comparison above cannot pass by both sides offering nothing).
EXPECTED = {
    # Escalated to bank A: its manager and the office act; the outlet that took it
    # and its former handler no longer can (no refusal, answer or contact log from
    # below).
    ("escalated", "a_teller"): set(),
    ("escalated", "a1_handler"): set(),
    ("escalated", "a_manager"): {
        "refuse",
        "transfer",
        "assign",
        "request_extension",
        "supervise",
        "log_contact",
        "pause",
        "extend_statutory",
        "refile",
        "withdraw",
    },
    # A major complaint: refused or transferred only by the managers over it or the
    # office, never by the first responder (who still logs calls to the customer).
    ("major_registered", "a_teller"): {"log_contact", "withdraw"},
    ("escalated_major", "a_teller"): set(),
    # The person complained about may do nothing with the complaint about them. The
    # office supervises a bank's complaint but does not ask for an extension on it.
    ("about_manager", "a_manager"): set(),
    ("about_manager", "regulator"): {
        "refuse",
        "transfer",
        "assign",
        "supervise",
        "log_contact",
        "withdraw",
    },
    ("about_manager", "a_handler"): {"refuse", "transfer", "log_contact", "withdraw"},
    # A pending request: not offered again, decided by a manager other than its author.
    ("extension_pending", "a1_handler"): {
        "escalate",
        "resolve",
        "log_contact",
        "pause",
        "refile",
        "withdraw",
    },
    ("extension_pending", "a_manager"): {
        "escalate",
        "decide_extension",
        "supervise",
        "resolve",
        "log_contact",
        "pause",
        "extend_statutory",
        "refile",
        "withdraw",
    },
    # Reopened: re-verification first, resolve only after it.
    ("reopened", "a1_handler"): {
        "escalate",
        "request_extension",
        "reverify",
        "log_contact",
        "pause",
        "refile",
        "withdraw",
    },
    # Paused: resumed (not paused again) before it can be resolved.
    ("paused", "a1_handler"): {
        "escalate",
        "request_extension",
        "log_contact",
        "resume",
        "refile",
        "withdraw",
    },
    # Filed again while the first runs: the first responder may merge it.
    ("duplicate", "a_teller"): {"refuse", "transfer", "log_contact", "withdraw", "merge"},
    # With a file in the case file: the manager over it may remove it, the teller who
    # took the complaint adds files but removes none.
    ("with_attachment", "a_teller"): {"refuse", "transfer", "log_contact", "withdraw"},
    ("with_attachment", "b_manager"): None,
}
# Whoever logs contacts with the customer also adds to the case file (the same
# predicate, complaints.rules.can_attach_evidence).
CASE_FILE = {"attach", "attach_recording"}
for _key, _offered in EXPECTED.items():
    if _offered is not None and "log_contact" in _offered:
        _offered |= CASE_FILE
EXPECTED["with_attachment", "a_manager"] = {
    "refuse",
    "transfer",
    "assign",
    "escalate",
    "request_extension",
    "supervise",
    "log_contact",
    "pause",
    "extend_statutory",
    "refile",
    "withdraw",
    *CASE_FILE,
    "remove_attachment",
}


@pytest.mark.parametrize(("situation", "who"), list(EXPECTED))
def test_offered_actions_in_the_situations_the_rules_are_about(county, intake, situation, who):
    complaint = build(county, intake, situation)
    assert offered_on_page(getattr(county, who), complaint) == EXPECTED[situation, who]
