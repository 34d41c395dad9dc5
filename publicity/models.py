"""Publicity and education campaigns (宣传教育活动) and the activities that report
their reach in numbers (篇二, 篇九, 篇十三)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from institutions.models import Institution

from .enums import ActivityKind
from .metrics import COUNT_FIELDS, MONEY_FIELDS
from .validators import EXTENSIONS


class ReferenceItem(models.Model):
    """An entry of an editable list (kept by the office in the admin). Entries are
    retired with ``is_active`` rather than deleted, so old activities keep them."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class Topic(ReferenceItem):
    """What an activity taught (反假币, 征信, 防范电信诈骗…)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("宣传主题")
        verbose_name_plural = _("宣传主题")


class Audience(ReferenceItem):
    """Whom an activity was aimed at (老年人, 农民工, 农户…)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("宣传对象")
        verbose_name_plural = _("宣传对象")


#: Planned-target field of a campaign → the metric code it plans.
TARGET_FIELDS: dict[str, str] = {
    "target_outlets": "outlets",
    "target_outdoor_events": "outdoor_events",
    "target_leaflets": "leaflets",
    "target_people_reached": "people_reached",
}


class Campaign(models.Model):
    """A campaign announced by the county office or an institution (3·15 金融消费者
    权益日, 金融知识进社区…): a theme, a period and the institutions asked to join.
    Activities are recorded against it and must fall within its period."""

    theme = models.CharField(_("活动主题"), max_length=120)
    slogan = models.CharField(_("宣传口号"), max_length=200, blank=True)
    organiser = models.ForeignKey(
        Institution,
        verbose_name=_("组织机构"),
        on_delete=models.PROTECT,
        related_name="publicity_campaigns_organised",
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    participants = models.ManyToManyField(
        Institution,
        verbose_name=_("参加机构"),
        blank=True,
        related_name="publicity_campaigns",
        help_text=_("要求参加本次活动的机构；其下属网点均可登记活动。"),
    )
    description = models.TextField(_("活动方案与要求"), blank=True)
    # Planned targets, shown beside the achieved totals on the summary.
    target_outlets = models.PositiveIntegerField(_("计划参与网点"), null=True, blank=True)
    target_outdoor_events = models.PositiveIntegerField(
        _("计划大型户外宣传场次"), null=True, blank=True
    )
    target_leaflets = models.PositiveIntegerField(_("计划发放宣传资料"), null=True, blank=True)
    target_people_reached = models.PositiveIntegerField(_("计划受众人次"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("宣传活动")
        verbose_name_plural = _("宣传活动")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="publicity_campaign_period_ordered",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(
                    *(
                        Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0})
                        for field in TARGET_FIELDS
                    )
                ),
                name="publicity_campaign_targets_non_negative",
                violation_error_message=_("计划目标不能为负数。"),
            ),
        ]

    def __str__(self) -> str:
        return self.theme

    @property
    def period_display(self) -> str:
        date_format = gettext("Y年n月j日")
        return gettext("%(start)s至%(end)s") % {
            "start": formats.date_format(self.starts_on, date_format),
            "end": formats.date_format(self.ends_on, date_format),
        }

    def covers(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
        if self.pk and self.starts_on and self.ends_on:
            outside = self.activities.exclude(held_on__range=(self.starts_on, self.ends_on))
            if outside.exists():
                raise ValidationError(
                    _("已有 %(count)s 项活动的日期不在新的活动期间之内，请先修改这些活动。")
                    % {"count": outside.count()}
                )


NON_NEGATIVE = MinValueValidator(0, message=_("不能为负数。"))


def _figure(label, **kwargs) -> models.PositiveIntegerField:
    """A measured count: never negative (validator here, CheckConstraint below)."""
    return models.PositiveIntegerField(label, default=0, validators=[NON_NEGATIVE], **kwargs)


def _counts_non_negative() -> Q:
    return Q(*(Q(**{f"{f}__gte": 0}) for f in COUNT_FIELDS + MONEY_FIELDS))


class Activity(models.Model):
    """One activity an institution held for a campaign, with what it measured.

    The figures are the ones the reports add up (see ``publicity.metrics``); each is
    a count of the activity itself, so totals are plain sums.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("宣传活动"), on_delete=models.PROTECT, related_name="activities"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("开展机构"),
        on_delete=models.PROTECT,
        related_name="publicity_activities",
    )
    title = models.CharField(_("活动名称"), max_length=120)
    held_on = models.DateField(_("活动日期"))
    kind = models.CharField(_("活动形式"), max_length=20, choices=ActivityKind.choices)
    place = models.CharField(_("活动地点"), max_length=200)
    topics = models.ManyToManyField(Topic, verbose_name=_("宣传主题"), related_name="activities")
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("宣传对象"), blank=True, related_name="activities"
    )
    description = models.TextField(_("活动情况"), blank=True)

    staff_times = _figure(_("参与员工（人次）"))
    leaflets = _figure(_("发放宣传资料（份）"), help_text=_("宣传折页、彩页、手册等合计"))
    sms_sent = _figure(_("发送短信（条）"))
    people_reached = _figure(_("受众（人次）"))
    banners = _figure(_("悬挂横幅（条）"))
    boards = _figure(_("宣传版面/展板（块）"))
    desks = _figure(_("咨询服务台（个）"))
    consultations = _figure(_("接受咨询（人次）"))
    complaints_on_site = _figure(_("现场受理投诉（件）"))
    mediated_on_site = _figure(_("现场调解成功（件）"))
    money_recovered = models.DecimalField(
        _("挽回经济损失（元）"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[NON_NEGATIVE],
    )
    online_reads = _figure(
        _("线上阅读/转发（次）"), help_text=_("微信、微博等平台的阅读或转发次数")
    )

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    # 现场受理投诉: the complaint records taken on site, optionally linked (the count
    # ``complaints_on_site`` stays the reported figure).
    linked_complaints = models.ManyToManyField(
        "complaints.Complaint",
        verbose_name=_("现场受理的投诉记录"),
        blank=True,
        related_name="publicity_activities",
    )

    class Meta:
        verbose_name = _("宣传活动记录")
        verbose_name_plural = _("宣传活动记录")
        ordering = ["-held_on", "-pk"]
        indexes = [
            # The summary of a campaign and the scoped lists.
            models.Index(fields=["campaign", "institution"], name="publicity_act_camp_inst_idx"),
            # Totals of a subtree over a period (appraisal, quarterly report).
            models.Index(fields=["held_on", "institution"], name="publicity_act_held_inst_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_counts_non_negative(),
                name="publicity_activity_figures_non_negative",
                violation_error_message=_("各项数量和金额不能为负数。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        campaign = self.campaign if self.campaign_id else None
        if campaign and self.held_on and not campaign.covers(self.held_on):
            raise ValidationError(
                {
                    "held_on": _("活动日期必须在“%(theme)s”的活动期间（%(period)s）之内。")
                    % {"theme": campaign.theme, "period": campaign.period_display}
                }
            )


class MediaReport(models.Model):
    """A report about an activity in the press, on TV or online (篇二: 海安电视台
    “民生热线”栏目报道)."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("宣传活动记录"),
        on_delete=models.CASCADE,
        related_name="media_reports",
    )
    outlet = models.CharField(_("媒体名称"), max_length=80)
    title = models.CharField(_("报道标题/栏目"), max_length=200)
    published_on = models.DateField(_("报道日期"))
    url = models.URLField(_("链接"), blank=True)

    class Meta:
        verbose_name = _("媒体报道")
        verbose_name_plural = _("媒体报道")
        ordering = ["published_on", "pk"]

    def __str__(self) -> str:
        return f"{self.outlet}：{self.title}"


def photo_upload_to(instance: ActivityPhoto, filename: str) -> str:
    """Stored under a random name with the extension of the detected format: the
    uploaded name is never used on disk."""
    return f"publicity/photos/{timezone.now():%Y/%m}/{instance.pk.hex}.{instance.extension}"


class ActivityPhoto(models.Model):
    """A photo of an activity. Private: served only through the access-checked view,
    addressed by a random UUID so ids cannot be guessed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    activity = models.ForeignKey(
        Activity, verbose_name=_("宣传活动记录"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("照片"), upload_to=photo_upload_to, max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=40, editable=False)
    size = models.PositiveIntegerField(_("文件大小"), editable=False)
    width = models.PositiveIntegerField(_("宽度"), editable=False)
    height = models.PositiveIntegerField(_("高度"), editable=False)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.caption or str(self.pk)

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]

    @property
    def download_name(self) -> str:
        return f"{self.pk.hex}.{self.extension}"
