from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fundapp.environment import database_from_url, env_bool
from fundapp.money import cny, format_cny, parse_amount


def test_cny_rounds_half_up_to_the_fen():
    assert cny("1.005") == Decimal("1.01")
    assert cny("2.665") == Decimal("2.67")
    assert cny("-1.005") == Decimal("-1.01")


def test_cny_refuses_floats():
    with pytest.raises(TypeError, match="never float"):
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


def test_env_bool_refuses_words_that_are_not_booleans(monkeypatch):
    monkeypatch.setenv("LINLI_FLAG", "maybe")

    with pytest.raises(ValueError, match="not a boolean"):
        env_bool("LINLI_FLAG", True)
