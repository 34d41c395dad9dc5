"""The small block the complaint page includes: the mediations of the complaint as
the current user may see them, and whether they may open one."""

from __future__ import annotations

from django import template

from ..selectors import complaint_mediation

register = template.Library()


@register.simple_tag(takes_context=True)
def mediation_for_complaint(context, complaint):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return None
    return complaint_mediation(user, complaint)
