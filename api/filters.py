"""Query filters of the reference and notification lists (django-filter, so the
schema documents them). The complaint list is filtered by the browser's own
``ListFilterForm`` instead (api.views.complaints)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import TaxonomyCode
from notifications.models import Notification


class TaxonomyCodeFilter(django_filters.FilterSet):
    class Meta:
        model = TaxonomyCode
        fields = ["dimension"]


class StrictNullBooleanField(forms.NullBooleanField):
    """``true``/``false`` (or ``1``/``0``), or nothing: Django's NullBooleanField reads
    any other text as "not given", so ``?unread=maybe`` silently listed everything."""

    widget = forms.TextInput

    def to_python(self, value):
        text = str(value).strip().lower() if value is not None else ""
        if text == "":
            return None
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(_("请填写 true 或 false。"), code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictNullBooleanField


class NotificationFilter(django_filters.FilterSet):
    unread = StrictBooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("只看未读"))

    class Meta:
        model = Notification
        fields = ["unread"]
