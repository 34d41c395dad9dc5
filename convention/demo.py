"""Demo convention: the county office's 2026 version, signed by three banks; the
city commercial bank and the village bank have not signed yet, so the office's
"unsigned" list shows something. Idempotent."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from institutions.models import Institution, User

from . import services
from .models import ConventionSignature, ConventionVersion

LABEL = "2026年版"
TEXT = (
    "为切实保护金融消费者合法权益，营造公平公正的金融消费环境，"
    "辖区各金融机构共同订立本公约。\n\n"
    "第一条 依法合规经营，尊重金融消费者的财产安全权、知情权、自主选择权、"
    "公平交易权、依法求偿权、受教育权、受尊重权和信息安全权。\n"
    "第二条 建立健全消费者权益保护工作机制，将消费者权益保护纳入公司治理、"
    "企业文化和经营发展战略。\n"
    "第三条 畅通投诉渠道，在营业网点公示投诉电话、受理部门和处理时限，"
    "依法及时处理金融消费者投诉。\n"
    "第四条 不搭售、不误导、不违规收费，充分披露产品和服务信息，做好适当性管理。\n"
    "第五条 加强员工消费者权益保护培训，开展金融知识宣传教育。\n"
    "第六条 自觉接受监管部门和社会公众监督，对违反本公约的行为及时整改。"
)

SIGNERS = {
    "ICBC-QH": ("孙立新", "行长"),
    "RCB-QH": ("郑国强", "董事长"),
    "ABC-QH": ("钱卫东", "行长"),
}


@transaction.atomic
def seed(stdout=None) -> None:
    supervisor = User.objects.filter(username="pbc_supervisor").first()
    if supervisor is None:
        return
    version = ConventionVersion.objects.filter(
        office_id=supervisor.institution_id, label=LABEL
    ).first()
    if version is None:
        version = services.convention_publish(
            actor=supervisor, label=LABEL, text=TEXT, effective_on=date(2026, 1, 1)
        )
    for inst in Institution.objects.filter(code__in=SIGNERS):
        if ConventionSignature.objects.filter(institution=inst, version=version).exists():
            continue
        name, title = SIGNERS[inst.code]
        services.convention_sign(
            actor=supervisor,
            data=services.SignatureData(
                institution_id=inst.pk,
                version_id=version.pk,
                signed_on=date(2026, 1, 15),
                signer_name=name,
                signer_title=title,
            ),
        )
    if stdout:
        stdout.write("演示公约及签署情况已载入。")
