"""Demo training records: the county office's annual consumer-protection training
attended by staff of two banks (accounts and a name typed in), and the agricultural
bank's own session for its tellers. Idempotent: keyed on the topics."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from institutions.models import Institution, User

from . import services
from .models import TrainingSession

OFFICE_TOPIC = "金融消费者权益保护实施办法及投诉处理规范培训"
BANK_TOPIC = "柜面投诉首问负责与唱收唱付操作规范"


@transaction.atomic
def seed(stdout=None) -> None:
    wanted = (
        "pbc_supervisor",
        "abc_manager",
        "abc_handler",
        "abc_teller",
        "rcb_teller",
        "icbc_teller",
    )
    users = {u.username: u for u in User.objects.filter(username__in=wanted)}
    supervisor, manager = users.get("pbc_supervisor"), users.get("abc_manager")
    if supervisor is None or manager is None:
        return
    today = timezone.localdate()
    if not TrainingSession.objects.filter(topic=OFFICE_TOPIC).exists():
        staff = [users[n].pk for n in ("abc_teller", "rcb_teller", "icbc_teller") if n in users]
        outlet = Institution.objects.filter(code="RCB-QH-0201").first()
        services.training_record(
            actor=supervisor,
            data=services.SessionData(
                organiser_id=supervisor.institution_id,
                held_on=today - timedelta(days=30),
                topic=OFFICE_TOPIC,
                hours=Decimal("3.0"),
                content=(
                    "《中国人民银行金融消费者权益保护实施办法》解读；"
                    "投诉分类标准（JR/T 0250）；典型案例。"
                ),
                staff_ids=staff,
                named=[("孙晓梅", outlet.pk)] if outlet else [],
            ),
        )
    if not TrainingSession.objects.filter(topic=BANK_TOPIC).exists():
        staff = [users[n].pk for n in ("abc_teller", "abc_handler") if n in users]
        services.training_record(
            actor=manager,
            data=services.SessionData(
                organiser_id=manager.institution_id,
                held_on=today - timedelta(days=10),
                topic=BANK_TOPIC,
                hours=Decimal("1.5"),
                staff_ids=staff,
            ),
        )
    if stdout:
        stdout.write("演示培训记录已载入。")
