from django.db import models
from django.utils.translation import gettext_lazy as _

# The intake channel is vocabulary the deadline rules are bound to, so it lives in the
# lower app (deadlines) and is re-exported here, where complaints use it.
from deadlines.enums import IntakeSource


class ComplaintStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ASSIGNED = "assigned", _("已分办")
    IN_PROGRESS = "in_progress", _("处理中")
    RESOLVED = "resolved", _("已办结")
    ANSWERED = "answered", _("已反馈")
    ARCHIVED = "archived", _("已归档")
    REFUSED = "refused", _("不予受理")
    TRANSFERRED = "transferred", _("已移送")
    # The consumer withdrew the complaint (撤诉); the case ended the day it was received.
    WITHDRAWN = "withdrawn", _("已撤诉")
    # Filed again with no new facts: closed into the open complaint it repeats.
    MERGED = "merged", _("已合并")


S = ComplaintStatus
#: Not yet answered: the service promise (due time) still runs.
OPEN_STATES = (S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED)
#: Someone is working on it; extensions and urges make sense.
ACTIVE_STATES = (S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS)
CLOSED_STATES = (S.ANSWERED, S.ARCHIVED, S.REFUSED, S.TRANSFERRED, S.WITHDRAWN, S.MERGED)


class ComplaintKind(models.TextChoices):
    CONSULTATION = "consultation", _("咨询")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")


#: What a bank's staff choose from: not the office's hotlines, and not 监管转办 — a
#: complaint the office passes on reaches the bank through the office's dispatch
#: (人民银行转办), never as a source typed at the counter. 监管转办 stays a valid value
#: for imported history.
BANK_INTAKE_SOURCES = tuple(
    s
    for s in IntakeSource
    if s not in (IntakeSource.REGULATOR, IntakeSource.HOTLINE_12363, IntakeSource.HOTLINE_12378)
)
#: The office records how a complaint reached it, its hotlines first.
OFFICE_INTAKE_SOURCES = (
    IntakeSource.HOTLINE_12363,
    IntakeSource.HOTLINE_12378,
    *(s for s in BANK_INTAKE_SOURCES),
)


class Complexity(models.TextChoices):
    SIMPLE = "simple", _("一般投诉")
    COMPLEX = "complex", _("复杂投诉")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    FOREIGN_PR = "foreign_pr", _("外国人永久居留身份证")
    OTHER = "other", _("其他证件")


class AnswerPreference(models.TextChoices):
    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    LETTER = "letter", _("书面信函")
    IN_PERSON = "in_person", _("当面答复")
    EMAIL = "email", _("电子邮件")


class ContactMethod(models.TextChoices):
    """How a follow-up contact with the customer was made (联系记录)."""

    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    MEETING = "meeting", _("面谈")
    VISIT = "visit", _("上门走访")
    LETTER = "letter", _("信函")
    EMAIL = "email", _("电子邮件")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class SatisfactionSource(models.TextChoices):
    STAFF = "staff", _("工作人员回访记录")
    CONSUMER = "consumer", _("消费者本人评价")


class RefusalReason(models.TextChoices):
    NOT_FINANCIAL = "not_financial", _("不属于金融消费者投诉")
    INCOMPLETE = "incomplete", _("投诉人信息不全且无法联系")
    DUPLICATE = "duplicate", _("同一事项已处理完毕且无新情况")
    LITIGATION = "litigation", _("已进入诉讼、仲裁或行政复议程序")
    OUT_OF_SCOPE = "out_of_scope", _("不属于本机构受理范围")
    OTHER = "other", _("其他原因")


class TimelineAction(models.TextChoices):
    REGISTER = "register", _("受理登记")
    REFUSE = "refuse", _("不予受理")
    TRANSFER = "transfer", _("移送")
    ASSIGN = "assign", _("分办")
    START = "start", _("开始处理")
    ESCALATE = "escalate", _("逐级上报")
    REPORT_MAJOR = "report_major", _("重大投诉报告监管")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    APPROVE_EXTENSION = "approve_extension", _("批准延期")
    REJECT_EXTENSION = "reject_extension", _("驳回延期")
    SUPERVISE = "supervise", _("督办")
    RESOLVE = "resolve", _("办结")
    ANSWER = "answer", _("反馈")
    REOPEN = "reopen", _("重新处理")
    REVERIFY = "reverify", _("重新核查分析")
    CONTACT = "contact", _("联系客户")
    ARCHIVE = "archive", _("归档")
    ADMIN_CHANGE = "admin_change", _("管理员修改")
    REMIND = "remind", _("到期提醒")
    OVERDUE = "overdue", _("逾期")
    AUTO_ESCALATE = "auto_escalate", _("逾期升级督办")
    # The consumer's own steps on the public portal (portal.submission).
    CONSUMER_ADD = "consumer_add", _("消费者补充材料")
    CONSUMER_RATE = "consumer_rate", _("消费者评价")
    # The statutory clock (complaints.clock).
    PAUSE = "pause", _("中止计时")
    RESUME = "resume", _("恢复计时")
    EXTEND_STATUTORY = "extend_statutory", _("延长法定时限")
    REFILE = "refile", _("新事实重新起算")
    WITHDRAW = "withdraw", _("撤诉")
    MERGE = "merge", _("合并至在办投诉")
    MERGED_IN = "merged_in", _("合并重复投诉")
    STATUTORY_REMIND = "statutory_remind", _("法定时限即将届满")
    STATUTORY_OVERDUE = "statutory_overdue", _("超过法定时限")
    PAUSE_LONG = "pause_long", _("中止计时超期提示")
    # The case file (complaints.attachments): evidence added and removed by staff.
    ATTACH = "attach", _("添加材料")
    REMOVE_ATTACHMENT = "remove_attachment", _("删除材料")
    # A mediation of the dispute (mediation app, through complaints.mediation).
    MEDIATION_OPEN = "mediation_open", _("转入调解")
    MEDIATION_END = "mediation_end", _("调解终结")


class MediationOutcome(models.TextChoices):
    """How a mediation of the complaint's dispute ended (the timeline's
    ``mediation_end`` row); the mediation app keeps the case itself."""

    AGREED = "agreed", _("达成调解协议")
    DECLINED = "declined", _("一方不同意调解")
    FAILED = "failed", _("调解不成")


class PiiField(models.TextChoices):
    NAME = "complainant_name", _("姓名")
    PHONE = "complainant_phone", _("电话")
    ID_NUMBER = "id_number", _("证件号码")
    ADDRESS = "contact_address", _("联系地址")
    ACCOUNT_NUMBER = "account_number", _("银行卡号/账号")


class PiiAccessKind(models.TextChoices):
    DETAIL = "detail", _("查看详情")
    REVEAL = "reveal", _("显示完整信息")
    EXPORT = "export", _("导出")
    PRINT = "print", _("打印")
    ATTACHMENT = "attachment", _("查看附件")


class AttachmentSource(models.TextChoices):
    CONSUMER = "consumer", _("消费者提交")
    STAFF = "staff", _("工作人员上传")


class PauseReason(models.TextChoices):
    """Why the clocks stop (中止计时): time spent on outside appraisal, testing or
    assessment does not count (CBIRC 2020), nor the wait for materials only the
    consumer can supply."""

    APPRAISAL = "appraisal", _("鉴定")
    TESTING = "testing", _("检测")
    ASSESSMENT = "assessment", _("评估")
    MATERIALS = "materials", _("等待消费者补充材料")


class WithdrawalChannel(models.TextChoices):
    """How the consumer's withdrawal reached us."""

    PHONE = "phone", _("电话")
    LETTER = "letter", _("书面信函")
    IN_PERSON = "in_person", _("当面")
    ONLINE = "online", _("网络")


class ApprovalLevel(models.TextChoices):
    """Who approves an extension of the statutory limit, as the rule pack names it."""

    HANDLING_MANAGER = "handling_manager", _("处理机构消保管理员")
    SUPERIOR_MANAGER = "superior_manager", _("上级机构或总行管理人员")


class AttachmentKind(models.TextChoices):
    """What an evidence file is (案卷材料类别); the type of its bytes is decided from
    its content, this is what staff say it shows."""

    LETTER = "letter", _("投诉信件")
    RECEIPT = "receipt", _("凭证、回单")
    SCREENSHOT = "screenshot", _("截图")
    ID_COPY = "id_copy", _("身份证件复印件")
    CONTRACT = "contract", _("合同、协议")
    PHOTO = "photo", _("照片")
    AUDIO = "audio", _("接待录音")
    VIDEO = "video", _("接待录像")
    RECORDING_REF = "recording_ref", _("录音录像系统索引")
    OTHER = "other", _("其他材料")
