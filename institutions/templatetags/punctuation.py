"""Punctuation that follows the page's language: Chinese pages use full-width marks
(名称：值、（说明）), English ones ASCII ("Name: value", " (note)"). Templates that
glue a translated label to a value write ``{{ label|colon }}`` instead of a literal
"：", which left "Valid complaint：yes" on English pages."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def colon(label) -> str:
    """``label`` followed by the colon of the language."""
    return gettext("%(label)s：") % {"label": label}


@register.filter
def parens(text) -> str:
    """``text`` in the parentheses of the language (with a space before in English)."""
    return gettext("（%(text)s）") % {"text": text}


@register.simple_tag
def sep() -> str:
    """The separator between facts in one line (；)."""
    return gettext("；")
