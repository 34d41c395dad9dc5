import re

from hypothesis import given
from hypothesis import strategies as st

from complaints import masking

digits = st.text(alphabet="0123456789", min_size=0, max_size=25)


def _revealed(original: str, masked: str) -> int:
    """How many characters of the original stand in the masked string at their place."""
    return sum(1 for a, b in zip(original, masked, strict=False) if a == b and b != "*")


def test_phone_mask_example():
    assert masking.mask_phone("13812345678") == "138****5678"


def test_id_masks_by_level():
    n = "110101199003074578"
    assert masking.mask_id_number(n) == "1****************8"
    assert masking.mask_id_number(n, masking.DETAIL) == "110101********4578"


def test_name_and_card_masks():
    assert masking.mask_name("欧阳娜娜") == "欧***"
    assert masking.mask_name("张三", masking.DETAIL) == "张三"
    assert masking.mask_card("6222 0212 3456 7890 123") == "***************0123"
    assert masking.mask_card("6222021234567890123", masking.DETAIL) == "622202*********0123"


@given(digits)
def test_phone_never_reveals_more_than_seven_digits(value):
    masked = masking.mask_phone(value)
    assert len(masked) == len(value)
    assert _revealed(value, masked) <= min(7, max(len(value) - 1, 0)) or len(value) <= 1


@given(st.text(alphabet="0123456789X", min_size=0, max_size=25))
def test_id_never_reveals_more_than_the_rule(value):
    listed = masking.mask_id_number(value)
    detail = masking.mask_id_number(value, masking.DETAIL)
    assert _revealed(value, listed) <= 2
    assert _revealed(value, detail) <= 10
    if len(value) > 10:
        assert detail.count("*") == len(value) - 10


@given(digits)
def test_card_list_mask_shows_at_most_last_four(value):
    masked = masking.mask_card(value)
    assert len(re.sub(r"\*", "", masked)) <= 4


@given(st.text(min_size=0, max_size=200), st.from_regex(r"\d{6}", fullmatch=True))
def test_pin_after_keyword_is_never_kept(prefix, pin):
    text = f"{prefix}密码：{pin}"
    cleaned, found = masking.scrub_authentication_data(text)
    assert found
    assert not cleaned.endswith(pin)


def test_scrub_leaves_ordinary_text_alone():
    text = "卡号6222021234567890123转账失败，涉及金额5000元"
    assert masking.scrub_authentication_data(text) == (text, False)
