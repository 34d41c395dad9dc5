import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def validate_phone(value: str) -> None:
    value = (value or "").strip()
    if not (MOBILE_RE.match(value) or LANDLINE_RE.match(value)):
        raise ValidationError(
            _("请输入正确的手机号码（11 位）或固定电话（如 0319-6921234）。"), code="phone"
        )


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
