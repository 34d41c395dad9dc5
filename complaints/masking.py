"""Masking of personal financial information (JR/T 0171-2020, see docs/personal-data.md).

Two levels: ``LIST`` for lists, exports and the case archive; ``DETAIL`` for the
detail page of the handling institution and the regulator. The full value is only
shown behind a logged reveal (``FULL``). ``mask_text`` applies the same masks to the
numbers people write into free text. The functions never return more characters of the
original than their rule allows, whatever the input (property-tested).

``scrub_authentication_data`` removes C3 data (PIN, CVN, card expiry next to a card
number) from free text before it is stored: such data is never kept.
"""

from __future__ import annotations

import re
import unicodedata

LIST = "list"
DETAIL = "detail"


def _keep(value: str, head: int, tail: int) -> str:
    value = value or ""
    if len(value) <= head + tail:
        # Too short to show anything safely: hide all but at most one character.
        return (value[:1] + "*" * (len(value) - 1)) if len(value) > 2 else "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


# A landline with its area code: 010 and 02x have three digits, the others four;
# then a subscriber number of 7 or 8 digits, perhaps after a hyphen or space.
_LANDLINE_RE = re.compile(r"(010|02\d|0[3-9]\d\d)([-\s]?)(\d{7,8})")


def mask_phone(value: str, level: str = LIST) -> str:
    """A mobile: first 3 and last 4 (138****5678). A landline: its area code and the
    last 4 of the subscriber number (0319-***4888), since the area code names a
    county, not a person. The same at every level."""
    digits = (value or "").strip()
    landline = _LANDLINE_RE.fullmatch(digits)
    if landline:
        area, separator, number = landline.groups()
        return area + separator + _keep(number, 0, 4)
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
    """Last 4 in lists; first 6 + last 4 on the detail page. A number shorter than 16
    digits (an account number) keeps only its last 4 at both levels: first 6 + last 4
    would leave fewer than 6 digits hidden."""
    value = re.sub(r"[\s-]", "", value or "")
    if not value:
        return ""
    return _keep(value, 6, 4) if level == DETAIL and len(value) >= 16 else _keep(value, 0, 4)


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


# --- Personal data written into free text ---------------------------------------------
#
# Consumers and staff write card, account, mobile and ID numbers into descriptions,
# findings and notes. ``mask_text`` finds them and gives each the mask of its
# structured field at the same level, so free text never shows more than the fields
# beside it. What it finds (docs/personal-data.md):
#   - an 18-character ID number (17 digits and X, or with a birth date inside);
#   - an 11-digit mobile number (also +86…, 138-1234-5678, 138 1234 5678);
#   - 16-19 digits, or 13-15 digits that pass the Luhn check: card numbers, also
#     written in groups separated by single spaces or hyphens, as long as every group
#     but the last has 3+ digits ("2026-11-26 2026-12-01" stays two dates);
#   - 10-25 digits right after 账号 / 账户 / 卡号 / 银行卡 / 存折 / account / card;
#   - the complaint's own phone, ID and account number, and at list level its
#     complainant's name and address, wherever they appear (``known``).
# Tracking numbers (ABC-QH-01-20261126-007) are read whole and kept, and digits right
# after a digit or after "<letter or digit>-" are part of a code, never a candidate;
# dates, times and amounts are too short, or written in groups too short. A 16-digit
# transaction number is masked too: over-masking costs one logged reveal,
# under-masking a card number is a leak.

FULL = "full"

_RUN_RE = re.compile(
    # A tracking number (institution code, day, sequence) is read whole and kept.
    r"(?P<code>[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*-\d{8}-\d{3,})"
    # Otherwise digit groups joined by single spaces or hyphens (an ID's X at the end),
    # not right after a digit or after "<letter or digit>-".
    r"|(?<!\d)(?<![0-9A-Za-z]-)(?P<run>\d+(?:[ \-]\d+)*(?:[Xx](?![0-9A-Za-z]))?)"
)
_SEPARATOR_RE = re.compile(r"[ \-]")
_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_RESIDENT_ID_RE = re.compile(
    r"[1-8]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
)
_ACCOUNT_KEYWORD_RE = re.compile(
    r"(?:账号|帐号|账户|帐户|卡号|银行卡|存折|account|acct|card)"
    r"(?:\s*(?:no\.?|number|#))?[\s:：是为=#]{0,4}$",
    re.IGNORECASE,
)
_KEYWORD_WINDOW = 24
_LONGEST = 25  # no card, account, phone or ID number is longer


def luhn_valid(digits: str) -> bool:
    """The check digit of card numbers (ISO/IEC 7812)."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _mask_number(groups: list[str], level: str, after_keyword: bool) -> str | None:
    """The mask of the number written as ``groups`` (digits between separators), or
    None if it is not personal data."""
    digits = "".join(groups)
    n = len(digits)
    if digits[-1] in "Xx":  # 17 digits and the check character X: an ID number
        return mask_id_number(digits.upper(), level) if n == 18 else None
    if after_keyword and 10 <= n <= _LONGEST and not _MOBILE_RE.fullmatch(digits):
        return mask_card(digits, level)
    if not all(len(g) >= 3 for g in groups[:-1]):
        return None  # a series of short numbers (dates, times), not one number
    if n == 11 and _MOBILE_RE.fullmatch(digits):
        return mask_phone(digits, level)
    if n == 13 and digits.startswith("86") and _MOBILE_RE.fullmatch(digits[2:]):
        return "86" + mask_phone(digits[2:], level)
    if n == 18 and _RESIDENT_ID_RE.fullmatch(digits):
        return mask_id_number(digits, level)
    if 16 <= n <= 19 or (13 <= n <= 15 and luhn_valid(digits)):
        return mask_card(digits, level)
    return None


def _mask_run(m: re.Match, level: str, found: list[str] | None) -> str:
    run = m.group("run")
    if run is None:
        return m.group("code")
    raw_groups = _SEPARATOR_RE.split(run)
    groups = [unicodedata.normalize("NFKC", g) for g in raw_groups]  # full-width digits
    separators = _SEPARATOR_RE.findall(run)
    before = m.string[max(0, m.start() - _KEYWORD_WINDOW) : m.start()]
    keyword = bool(_ACCOUNT_KEYWORD_RE.search(before))
    out: list[str] = []
    i = 0
    # The whole run is usually one number; otherwise ("13812345678 6222…") take,
    # from each group on, the longest span of groups that is a number of its own.
    while i < len(groups):
        end, total = i, 0
        while end < len(groups) and total + len(groups[end]) <= _LONGEST:
            total += len(groups[end])
            end += 1
        for j in range(end, i, -1):
            masked = _mask_number(groups[i:j], level, keyword and i == 0)
            if masked is not None:
                if found is not None:
                    found.append("".join(groups[i:j]).upper())
                break
        else:
            j, masked = i + 1, raw_groups[i]
        out.append(masked)
        if j < len(groups):
            out.append(separators[j - 1])
        i = j
    return "".join(out)


_KNOWN_MASKS = {
    "name": mask_name,
    "phone": mask_phone,
    "id_number": mask_id_number,
    "address": mask_address,
    "account_number": mask_card,
}


def _known_pairs(known: dict[str, str], level: str) -> list[tuple[str, str]]:
    pairs = []
    for kind, raw in known.items():
        raw = (raw or "").strip()
        # A one-character name would mangle ordinary words; short values hide nothing.
        if len(raw) < (2 if kind == "name" else 5):
            continue
        masked = _KNOWN_MASKS[kind](raw, level)
        if masked != raw:
            pairs.append((raw, masked))
    # Longest first: the address before the name it may contain.
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def mask_text(
    text: str,
    level: str = LIST,
    *,
    known: dict[str, str] | None = None,
    found: list[str] | None = None,
) -> str:
    """``text`` with every card, account, mobile and ID number in it masked as its
    structured field is at ``level`` (``LIST`` or ``DETAIL``; ``FULL`` returns the
    text as it is), and the complaint's own values in ``known`` (``name``,
    ``phone``, ``id_number``, ``address``, ``account_number``) masked wherever they
    appear. ``found``, if given, receives the digits of each number masked."""
    if not text or level == FULL:
        return text or ""
    for raw, masked in _known_pairs(known or {}, level):
        text = re.sub(re.escape(raw), lambda _m, masked=masked: masked, text, flags=re.I)
    return _RUN_RE.sub(lambda m: _mask_run(m, level, found), text)


def numbers_in_text(text: str) -> list[str]:
    """The digits of every number ``mask_text`` would mask in ``text`` (no ``known``
    values): what must never appear in full outside a logged reveal."""
    found: list[str] = []
    mask_text(text, LIST, found=found)
    return found


class Redactor:
    """The free text of one complaint at one level: every card, account, mobile and
    ID number masked like the structured fields (and the complainant's own values
    wherever they appear). ``FULL`` leaves text as it is."""

    def __init__(self, complaint, level: str):
        self.level = level
        self.known = {
            "name": complaint.complainant_name,
            "phone": complaint.complainant_phone,
            "id_number": complaint.id_number,
            "address": complaint.contact_address,
            "account_number": complaint.account_number,
        }

    def __call__(self, value):
        """A string masked; a dict or list (a timeline payload) masked throughout;
        anything else as it is."""
        if isinstance(value, str):
            return mask_text(value, self.level, known=self.known)
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self(v) for v in value]
        return value
