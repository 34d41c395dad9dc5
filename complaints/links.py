"""Links to a complaint's page, for code that writes many of them at once (a list
page's rows, the sweep's notices).

``reverse()`` walks the URL resolver each time it is called. A link differs from
the next only in the complaint's key, so the detail URL is reversed once with a
placeholder key (per script prefix and URLconf, the only other things it depends
on) and each link is that string with the key put in.
"""

from __future__ import annotations

from functools import cache

from django.urls import get_script_prefix, get_urlconf, reverse

_PK_SLOT = 987654321987


@cache
def _detail_with_slot(script_prefix: str, urlconf) -> str:
    return reverse("complaints:detail", args=[_PK_SLOT], urlconf=urlconf)


def detail_url_maker():
    """A function of a complaint's key giving its detail page's URL (as
    ``reverse("complaints:detail", args=[pk])``); get one per batch of links."""
    template = _detail_with_slot(get_script_prefix(), get_urlconf())
    slot = str(_PK_SLOT)
    return lambda pk: template.replace(slot, str(pk))
