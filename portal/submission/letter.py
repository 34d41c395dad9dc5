"""投诉处理结果告知书: the result letter a consumer downloads from the enquiry page, as
a PDF drawn with fpdf2 and the CJK font the project ships (complaints.pdf): the facts
checked, the basis, the outcome, the money recovered and the remedies still open.
Texts pass the list-level masks, as on the enquiry page."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from fpdf import FPDF

from complaints.masking import LIST, Redactor, mask_name
from complaints.models import Complaint
from complaints.pdf import FAMILY, FONT, MARGIN


def _hotlines() -> str:
    from institutions.models import Institution

    numbers = sorted(
        set(
            Institution.objects.filter(kind="regulator", is_active=True)
            .exclude(hotline="")
            .values_list("hotline", flat=True)
        )
    )
    return "、".join(numbers or ["12363", "12378"])


OPENING = _lazy(
    "%(name)s：\n　　您于 %(date)s 通过网上投诉反映的关于%(inst)s的投诉事项，现将处理结果告知如下。"
)


def render(c: Complaint) -> bytes:
    redact = Redactor(c, LIST)
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGIN, 15, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font(FAMILY, fname=str(FONT))
    title = _("投诉处理结果告知书")
    pdf.set_title(f"{title} {c.tracking_no}")
    pdf.set_creator("complaints")
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(FAMILY, size=17)
    pdf.cell(width, 11, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=10)
    pdf.cell(width, 6, f"{_('投诉编号')}：{c.tracking_no}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FAMILY, size=11)
    received = timezone.localtime(c.received_at)
    pdf.multi_cell(
        width,
        6.5,
        OPENING
        % {
            "name": mask_name(c.complainant_name, LIST),
            "date": received.strftime("%Y-%m-%d"),
            "inst": c.complained_institution.name,
        },
        new_x="LMARGIN",
        new_y="NEXT",
    )
    money = c.money_recovered or 0
    sections = [
        (_("一、调查核实情况"), redact(c.findings) or _("（无）")),
        (
            _("二、认定依据"),
            _("经调查核实，本投诉认定为%(valid)s。")
            % {"valid": _("有效投诉") if c.is_valid else _("无效投诉")}
            if c.is_valid is not None
            else _("（无）"),
        ),
        (_("三、处理结果"), redact(c.measures) or _("（无）")),
        (_("四、答复内容"), redact(c.answer_note) or _("（无）")),
        (
            _("五、挽回经济损失"),
            _("%(amount)s 元") % {"amount": f"{money:,.2f}"} if money else _("不涉及"),
        ),
        (
            _("六、您还可以"),
            _(
                "如对处理结果有异议，您可以：（1）在收到答复后 %(days)s 日内通过投诉办理查询页面"
                "评价“不满意”，申请重新核查处理；（2）申请金融纠纷调解组织调解；"
                "（3）依据合同约定申请仲裁；（4）向人民法院提起诉讼；"
                "（5）拨打金融监管投诉热线 %(hotline)s 反映。"
            )
            % {
                "days": settings.CONSUMER_VERDICT_WINDOW_DAYS,
                "hotline": _hotlines(),
            },
        ),
    ]
    for heading, text in sections:
        pdf.ln(2)
        pdf.set_font(FAMILY, size=11.5)
        pdf.cell(width, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, size=10.5)
        pdf.multi_cell(width, 6, str(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font(FAMILY, size=11)
    pdf.cell(width, 7, c.handling_institution.name, align="R", new_x="LMARGIN", new_y="NEXT")
    answered = timezone.localtime(c.answered_at or timezone.now())
    pdf.cell(width, 7, answered.strftime("%Y-%m-%d"), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
