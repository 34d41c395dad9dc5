"""django-import-export resources. Exports show personal data at the list level of
JR/T 0171 masking, the structured fields and the numbers written into the free text
alike (``complaints.pii.complaint_for_list``), and neutralise spreadsheet formulas."""

from import_export import fields

from institutions.resources import SafeResource, neutralise

from . import pii
from .models import Complaint

__all__ = ["ComplaintExportResource", "neutralise"]


class ComplaintExportResource(SafeResource):
    tracking_no = fields.Field(attribute="tracking_no", column_name="投诉编号")
    received_at = fields.Field(column_name="受理时间")
    intake_source = fields.Field(column_name="投诉来源")
    kind = fields.Field(column_name="类型")
    complainant_name = fields.Field(column_name="投诉人")
    complainant_phone = fields.Field(column_name="联系电话")
    id_number = fields.Field(column_name="证件号码")
    account_number = fields.Field(column_name="银行卡号/账号")
    complained_institution = fields.Field(
        attribute="complained_institution__name", column_name="被投诉机构"
    )
    handling_institution = fields.Field(
        attribute="handling_institution__name", column_name="处理机构"
    )
    business = fields.Field(attribute="business__name", column_name="业务类别")
    cause = fields.Field(attribute="cause__name", column_name="投诉原因")
    category = fields.Field(attribute="category__name", column_name="处理类别")
    complexity = fields.Field(column_name="复杂程度")
    status = fields.Field(column_name="状态")
    due_at = fields.Field(column_name="答复期限")
    answered_at = fields.Field(column_name="反馈时间")
    on_time = fields.Field(column_name="是否按时")
    satisfaction = fields.Field(column_name="满意度")
    amount = fields.Field(attribute="amount", column_name="涉及金额")
    money_recovered = fields.Field(attribute="money_recovered", column_name="挽回损失")
    is_major = fields.Field(column_name="重大投诉")
    is_repeat = fields.Field(column_name="重复投诉")
    description = fields.Field(column_name="投诉事项")

    class Meta:
        model = Complaint
        fields = export_order = (
            "tracking_no",
            "received_at",
            "intake_source",
            "kind",
            "complainant_name",
            "complainant_phone",
            "id_number",
            "account_number",
            "complained_institution",
            "handling_institution",
            "business",
            "cause",
            "category",
            "complexity",
            "status",
            "due_at",
            "answered_at",
            "on_time",
            "satisfaction",
            "amount",
            "money_recovered",
            "is_major",
            "is_repeat",
            "description",
        )

    def get_export_queryset(self, request=None):
        return (
            super()
            .get_export_queryset(request)
            .select_related(
                "complained_institution", "handling_institution", "business", "cause", "category"
            )
        )

    @staticmethod
    def _dt(value):
        from django.utils import timezone

        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    def dehydrate_received_at(self, c):
        return self._dt(c.received_at)

    def dehydrate_due_at(self, c):
        return self._dt(c.due_at)

    def dehydrate_answered_at(self, c):
        return self._dt(c.answered_at)

    def dehydrate_intake_source(self, c):
        return c.get_intake_source_display()

    def dehydrate_kind(self, c):
        return c.get_kind_display()

    def dehydrate_complexity(self, c):
        return c.get_complexity_display()

    def dehydrate_status(self, c):
        return c.get_status_display()

    def dehydrate_satisfaction(self, c):
        return c.get_satisfaction_display()

    def dehydrate_on_time(self, c):
        on_time = c.answered_on_time
        return "" if on_time is None else ("是" if on_time else "否")

    def dehydrate_is_major(self, c):
        return "是" if c.is_major else "否"

    def dehydrate_is_repeat(self, c):
        return "是" if c.is_repeat else "否"

    # Personal data: every value from the row's list-level view (complaints.pii).
    def _shown(self, c) -> pii.ComplaintView:
        if getattr(self, "_shown_for", None) is not c:  # rows are exported one by one
            self._shown_for, self._shown_view = c, pii.complaint_for_list(c)
        return self._shown_view

    def dehydrate_complainant_name(self, c):
        return self._shown(c).party.name

    def dehydrate_complainant_phone(self, c):
        return self._shown(c).party.phone

    def dehydrate_id_number(self, c):
        return self._shown(c).party.id_number

    def dehydrate_account_number(self, c):
        return self._shown(c).party.account_number

    def dehydrate_description(self, c):
        return self._shown(c).text["description"]
