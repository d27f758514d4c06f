"""Amounts in Chinese capital numerals (大写金额)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.capitals import amount_from_capitals, amount_in_capitals

ALLOWED = set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整负")


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1520000.00", "壹佰伍拾贰万元整"),
        ("1409.50", "壹仟肆佰零玖元伍角"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("107000.53", "壹拾万柒仟元零伍角叁分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("0.00", "零元整"),
        ("0.50", "伍角"),
        ("0.04", "肆分"),
        ("10.00", "壹拾元整"),
        ("100000000.00", "壹亿元整"),
        ("100010000.00", "壹亿零壹万元整"),
        ("1080000.00", "壹佰零捌万元整"),
        ("10005.00", "壹万零伍元整"),
        ("300000.00", "叁拾万元整"),
        ("320000.00", "叁拾贰万元整"),
        ("1000000000005.00", "壹万亿零伍元整"),
        ("-25.10", "负贰拾伍元壹角"),
    ],
)
def test_amounts_are_written_as_the_banks_rules_have_it(amount, words):
    assert amount_in_capitals(Decimal(amount)) == words


def test_an_amount_beyond_ten_thousand_yi_yi_is_refused():
    with pytest.raises(ValueError, match="stop below"):
        amount_in_capitals(Decimal("10000000000000000.00"))


fen_amounts = st.integers(min_value=-(10**15), max_value=10**17 - 1).map(
    lambda fen: Decimal(fen) / 100
)


@given(fen_amounts)
def test_capitals_read_back_to_the_same_amount(amount):
    assert amount_from_capitals(amount_in_capitals(amount)) == amount


@given(fen_amounts)
def test_capitals_use_only_the_capital_characters(amount):
    assert set(amount_in_capitals(amount)) <= ALLOWED


@given(fen_amounts)
def test_capitals_never_repeat_nor_end_on_a_zero(amount):
    words = amount_in_capitals(amount)

    assert "零零" not in words
    assert words == "零元整" or not words.rstrip("整").endswith("零")
    assert not words.lstrip("负").startswith("零") or words == "零元整"


@given(fen_amounts)
def test_only_whole_yuan_end_in_zheng(amount):
    assert amount_in_capitals(amount).endswith("整") is (amount == amount.to_integral())


@given(st.integers(min_value=1, max_value=10**15))
def test_a_leading_ten_is_written_with_its_one(yuan):
    words = amount_in_capitals(Decimal(yuan))

    assert not words.startswith("拾")
    assert "零拾" not in words
