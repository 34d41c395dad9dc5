"""The outlet's poster (投诉渠道公示牌, A4): its channels and a QR code leading to the
online complaint form pre-set for the outlet.

The QR code is drawn here with segno (no external service, no image file): an inline
SVG that scales to the print size. It encodes the absolute address
``SITE_URL + reverse("portal:complain") + "?to=<pk>"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from institutions.models import Institution

#: Medium error correction: still readable on a scuffed or badly lit poster.
ERROR_LEVEL = "m"
BORDER = 4  # the quiet zone the QR standard asks for, in modules


def complaint_url(institution: Institution) -> str:
    """The absolute address of the online complaint form pre-set for the institution."""
    return f"{settings.SITE_URL.rstrip('/')}{reverse('portal:complain')}?to={institution.pk}"


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_svg(url: str, *, title: str = "") -> SafeString:
    """The QR code as an inline ``<svg>`` without a fixed size (CSS sizes it); segno
    escapes the title, and the rest is its own markup."""
    svg = qr_code(url).svg_inline(
        border=BORDER, omitsize=True, svgclass="qr", lineclass=None, title=title or None
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup; the title is escaped by it
