"""The fund's writes: `from fundapp.services import tranche_receive`."""

from .ledger import post_transaction
from .money import (
    commitment_create,
    commitment_outstanding,
    commitment_release,
    spendable_tranches,
    tranche_receive,
    transaction_reverse,
)
from .people import resident_register, resident_verify, role_grant
from .reconcile import fund_reconcile

__all__ = [
    "commitment_create",
    "commitment_outstanding",
    "commitment_release",
    "fund_reconcile",
    "post_transaction",
    "resident_register",
    "resident_verify",
    "role_grant",
    "spendable_tranches",
    "tranche_receive",
    "transaction_reverse",
]
