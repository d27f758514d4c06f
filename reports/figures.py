"""Figures as frozen into a version: JSON that gives back the same Decimals.

A report's figures are plain dicts and lists of text, numbers, dates as ISO
text, and money as Decimal. JSON has no Decimal, and a float must never carry
money, so money is stored tagged: {"¥": "1234.50"}.
"""

from decimal import Decimal

MONEY_TAG = "¥"


def freeze(value):
    """Figures → JSON-safe data (money tagged, tuples as lists)."""
    if isinstance(value, Decimal):
        return {MONEY_TAG: str(value)}
    if isinstance(value, dict):
        return {str(key): freeze(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [freeze(item) for item in value]
    return value


def thaw(value):
    """The inverse of `freeze`."""
    if isinstance(value, dict):
        if len(value) == 1 and MONEY_TAG in value:
            return Decimal(value[MONEY_TAG])
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, list):
        return [thaw(item) for item in value]
    return value
