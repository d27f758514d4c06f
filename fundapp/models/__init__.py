"""The fund's models: people and roles, communities and their money, the ledger."""

from .fund import Category, Community, Fund, Source, Tranche, in_reader_language
from .ledger import (
    Account,
    Commitment,
    LedgerCheck,
    LedgerEntry,
    LedgerTransaction,
)
from .people import LoginUnlock, Membership, Role, User

__all__ = [
    "Account",
    "Category",
    "Commitment",
    "Community",
    "Fund",
    "LedgerCheck",
    "LedgerEntry",
    "LedgerTransaction",
    "LoginUnlock",
    "Membership",
    "Role",
    "Source",
    "Tranche",
    "User",
    "in_reader_language",
]
