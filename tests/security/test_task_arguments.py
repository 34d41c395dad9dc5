"""Celery task arguments carry ids only, never personal data: whatever is queued
(Redis keeps it in plain text) must not contain a phone or ID number or a name."""

import json

import pytest
from celery.app.task import Task

from tests.complaints.helpers import register


@pytest.mark.django_db(transaction=True)
def test_queued_tasks_carry_ids_only(county, intake, monkeypatch):
    sent = []

    def record(self, args=None, kwargs=None, **options):
        sent.append((self.name, json.dumps([args, kwargs], ensure_ascii=False, default=str)))

    monkeypatch.setattr(Task, "apply_async", record)
    county.a1_handler.email = "h@example.com"
    county.a1_handler.save(update_fields=["email"])
    from complaints.sweep import deadline_sweep
    from complaints.workflow import complaint_act
    from reports.services import report_pack_request

    c = register(county, intake(is_major=True))
    complaint_act(
        actor=county.a_manager,
        complaint_id=c.pk,
        action="assign",
        institution=county.a_out1,
        handler=county.a1_handler,
    )
    deadline_sweep()
    report_pack_request(user=county.regulator, year=2026, quarter=3, root=county.pbc)
    assert sent, "expected tasks to be queued after commit"
    for name, payload in sent:
        for secret in ("13812345678", "110101199003074578", "李四", "幸福路"):
            assert secret not in payload, (name, payload)
