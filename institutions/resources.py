"""django-import-export resources for institutions (Chinese column names)."""

from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .enums import InstitutionKind
from .models import Institution

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell a spreadsheet would run as a formula (= + - @) is prefixed with a quote,
    so an exported complaint text can never execute in the reader's spreadsheet."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class FormulaSafeMixin:
    """For every django-import-export resource of the project: exported cells are
    neutralised (formula injection)."""

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))


class SafeResource(FormulaSafeMixin, resources.ModelResource):
    pass


class ChoiceLabelWidget(widgets.Widget):
    """Accepts a choice's code or its Chinese label; exports the label."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        for code, label in self.choices.choices:
            if value in (code, str(label)):
                return code
        raise ValueError(_("无效的取值：%(value)s") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices.choices).get(value, value or ""))


class CodeForeignKeyWidget(widgets.ForeignKeyWidget):
    """Looks a related row up by its code and names the missing code in Chinese, so
    the import preview says exactly what is wrong (a validation error, not a crash)."""

    def __init__(self, model, field="code", label=None, **kwargs):
        self.label = label or model._meta.verbose_name
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("找不到代码为“%(code)s”的%(what)s") % {"code": value, "what": self.label}
            ) from None


class InstitutionResource(SafeResource):
    code = fields.Field(attribute="code", column_name="机构代码")
    name = fields.Field(attribute="name", column_name="机构名称")
    short_name = fields.Field(attribute="short_name", column_name="简称")
    kind = fields.Field(
        attribute="kind", column_name="机构类型", widget=ChoiceLabelWidget(InstitutionKind)
    )
    parent = fields.Field(
        attribute="parent",
        column_name="上级机构代码",
        widget=CodeForeignKeyWidget(Institution),
    )
    regulator = fields.Field(
        attribute="regulator",
        column_name="监管机构代码",
        widget=CodeForeignKeyWidget(Institution),
    )
    unified_credit_code = fields.Field(
        attribute="unified_credit_code", column_name="统一社会信用代码"
    )
    address = fields.Field(attribute="address", column_name="地址")
    complaint_phone = fields.Field(attribute="complaint_phone", column_name="投诉电话")
    complaint_department = fields.Field(attribute="complaint_department", column_name="受理部门")
    complaint_scope = fields.Field(attribute="complaint_scope", column_name="受理范围")
    complaint_time_limit = fields.Field(attribute="complaint_time_limit", column_name="处理时限")
    hotline = fields.Field(attribute="hotline", column_name="监管热线")

    class Meta:
        model = Institution
        import_id_fields = ("code",)
        fields = (
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "regulator",
            "unified_credit_code",
            "address",
            "complaint_phone",
            "complaint_department",
            "complaint_scope",
            "complaint_time_limit",
            "hotline",
        )
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
