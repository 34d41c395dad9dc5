"""``{{ entry|timeline_facts }}`` and ``{{ entry|timeline_note }}``: a timeline row's
facts and note in the reader's language (complaints.timeline)."""

from django import template

from .. import timeline

register = template.Library()


@register.filter
def timeline_facts(entry) -> list:
    return timeline.facts(entry)


@register.filter
def timeline_note(entry) -> str:
    return timeline.note(entry)
