from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError

from fundapp.environment import database_from_url, env_bool
from fundapp.money import AmountField, CNYField, cny, format_cny, parse_amount


def test_cny_rounds_half_up_to_the_fen():
    assert cny("1.005") == Decimal("1.01")
    assert cny("2.665") == Decimal("2.67")
    assert cny("-1.005") == Decimal("-1.01")


def test_cny_refuses_floats():
    with pytest.raises(
        TypeError, match=r"^Build money from str or Decimal, never float\.$"
    ):
        cny(1.5)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1234.5", "1234.50"),
        ("1,234.50", "1234.50"),
        ("¥300,000", "300000.00"),
        (" 7 ", "7.00"),
    ],
)
def test_parse_amount_accepts_what_people_type(typed, expected):
    assert parse_amount(typed) == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Enter an amount"),
        ("", "Enter an amount"),
        ("NaN", "Enter an amount"),
        ("Infinity", "Enter an amount"),
        ("0", "more than zero"),
        ("-5", "more than zero"),
        ("1.005", "two decimal places"),
        ("100000000.01", "extra digit"),
        ("1e12", "extra digit"),
    ],
)
def test_parse_amount_refuses_bad_amounts_with_a_reason(typed, message):
    with pytest.raises(ValidationError, match=message):
        parse_amount(typed)


def test_money_shows_with_thousands_separators_in_every_language(settings):
    from django.utils import translation

    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert format_cny(Decimal("1234.5")) == "¥1,234.50"


def test_database_url_reads_postgres_and_sqlite():
    postgres = database_from_url("postgres://ann:s%40cret@db.example:5433/linli")
    sqlite_absolute = database_from_url("sqlite:////tmp/linli.sqlite3")

    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert (postgres["USER"], postgres["PASSWORD"], postgres["PORT"]) == (
        "ann",
        "s@cret",
        "5433",
    )
    assert sqlite_absolute["NAME"] == "/tmp/linli.sqlite3"


def test_postgres_is_told_its_pages_are_in_memory_unless_the_url_says_otherwise():
    default = database_from_url("postgres://ann@db.example/linli")
    own = database_from_url(
        "postgres://ann@db.example/linli?options=-c%20work_mem%3D8MB"
    )

    assert default["OPTIONS"]["options"] == "-c random_page_cost=1.1"
    assert own["OPTIONS"]["options"] == "-c work_mem=8MB"


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_apps_connections_price_random_reads_as_memory_does():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)


def test_env_bool_refuses_words_that_are_not_booleans(monkeypatch):
    monkeypatch.setenv("LINLI_FLAG", "maybe")

    with pytest.raises(ValueError, match="not a boolean"):
        env_bool("LINLI_FLAG", True)


def test_the_largest_amount_allowed_is_accepted():
    assert parse_amount("100000000.00") == Decimal("100000000.00")
    assert parse_amount("¥100,000,000") == Decimal("100000000.00")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1，234.50", "1234.50"),  # a full-width comma, as Chinese keyboards type it
        ("￥1，234.5", "1234.50"),  # and the full-width yuan sign
        ("¥ 88", "88.00"),
        ("0.01", "0.01"),  # one fen is the smallest amount
    ],
)
def test_parse_amount_accepts_what_chinese_keyboards_type(typed, expected):
    assert parse_amount(typed) == Decimal(expected)


def test_parse_amount_refuses_floats():
    with pytest.raises(
        TypeError, match=r"^Build money from str or Decimal, never float\.$"
    ):
        parse_amount(1234.5)


NOT_A_NUMBER = "Enter an amount in yuan, such as 1234.50."
TOO_PRECISE = "An amount has at most two decimal places (fen)."
NOT_POSITIVE = "The amount must be more than zero."
TOO_LARGE = "The amount is larger than ¥100,000,000; check for an extra digit."


@pytest.mark.parametrize(
    ("typed", "code", "message"),
    [
        ("abc", "not_a_number", NOT_A_NUMBER),
        ("X100", "not_a_number", NOT_A_NUMBER),  # only the yuan sign is dropped
        ("Infinity", "not_a_number", NOT_A_NUMBER),
        ("1.005", "too_precise", TOO_PRECISE),
        ("0", "not_positive", NOT_POSITIVE),
        ("-0.01", "not_positive", NOT_POSITIVE),
        ("100000000.01", "too_large", TOO_LARGE),
    ],
)
def test_parse_amount_says_what_is_wrong_with_a_code(typed, code, message):
    with pytest.raises(ValidationError, match=".") as refused:
        parse_amount(typed)

    assert (refused.value.code, refused.value.messages) == (code, [message])


def test_an_amount_with_no_value_shows_blank():
    assert format_cny(None) == ""


def test_money_is_shown_rounded_half_up_to_the_fen():
    assert format_cny(Decimal("2.665")) == "¥2.67"
    assert format_cny(Decimal("1234567.8")) == "¥1,234,567.80"


@pytest.mark.parametrize(
    "amount",
    [
        "0",
        "0.01",
        "-0.01",
        "999.99",
        "1000",
        "-1234.565",
        "1234567.5",
        "100000000.00",
        "99999999999999.99",
        "-99999999999999.99",
    ],
)
def test_money_is_shown_as_babel_shows_cny_in_chinese(amount):
    """format_cny writes Babel's zh_CN currency pattern out; the two agree."""
    from babel.numbers import format_currency

    expected = format_currency(
        Decimal(amount).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"),
        "CNY",
        format="¤#,##0.00",
        locale="zh_CN",
        currency_digits=False,
    )
    assert format_cny(Decimal(amount)) == expected


def test_an_amount_that_rounds_to_zero_is_never_shown_negative():
    assert format_cny(Decimal("-0.004")) == "¥0.00"
    assert format_cny(Decimal("-0.00")) == "¥0.00"
    assert format_cny(Decimal("-0.005")) == "-¥0.01"


def test_money_columns_are_fourteen_digits_with_two_places():
    field = CNYField()
    wider = CNYField(max_digits=16, decimal_places=2)
    named = CNYField("amount granted")

    assert (field.max_digits, field.decimal_places) == (14, 2)
    assert wider.max_digits == 16
    assert (named.verbose_name, named.max_digits) == ("amount granted", 14)


def test_the_amount_input_opens_the_decimal_keypad_and_limits_its_length():
    class Form(forms.Form):
        amount = AmountField()

    attrs = Form().fields["amount"].widget.attrs
    html = str(Form()["amount"])

    assert attrs["inputmode"] == "decimal"
    assert attrs["autocomplete"] == "off"
    assert attrs["maxlength"] == "32"
    assert 'inputmode="decimal"' in html and 'maxlength="32"' in html


def test_the_amount_input_parses_what_is_typed_and_leaves_blank_empty():
    class Form(forms.Form):
        amount = AmountField(required=False)

    typed = Form({"amount": "1，234.5"})
    blank = Form({"amount": ""})
    wrong = Form({"amount": "0"})

    assert typed.is_valid() and typed.cleaned_data["amount"] == Decimal("1234.50")
    assert blank.is_valid() and blank.cleaned_data["amount"] is None
    assert not wrong.is_valid()
    assert wrong.errors["amount"] == ["The amount must be more than zero."]


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        ("1e26", "too_large", TOO_LARGE),
        ("12345678901234567890123456789", "too_large", TOO_LARGE),
        ("-12345678901234567890123456789", "not_positive", NOT_POSITIVE),
        ("-100000000.00", "not_positive", NOT_POSITIVE),
        ("1e999999999", "too_large", TOO_LARGE),
    ],
)
def test_an_amount_too_large_to_quantize_is_refused_in_words(raw, code, message):
    with pytest.raises(ValidationError, match="¥100,000,000|more than zero") as error:
        parse_amount(raw)

    assert (error.value.code, error.value.messages) == (code, [message])
