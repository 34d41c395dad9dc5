import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaints import masking

digits = st.text(alphabet="0123456789", min_size=0, max_size=25)


def _revealed(original: str, masked: str) -> int:
    """How many characters of the original stand in the masked string at their place."""
    return sum(1 for a, b in zip(original, masked, strict=False) if a == b and b != "*")


def test_phone_mask_example():
    assert masking.mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(
    ("landline", "masked"),
    [
        ("0319-1234888", "0319-***4888"),
        ("03191234888", "0319***4888"),
        ("010-62345678", "010-****5678"),
        ("0755 88886666", "0755 ****6666"),
    ],
)
def test_landline_keeps_area_code_and_last_four(landline, masked):
    assert masking.mask_phone(landline) == masked
    assert masking.mask_phone(landline, masking.DETAIL) == masked


def test_mobile_is_not_taken_for_a_landline():
    assert masking.mask_phone("15131902468") == "151****2468"


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
    if masking._LANDLINE_RE.fullmatch(value):
        # The area code (3 or 4 digits, a county) and the last 4 of the number.
        area = 3 if value[1] in "12" else 4
        assert masked[:area] == value[:area]
        assert _revealed(value[area:], masked[area:]) <= 4
        return
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


# --- Numbers written into free text (mask_text) ----------------------------------------

CARD = "6222021234567890123"  # 19 digits
ACCOUNT = "1234567890123"  # 13 digits, fails Luhn: an account number, found by its keyword
AMEX = "378282246310005"  # 15 digits, passes Luhn
ID_X = "11010519491231002X"


def test_text_card_numbers_by_level():
    text = f"卡号{CARD}被盗刷；另一张 4111 1111 1111 1111；运通卡{AMEX}"
    assert masking.mask_text(text) == (
        "卡号***************0123被盗刷；另一张 ************1111；运通卡***********0005"
    )
    assert masking.mask_text(text, masking.DETAIL) == (
        "卡号622202*********0123被盗刷；另一张 411111******1111；运通卡***********0005"
    )
    assert masking.mask_text(text, masking.FULL) == text


def test_text_account_number_after_its_keyword_only():
    assert masking.mask_text(f"收款账号：{ACCOUNT}") == "收款账号：*********0123"
    assert masking.mask_text(f"account no. {ACCOUNT}") == "account no. *********0123"
    assert masking.mask_text(f"流水{ACCOUNT}") == f"流水{ACCOUNT}"  # no keyword, no Luhn


def test_text_phone_and_id_numbers_by_level():
    text = f"电话13812345678、+86 139 0000 1111，身份证{ID_X}，旧证110101199003074578"
    assert masking.mask_text(text) == (
        "电话138****5678、+86 139****1111，身份证1****************X，旧证1****************8"
    )
    assert masking.mask_text(text, masking.DETAIL) == (
        "电话138****5678、+86 139****1111，身份证110105********002X，旧证110101********4578"
    )


def test_text_several_numbers_in_one_run_are_masked_each():
    assert masking.mask_text(f"13812345678 {CARD}") == "138****5678 ***************0123"


@pytest.mark.parametrize(
    "text",
    [
        "投诉编号 ABC-QH-01-20261126-007 已受理",
        "A-OUT1-20261126-007、BANK-A-20261231-123",
        "于 2026-11-26 2026-12-01 两次扣款，14:30 到 16:45",
        "涉及金额 1,000,000.00 元，共 5000 元，手续费 12.5 元",
        "请于20261126前办结，电话 0319-6921234 为网点电话",
        "交易时间 2026-11-26 14:30:00，尾号 0123",
    ],
)
def test_text_codes_dates_amounts_stay_readable(text):
    assert masking.mask_text(text) == text
    assert masking.mask_text(text, masking.DETAIL) == text


def test_text_known_values_of_the_complaint():
    known = {
        "name": "李四",
        "phone": "0319-6921234",
        "address": "河北省邢台市清河县城关镇幸福路1号",
        "account_number": "6217000012",
    }
    text = "李四住河北省邢台市清河县城关镇幸福路1号，座机0319-6921234，账户6217000012"
    assert masking.mask_text(text, known=known) == (
        "李*住河北省邢台市****，座机0319-***1234，账户******0012"
    )
    # The detail level shows the name and address in full, as the party does.
    assert masking.mask_text(text, masking.DETAIL, known=known) == (
        "李四住河北省邢台市清河县城关镇幸福路1号，座机0319-***1234，账户******0012"
    )


def test_text_full_width_digits_are_numbers_too():
    assert (
        masking.mask_text("卡号６２２２０２１２３４５６７８９０１２３") == "卡号***************0123"
    )


def _luhn_complete(body: str) -> str:
    for d in "0123456789":
        if masking.luhn_valid(body + d):
            return body + d
    raise AssertionError


cards = st.builds(
    _luhn_complete, st.from_regex(r"[1-9][0-9]{11,17}", fullmatch=True)
)  # 13-19 digits, Luhn-valid
separated = st.sampled_from(["", " ", "-"])
prose = st.text(alphabet="投诉卡号为转账失败，。客户称 abcXYZ:：", max_size=12)


@given(prose, cards, separated, prose)
def test_text_card_never_shows_more_than_its_mask(before, card, sep, after):
    written = sep.join(card[i : i + 4] for i in range(0, len(card), 4))
    text = f"{before} {written} {after}"
    listed = masking.mask_text(text)
    detail = masking.mask_text(text, masking.DETAIL)
    # The prose has no digits: every digit left is one the mask shows (a card's, or
    # an ID number's mask where the digits also read as one).
    assert len(re.findall(r"\d", listed)) <= 4
    assert len(re.findall(r"\d", detail)) <= 10
    assert listed.count("*") >= len(card) - 4


@given(st.text(alphabet="0123456789 -X卡号账户电话:a", max_size=80))
def test_text_masking_leaves_nothing_to_mask(text):
    for level in (masking.LIST, masking.DETAIL):
        once = masking.mask_text(text, level)
        assert masking.numbers_in_text(once) == []
        assert masking.mask_text(once, level) == once


DATE_TIME = r"20[0-9]{2}-[01][0-9]-[0-3][0-9]( [0-2][0-9]:[0-5][0-9])?"


@given(
    st.lists(
        st.one_of(
            st.from_regex(r"[A-Z]{2,4}(-[A-Z0-9]{1,3}){0,2}-20[0-9]{6}-[0-9]{3}", fullmatch=True),
            st.from_regex(
                r"20[0-9]{2}-[01][0-9]-[0-3][0-9]( [0-2][0-9]:[0-5][0-9])?", fullmatch=True
            ),
            st.from_regex(r"[0-9]{1,7}(\.[0-9]{2})?元", fullmatch=True),
            st.sampled_from(["投诉", "已办结", "，", " ", "客户"]),
        ),
        max_size=8,
    )
)
def test_text_without_personal_numbers_is_unchanged(parts):
    text = "".join(parts)
    assert masking.mask_text(text) == text


@given(digits)
def test_card_detail_mask_hides_at_least_six_digits(value):
    masked = masking.mask_card(value, masking.DETAIL)
    if len(value) >= 10:
        assert masked.count("*") >= 6
        assert _revealed(value, masked) <= 10
