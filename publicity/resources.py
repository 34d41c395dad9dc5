"""django-import-export resource for exporting activity records from the admin
(Chinese column names). Export only: activities are recorded through the service,
which checks scope, dates and figures; an import would bypass it."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from institutions.resources import ChoiceLabelWidget, SafeResource

from .enums import ActivityKind
from .metrics import FIGURE_FIELDS
from .models import Activity


class ActivityResource(SafeResource):
    campaign = fields.Field(attribute="campaign__theme", column_name=_("宣传活动"))
    institution_code = fields.Field(attribute="institution__code", column_name=_("机构代码"))
    institution = fields.Field(attribute="institution__name", column_name=_("开展机构"))
    title = fields.Field(attribute="title", column_name=_("活动名称"))
    held_on = fields.Field(attribute="held_on", column_name=_("活动日期"))
    kind = fields.Field(
        attribute="kind", column_name=_("活动形式"), widget=ChoiceLabelWidget(ActivityKind)
    )
    place = fields.Field(attribute="place", column_name=_("活动地点"))
    topics = fields.Field(column_name=_("宣传主题"))
    audiences = fields.Field(column_name=_("宣传对象"))

    class Meta:
        model = Activity
        fields = (
            "campaign",
            "institution_code",
            "institution",
            "title",
            "held_on",
            "kind",
            "place",
            "topics",
            "audiences",
            *FIGURE_FIELDS,
        )
        export_order = fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name in FIGURE_FIELDS:
            self.fields[name].column_name = str(Activity._meta.get_field(name).verbose_name)

    def dehydrate_topics(self, activity) -> str:
        return "、".join(t.name for t in activity.topics.all())

    def dehydrate_audiences(self, activity) -> str:
        return "、".join(a.name for a in activity.audiences.all())
