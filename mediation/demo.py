"""Demo data for mediation: the county office's mediator roster (two mediators) and
one mediation of an answered complaint, with both parties' consent and a first
session recorded. Idempotent: nothing is added once a mediation exists."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint
from institutions.models import User

from . import services
from .models import MediationCase, Mediator
from .workflow import mediation_act


@transaction.atomic
def seed(stdout=None) -> None:
    supervisor = User.objects.filter(username="pbc_supervisor").first()
    if supervisor is None or supervisor.institution is None:
        return
    office = supervisor.institution
    if not Mediator.objects.filter(office=office).exists():
        Mediator.objects.create(office=office, name="赵明", organisation="县金融纠纷调解委员会")
        Mediator.objects.create(office=office, name="钱丽", organisation="县司法局人民调解中心")
    if MediationCase.objects.exists():
        return
    complaint = (
        Complaint.objects.filter(status="answered", mediation_since__isnull=True)
        .order_by("pk")
        .first()
    )
    if complaint is None:
        return
    case = services.mediation_open(
        actor=supervisor,
        complaint_id=complaint.pk,
        data=services.Application(
            applied_on=timezone.localdate(),
            request="消费者对答复不满意，请求调解退还相关费用并赔礼道歉。",
            procedure="simple",
            mode="on_site",
        ),
    )
    for party in ("consumer", "institution"):
        mediation_act(actor=supervisor, case_id=case.pk, action="consent", party=party, agreed=True)
    mediator = Mediator.objects.filter(office=office, active=True).order_by("pk").first()
    mediation_act(actor=supervisor, case_id=case.pk, action="assign_mediator", mediator=mediator)
    mediation_act(
        actor=supervisor,
        case_id=case.pk,
        action="session",
        held_at=timezone.now() - timedelta(hours=2),
        mode="on_site",
        place="县支行消保办调解室",
        participants="申请人；被申请机构消保管理员；调解员赵明",
        statements="申请人陈述诉求；机构说明处理经过，同意进一步沟通。",
        offers="调解员建议机构退还手续费，双方约定三日内再次调解。",
    )
    if stdout:
        stdout.write("演示调解数据（调解员名册、一件调解）已载入。")
