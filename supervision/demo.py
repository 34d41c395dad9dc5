"""Demo data for the regulator's desk: the county office writes up the demo's answered
complaint (a mistyped payee account) as a typical case and circulates it to every
bank of the county, and opens an enforcement inspection from the tie-in-sale
complaint. Idempotent: keyed on the complaints, whose write-up and inspection are
created once; circulating again changes nothing."""

from __future__ import annotations

from django.db import transaction

from complaints.models import Complaint
from institutions.models import User

from . import selectors, services
from .enums import EnforcementKind, TypicalCaseCategory
from .measures import demo as measures_demo
from .models import EnforcementCase, TypicalCase

TYPICAL_TEXT = "转账时柜员录错收款账号"
VIOLATION_TEXT = "贷款时被要求购买理财产品"


@transaction.atomic
def seed(stdout=None) -> None:
    supervisor = User.objects.filter(username="pbc_supervisor").first()
    if supervisor is None:
        return
    answered = Complaint.objects.filter(
        description__startswith=TYPICAL_TEXT, status__in=("answered", "archived")
    ).first()
    if answered is not None:
        case = TypicalCase.objects.filter(complaint=answered).first()
        if case is None:
            case = services.typical_case_create(
                actor=supervisor,
                complaint_id=answered.pk,
                data=services.TypicalCaseData(
                    title="柜员录错收款账号致转账资金延误",
                    category=TypicalCaseCategory.TYPICAL,
                    cause_analysis=(
                        "柜员办理转账业务时未执行“唱收唱付”和复核要求，录入收款账号错误，"
                        "资金被退回，延误两天到账。根源在于临柜复核制度执行不到位。"
                    ),
                    handling_process=(
                        "网点当日受理，支行消保管理员分办至投诉处理人员；经调阅凭证核实系柜员"
                        "录入错误，向客户道歉并补偿手续费 50 元，当日电话反馈，客户满意。"
                    ),
                    lessons=(
                        "一、严格执行转账业务双人复核；二、对收款信息请客户当面确认；"
                        "三、将本案例纳入新员工和柜员季度培训。"
                    ),
                    published=True,
                ),
            )
        banks = [
            row for row in selectors.board_rows(supervisor, supervisor.institution) if row.is_active
        ]
        services.typical_case_circulate(
            actor=supervisor,
            case_id=case.pk,
            institutions=banks,
            note="请各机构组织学习，举一反三，并于本周内在案例库中确认阅知。",
        )
    violation = Complaint.objects.filter(description__startswith=VIOLATION_TEXT).first()
    if violation is not None and not EnforcementCase.objects.filter(complaint=violation).exists():
        services.enforcement_open(
            actor=supervisor,
            complaint_id=violation.pk,
            kind=EnforcementKind.SPECIAL,
            summary="投诉反映贷款搭售理财产品，涉嫌违反“七不准”规定，对该行信贷业务开展专项检查。",
        )
    measures_demo.seed(supervisor=supervisor, violation=violation, typical=answered)
    if stdout:
        stdout.write("演示督查数据（典型案例、通报、诉转案、监管措施、整改事项）已载入。")
