"""Masking of personal financial information (JR/T 0171-2020, see docs/personal-data.md).

Two levels: ``LIST`` for lists, exports and the case archive; ``DETAIL`` for the
detail page of the handling institution and the regulator. The full value is only
shown behind a logged reveal. The functions never return more characters of the
original than their rule allows, whatever the input (property-tested).

``scrub_authentication_data`` removes C3 data (PIN, CVN, card expiry next to a card
number) from free text before it is stored: such data is never kept.
"""

from __future__ import annotations

import re

LIST = "list"
DETAIL = "detail"


def _keep(value: str, head: int, tail: int) -> str:
    value = value or ""
    if len(value) <= head + tail:
        # Too short to show anything safely: hide all but at most one character.
        return (value[:1] + "*" * (len(value) - 1)) if len(value) > 2 else "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


def mask_phone(value: str, level: str = LIST) -> str:
    """138****5678 at every level: first 3 and last 4."""
    digits = (value or "").strip()
    return _keep(digits, 3, 4)


def mask_id_number(value: str, level: str = LIST) -> str:
    """First 1 + last 1 in lists; first 6 + last 4 on the detail page."""
    value = (value or "").strip()
    if not value:
        return ""
    return _keep(value, 6, 4) if level == DETAIL else _keep(value, 1, 1)


def mask_name(value: str, level: str = LIST) -> str:
    """Surname + * in lists; the full name on the detail page."""
    value = (value or "").strip()
    if level == DETAIL or not value:
        return value
    return value[0] + "*" * max(len(value) - 1, 1)


def mask_card(value: str, level: str = LIST) -> str:
    """Last 4 in lists; first 6 + last 4 on the detail page."""
    value = re.sub(r"[\s-]", "", value or "")
    if not value:
        return ""
    return _keep(value, 6, 4) if level == DETAIL else _keep(value, 0, 4)


def mask_address(value: str, level: str = LIST) -> str:
    """The first 6 characters (province/city/county) in lists; full on detail."""
    value = value or ""
    if level == DETAIL or len(value) <= 6:
        return value
    return value[:6] + "****"


# --- C3 authentication data in free text ----------------------------------------------

_CARD = r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)"
_CARD_RE = re.compile(_CARD)
# A keyword for PIN / password / CVN / expiry, then (within a few characters) digits.
_SECRET_RE = re.compile(
    r"(?P<kw>(?:取款|交易|查询|登录|支付|银行卡|卡|网银)?密码|PIN|pin|Pin|CVN2?|CVV2?|cvv2?|cvn2?"
    r"|安全码|校验码|验证码|有效期(?:至|到)?)"
    r"(?P<sep>[\s:：是为=]{0,4})"
    r"(?P<val>\d{3,8}(?!\d)|\d{2}[/\-年.]?\d{2}月?)"
)


def scrub_authentication_data(text: str) -> tuple[str, bool]:
    """Mask PINs, passwords, CVNs and card expiry dates written into free text, and
    the card number they came with. Returns (clean text, whether anything changed).

    We cannot know which digits a consumer meant, so any digits right after such a
    keyword are removed; a card number in the same text is cut to its last 4 digits
    because together with a CVN it is enough to pay."""
    if not text:
        return text, False
    found = False

    def _secret(m: re.Match) -> str:
        nonlocal found
        found = True
        return f"{m.group('kw')}{m.group('sep')}{'*' * len(m.group('val'))}"

    cleaned = _SECRET_RE.sub(_secret, text)
    if found:
        cleaned = _CARD_RE.sub(lambda m: mask_card(m.group(0), LIST), cleaned)
    return cleaned, found
