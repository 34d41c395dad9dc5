"""Demo measures and rectification items (called by ``supervision.demo.seed``): the
office talks to the Agricultural Bank's county branch, orders the rural commercial
bank to stop tying wealth products to loans (an item the bank has answered, waiting
for the office's acceptance), and the Agricultural Bank's manager traces the
mistyped-account complaint to its outlet. Idempotent: keyed on the measures' texts
and the item's complaint."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from complaints.models import Complaint
from institutions.models import Institution, User

from . import services
from .models import Measure, RectificationItem
from .workflow import rectification_act

TALK = "约谈农行清河县支行分管行长，通报一季度投诉处理超时情况"
ORDER = "专项检查发现城区支行营业室在个人贷款业务中搭售理财产品"


def seed(*, supervisor: User, violation: Complaint | None, typical: Complaint | None) -> None:
    by_code = {i.code: i for i in Institution.objects.filter(code__in=["ABC-QH", "RCB-QH"])}
    today = timezone.localdate()
    if "ABC-QH" in by_code and not Measure.objects.filter(content=TALK).exists():
        services.measure_record(
            actor=supervisor,
            data=services.MeasureData(
                institution_id=by_code["ABC-QH"].pk,
                kind="persuasion",
                taken_on=today - timedelta(days=20),
                basis="《中国人民银行金融消费者权益保护实施办法》第五十八条",
                content=TALK,
            ),
        )
    if "RCB-QH" in by_code and not Measure.objects.filter(content=ORDER).exists():
        measure = services.measure_record(
            actor=supervisor,
            data=services.MeasureData(
                institution_id=by_code["RCB-QH"].pk,
                kind="rectify_order",
                taken_on=today - timedelta(days=7),
                basis="《中国人民银行金融消费者权益保护实施办法》第二十条、第五十八条",
                content=ORDER,
                complaint_numbers=violation.tracking_no if violation else "",
                requirement="立即停止搭售行为，对近一年个人贷款业务开展自查，退还相关费用并报送整改报告。",
                working_days=20,
            ),
        )
        manager = User.objects.filter(username="rcb_manager").first()
        item = measure.items.first()
        if manager is not None and item is not None:
            rectification_act(
                actor=manager,
                item_id=item.pk,
                action="answer",
                response="已停止搭售并完成自查，共退还费用 3 笔，相关人员已问责并组织培训。",
            )
    manager = User.objects.filter(username="abc_manager").first()
    if (
        manager is not None
        and typical is not None
        and typical.complained_institution.parent_id == manager.institution_id
        and not RectificationItem.objects.filter(complaint=typical).exists()
    ):
        services.rectification_open(
            actor=manager,
            data=services.ItemData(
                institution_id=typical.complained_institution_id,
                source="complaint",
                complaint_id=typical.pk,
                requirement="落实转账业务双人复核，组织柜员学习本案例并报送学习记录。",
                working_days=10,
            ),
        )
