"""django-import-export resource for the calendar: each December an administrator
imports the State Council's schedule for the next year (Chinese column names)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from institutions.resources import FormulaSafeMixin

from .enums import CalendarSource
from .models import CalendarDay, CalendarYear


class ChineseDateWidget(widgets.DateWidget):
    """Dates as people type them in a spreadsheet (2027-01-01, 2027/1/1, 2027年1月1日)
    or as a spreadsheet cell; never a day/month order that could be read both ways."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")
        self.formats = self.FORMATS

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, str):
            value = value.strip()
        if not value:
            raise ValueError(_("日期不能为空"))
        try:
            return super().clean(value, row=row, **kwargs)
        except ValueError:
            raise ValueError(
                _("无法识别的日期：%(value)s（请写作 2027-01-01）") % {"value": value}
            ) from None


class WorkdayWidget(widgets.Widget):
    """是/否 (and 1/0, 班/休, 工作日/休息日). import-export's BooleanWidget reads any
    unknown word as "no", which would silently turn a make-up workday into a holiday."""

    TRUE = {"是", "1", "true", "班", "工作日", "上班", "调休上班"}
    FALSE = {"否", "0", "false", "休", "休息日", "放假", "节假日"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = str(value if value is not None else "").strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("“是否工作日”应填“是”或“否”，而不是“%(value)s”") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return _("是") if value else _("否")


class CalendarDayResource(FormulaSafeMixin, resources.ModelResource):
    """One row per non-ordinary day: 日期, 是否工作日, 名称.

    A successful (non-dry-run) import marks every year in the file as loaded, since a
    year's file is that year's published schedule; the whole import runs in one
    transaction, so a file with any bad row imports nothing and marks nothing.
    """

    date = fields.Field(attribute="date", column_name="日期", widget=ChineseDateWidget())
    is_workday = fields.Field(
        attribute="is_workday", column_name="是否工作日", widget=WorkdayWidget()
    )
    name = fields.Field(attribute="name", column_name="名称", default="")

    class Meta:
        model = CalendarDay
        import_id_fields = ("date",)
        fields = ("date", "is_workday", "name")
        export_order = ("date", "is_workday", "name")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def before_save_instance(self, instance, row, **kwargs):
        instance.source = CalendarSource.IMPORT
        instance.name = (instance.name or "").strip()

    def after_import(self, dataset, result, **kwargs):
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        # No errors, so every date in the file parses.
        years = sorted({self.fields["date"].clean(row).year for row in dataset.dict})
        file_name = kwargs.get("file_name") or ""
        for year in years:
            CalendarYear.objects.update_or_create(
                year=year,
                defaults={
                    "loaded": True,
                    "source": CalendarSource.IMPORT,
                    "note": (_("导入：%(file)s") % {"file": file_name})[:200]
                    if file_name
                    else _("导入"),
                },
            )
