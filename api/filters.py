"""Query filters of the reference and notification lists (django-filter, so the
schema documents them). The complaint list is filtered by the browser's own
``ListFilterForm`` instead (api.views.complaints)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from complaints.models import TaxonomyCode
from notifications.models import Notification


class TaxonomyCodeFilter(django_filters.FilterSet):
    class Meta:
        model = TaxonomyCode
        fields = ["dimension"]


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label=_("只看未读")
    )

    class Meta:
        model = Notification
        fields = ["unread"]
