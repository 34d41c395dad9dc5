import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
# A landline as stored: area code and number as one run of digits (10 to 12), an
# extension after a hyphen.
_STORED_LANDLINE_RE = re.compile(r"^0\d{9,11}(-\d{1,6})?$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


PHONE_MESSAGE = _("请输入正确的手机号码（11 位）或固定电话（如 0319-6921234）。")


def normalize_phone(value: str) -> str:
    """A phone number as stored and searched: digits only. Spaces, hyphens, dots and
    brackets people type are dropped ("138 0013 8000", "(0319) 123-4567"), full-width
    digits become ASCII and a +86/0086 country prefix goes; a landline keeps its area
    code in front of the number ("0319-1234567" → "03191234567") and an extension
    after a hyphen ("0319-1234567-801" → "03191234567-801"). Raises ValidationError
    when what is left is neither an 11-digit mobile nor a landline with area code."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    ext = ""
    m = re.fullmatch(r"(.*?\d)\s*(?:-|转|ext\.?|x)\s*(\d{1,6})", text, flags=re.IGNORECASE)
    if m and not MOBILE_RE.match(re.sub(r"[\s\-().]", "", text)):
        main = re.sub(r"[\s\-().]", "", m[1])
        if main.startswith("0") and 10 <= len(main) <= 12:
            text, ext = m[1], m[2]
    digits = re.sub(r"[\s\-().]", "", text)
    digits = re.sub(r"^(?:\+86|0086)", "", digits)
    if MOBILE_RE.match(digits):
        return digits
    if ext:
        digits = f"{digits}-{ext}"
    if _STORED_LANDLINE_RE.match(digits):
        return digits
    raise ValidationError(PHONE_MESSAGE, code="phone")


def validate_phone(value: str) -> None:
    """Accepts what ``normalize_phone`` can store."""
    normalize_phone(value)


def phone_search_term(term: str) -> str | None:
    """A typed search as a stored phone number, or None when it is not one (so
    "138-0013-8000" and "0319 1234567" find the complaint)."""
    try:
        return normalize_phone(term)
    except ValidationError:
        return None


# --- free text ---------------------------------------------------------------------------

UNSTORABLE_MESSAGE = _("含有无法保存的字符（空字符或不成对的 UTF-16 代理项）。")
# Characters that reorder or hide text (bidi overrides and isolates, zero-width
# characters, the BOM): refused in names, where they disguise who someone is.
_INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def has_unstorable_characters(value: str) -> bool:
    """A NUL or a lone surrogate: PostgreSQL refuses the first and no encoder takes
    the second, so the insert would fail."""
    return any(ch == "\x00" or 0xD800 <= ord(ch) <= 0xDFFF for ch in value)


def clean_text(value: str | None, *, max_length: int | None = None) -> str:
    """Free text as stored: NFC, line breaks as ``\\n``, control characters other
    than newline and tab removed, surrounding white space stripped. Raises
    ValidationError for a NUL or a lone surrogate (refused, not silently dropped: the
    client sent something broken) and for text over ``max_length`` characters."""
    value = value or ""
    if has_unstorable_characters(value):
        raise ValidationError(UNSTORABLE_MESSAGE, code="invalid_characters")
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()
    if max_length is not None and len(value) > max_length:
        raise ValidationError(
            _("最多 %(limit)d 个字符（现有 %(count)d 个）。"),
            code="max_length",
            params={"limit": max_length, "count": len(value)},
        )
    return value


def clean_person_name(value: str | None, *, max_length: int | None = None) -> str:
    """A person's name as stored: ``clean_text`` on one line, inner runs of white
    space as one space. Zero-width characters are dropped; a bidi control (such as
    the right-to-left override U+202E, which makes "李四" display as something
    else) or any other format character is refused, and so is a name with nothing
    left once the invisible characters are gone."""
    value = clean_text(value, max_length=None)
    value = "".join(ch for ch in value if ch not in _INVISIBLE)
    if any(ch in _BIDI_CONTROLS or unicodedata.category(ch) == "Cf" for ch in value):
        raise ValidationError(
            _("姓名中不能含有改变文字方向或不可见的控制字符。"), code="name_characters"
        )
    value = " ".join(value.split())
    if not value:
        raise ValidationError(_("姓名不能为空或只含空白、不可见字符。"), code="name_empty")
    if max_length is not None and len(value) > max_length:
        raise ValidationError(
            _("最多 %(limit)d 个字符（现有 %(count)d 个）。"),
            code="max_length",
            params={"limit": max_length, "count": len(value)},
        )
    return value


def validate_resident_id(value: str) -> None:
    """GB 11643 18-digit resident ID with its check character."""
    value = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise ValidationError(_("居民身份证号码应为 18 位，最后一位可为 X。"), code="id_format")
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[-1]:
        raise ValidationError(_("居民身份证号码校验位不正确，请核对。"), code="id_checksum")


def normalize_account_number(value: str) -> str:
    """A card or account number as digits only: spaces and hyphens removed, then 10
    to 25 digits. No Luhn check: the Luhn digit belongs to card numbers, but passbook,
    corporate and other account numbers of Chinese banks have 16-19 digits too
    without one (some begin with a province code such as 62, the UnionPay card
    prefix), so a number cannot be refused for failing it (docs/personal-data.md)."""
    digits = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", value or ""))
    if not digits:
        return ""
    if not re.fullmatch(r"[0-9]{10,25}", digits):
        raise ValidationError(
            _("银行卡号/账号应为 10–25 位数字（可含空格或短横线）。"), code="account_format"
        )
    return digits
