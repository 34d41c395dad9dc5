"""``{% error_summary form other_form … %}``: after a failed submit, one box at the top
of the form lists every field error as a link to its field (templates/_error_summary.html);
js/error-summary.js moves the focus to it, so a keyboard or screen-reader user hears
what went wrong and can jump to each field instead of hunting for red text."""

from django import template
from django.forms import BaseForm

register = template.Library()


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms: BaseForm | None) -> dict:
    """The field errors of the bound ``forms`` (``None`` skipped, so an optional form
    such as the regulator's dispatch form can be passed as is), in field order. A
    hidden field has nothing to jump to: its error is listed without a link. Errors
    not tied to a field stay where each template shows them."""
    errors = [
        (field, error)
        for form in forms
        if form is not None and form.is_bound
        for field in form
        for error in field.errors
    ]
    return {"errors": errors}
