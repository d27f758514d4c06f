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
from .payments import commitment_disburse, commitment_paid_out, commitment_return
from .people import login_unlock, resident_register, resident_verify, role_grant
from .reconcile import LedgerProblem, fund_reconcile, fund_reconcile_record

__all__ = [
    "login_unlock",
    "commitment_create",
    "commitment_disburse",
    "commitment_paid_out",
    "commitment_return",
    "commitment_outstanding",
    "commitment_release",
    "LedgerProblem",
    "fund_reconcile",
    "fund_reconcile_record",
    "post_transaction",
    "resident_register",
    "resident_verify",
    "role_grant",
    "spendable_tranches",
    "tranche_receive",
    "transaction_reverse",
]
