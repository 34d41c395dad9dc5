"""A complaint whose every free text carries card, account, mobile and ID numbers, built
through the real workflow, and what each level of masking shows of them."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from complaints.workflow import complaint_act

from .helpers import register

CARD = "6222021234567890123"  # 19 digits
CARD_GROUPED = "6222 0212 3456 7890 123"
ACCOUNT = "1234567890123"  # 13 digits, fails Luhn: found by its keyword (账号)
MOBILE = "13900001111"  # not the complainant's
ID_X = "11010519491231002X"  # valid, not the complainant's
ACCOUNT_FIELD = "6217000012345678901"  # the structured account_number

FULL = [CARD, ACCOUNT, MOBILE, ID_X, ACCOUNT_FIELD]
MASKS = {
    "list": {
        CARD: "***************0123",
        ACCOUNT: "*********0123",
        MOBILE: "139****1111",
        ID_X: "1****************X",
        ACCOUNT_FIELD: "***************8901",
    },
    "detail": {
        CARD: "622202*********0123",
        ACCOUNT: "*********0123",
        MOBILE: "139****1111",
        ID_X: "110105********002X",
        ACCOUNT_FIELD: "621700*********8901",
    },
}
TRACKING_REF = "A-OUT1-20261126-007"

DESCRIPTION = (
    f"卡号{CARD}被盗刷，账号：{ACCOUNT}。家属电话{MOBILE}，身份证{ID_X}。"
    f"参考 {TRACKING_REF}，2026-11-26 扣款 5000 元。"
)


def complaint_with_numbers(county, intake):
    """Registered by a_teller at A-OUT1, assigned to a1_handler, extended, urged,
    resolved, answered (unsatisfied), reopened and re-verified: in progress, with a
    number in every text the detail page, print form and API show."""
    c = register(
        county,
        intake(
            description=DESCRIPTION,
            demand=f"退回卡号 {CARD_GROUPED} 的损失",
            account_number=ACCOUNT_FIELD,
        ),
    )

    def act(actor, action, **data):
        return complaint_act(actor=actor, complaint_id=c.pk, action=action, **data)

    act(
        county.a_manager,
        "assign",
        institution=county.a_out1,
        handler=county.a1_handler,
        note=f"请核实卡号{CARD}",
    )
    act(county.a1_handler, "start", note="")
    c.refresh_from_db()
    act(
        county.a1_handler,
        "request_extension",
        reason=f"需调取账号：{ACCOUNT} 的流水",
        requested_due_at=c.due_at + timedelta(days=3),
        customer_told=True,
    )
    act(county.a_manager, "decide_extension", approve=True, note=f"同意，已联系{MOBILE}")
    # Urged two days ago to be done by yesterday: on the office's overdue-urge list.
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        act(
            county.regulator,
            "supervise",
            note=f"请尽快核实卡号 {CARD_GROUPED}",
            expected_by=timezone.localdate() + timedelta(days=1),
        )
    act(
        county.a1_handler,
        "resolve",
        findings=f"经核实卡号{CARD}确被盗刷",
        is_valid=True,
        measures=f"冻结账号：{ACCOUNT}",
        staff_opinion="",
    )
    answer = {"method": "phone", "satisfaction": "unsatisfied", "note": f"已致电{MOBILE}"}
    act(county.a1_handler, "answer", **answer)
    act(county.a_manager, "reopen", reason=f"客户称身份证{ID_X}被冒用")
    return act(county.a1_handler, "reverify", analysis=f"再次核对账号：{ACCOUNT}")
