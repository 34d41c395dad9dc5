from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("季度")
    HALF_YEAR = "half_year", _("半年")
    YEAR = "year", _("年度")


class PeriodStatus(models.TextChoices):
    """open → scoring → published → closed (see ``AppraisalPeriod``)."""

    OPEN = "open", _("进行中")
    SCORING = "scoring", _("评分中")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已结束")


P = PeriodStatus
#: The supervisor may still score, recompute and decide key supervision.
SCORABLE_STATES = (P.OPEN, P.SCORING)
#: Results are fixed and shown to the institutions.
RESULT_STATES = (P.PUBLISHED, P.CLOSED)


class SectionKind(models.TextChoices):
    ELEMENT = "element", _("评价要素")
    DEDUCTION = "deduction", _("扣分项")


class ScoringMethod(models.TextChoices):
    MANUAL = "manual", _("人工评分")
    COMPUTED = "computed", _("系统计算")


class ComputedKind(models.TextChoices):
    """What a computed indicator measures; each is one function in
    ``evaluation.indicators`` over the institution's subtree and the period."""

    COMPLAINTS_RECEIVED = "complaints_received", _("受理投诉量（件）")
    ON_TIME_RATE = "on_time_rate", _("按时答复率（%）")
    SATISFACTION_RATE = "satisfaction_rate", _("客户满意率（%）")
    REPEAT_RATE = "repeat_rate", _("重复投诉率（%）")
    MAJOR_COMPLAINTS = "major_complaints", _("重大投诉（件）")
    OVERDUE_COUNT = "overdue_count", _("逾期件数（件）")
    URGES_RECEIVED = "urges_received", _("被督办次数（次）")
    PUBLICITY_ACTIVITIES = "publicity_activities", _("开展宣传活动（场）")
    PEOPLE_REACHED = "people_reached", _("宣传受众（人次）")
    SELF_ASSESSMENT_ON_TIME = "self_assessment_on_time", _("自评估按时报送（是=1）")
    MEDIATION_CASES = "mediation_cases", _("受理调解（件）")
    MEDIATION_SUCCESS_RATE = "mediation_success_rate", _("调解成功率（%）")
    ENFORCEMENT_CASES = "enforcement_cases", _("投诉转案件（件）")
    RECTIFICATION_ON_TIME_RATE = "rectification_on_time_rate", _("整改按期完成率（%）")
    TRAINING_PERSON_HOURS = "training_person_hours", _("消保培训（人·学时）")
    CONVENTION_SIGNED = "convention_signed", _("签署消保公约（是=1）")


#: Computed kinds measured as a percentage (0–100, two decimals); every other kind
#: counts something and is a whole number.
RATE_KINDS = frozenset(
    {
        ComputedKind.ON_TIME_RATE,
        ComputedKind.SATISFACTION_RATE,
        ComputedKind.REPEAT_RATE,
        ComputedKind.MEDIATION_SUCCESS_RATE,
        ComputedKind.RECTIFICATION_ON_TIME_RATE,
    }
)


class Formula(models.TextChoices):
    LINEAR = "linear", _("线性插值")
    BANDS = "bands", _("分档计分")


class Direction(models.TextChoices):
    HIGHER_BETTER = "higher", _("越高越好")
    LOWER_BETTER = "lower", _("越低越好")


class SelfAssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")


class InspectionKind(models.TextChoices):
    SPECIAL = "special", _("专项检查")
    COMPREHENSIVE = "comprehensive", _("综合检查")


class AppraisalAction(models.TextChoices):
    CREATE = "create", _("创建考核期")
    START_SCORING = "start_scoring", _("开始评分")
    RECOMPUTE = "recompute", _("重新计算系统指标")
    SCORE = "score", _("人工评分")
    IMPORT_SCORES = "import_scores", _("导入评分")
    DECIDE = "decide", _("确认重点监管")
    ATTACH_EVIDENCE = "attach_evidence", _("上传评分依据")
    DELETE_EVIDENCE = "delete_evidence", _("删除评分依据")
    PUBLISH = "publish", _("发布结果")
    CLOSE = "close", _("结束考核期")
