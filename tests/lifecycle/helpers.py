"""A closed complaint with personal data everywhere: fields, free text, the timeline,
an attachment, a recording reference, a consumer message and portal access."""

import datetime as dt
from zoneinfo import ZoneInfo

from complaints.workflow import complaint_act
from notifications.models import ConsumerMessage
from portal.models import ConsumerAccess
from tests.complaints.helpers import jpeg_upload, recording_ref, register, valid_data

TZ = ZoneInfo("Asia/Shanghai")
PHONE = "13812345678"
ID_NUMBER = "110101199003074578"
CARD = "6222020200112233445"
NAME = "李四"


def at(year, month, day, hour=10):
    return dt.datetime(year, month, day, hour, tzinfo=TZ)


def closed_complaint(county, intake, **overrides):
    """Registered, handled, answered and archived now (the caller freezes time)."""
    c = register(
        county,
        intake(
            description=f"{NAME}称卡号{CARD}被盗刷，联系电话{PHONE}，邮箱 lisi@example.com",
            demand=f"请退还款项，身份证{ID_NUMBER}",
            account_number=CARD,
            consumer_email="lisi@example.com",
            amount="1200.00",
            **overrides,
        ),
    )
    complaint_act(
        actor=county.a_teller,
        complaint_id=c.pk,
        action="attach",
        files=[jpeg_upload("李四身份证.jpg")],
        kind="id_copy",
        description=f"{NAME}的身份证复印件",
    )
    complaint_act(
        actor=county.a_teller,
        complaint_id=c.pk,
        action="attach_recording",
        **recording_ref(c),
    )
    for action in ("assign", "start"):
        actor = county.a1_handler if action == "start" else county.a_manager
        c = complaint_act(
            actor=actor, complaint_id=c.pk, action=action, **valid_data(action, c, county)
        )
    c = complaint_act(
        actor=county.a1_handler,
        complaint_id=c.pk,
        action="log_contact",
        method="phone",
        summary=f"致电{NAME}（{PHONE}），核对身份证{ID_NUMBER}",
    )
    for action in ("resolve", "answer", "archive"):
        actor = county.a1_handler if action == "resolve" else county.a_manager
        c = complaint_act(
            actor=actor, complaint_id=c.pk, action=action, **valid_data(action, c, county)
        )
    ConsumerMessage.objects.create(
        event="answered",
        channel="sms",
        phone=PHONE,
        body=f"尊敬的{NAME}，您的投诉{c.tracking_no}已答复。",
        reference=c.tracking_no,
    )
    ConsumerAccess.objects.create(complaint=c, code=f"C{c.pk:09d}", secret_hash="0" * 64)
    return c
