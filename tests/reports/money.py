"""Paying and giving back part of a commitment through the ledger's services,
as the projects app does, capped at what there is."""

from datetime import date
from decimal import Decimal

from fundapp.models import Account, Commitment
from fundapp.money import ZERO, cny
from fundapp.services import (
    commitment_disburse,
    commitment_outstanding,
    commitment_return,
)
from tests.factories import key


def disburse(commitment: Commitment, amount, on: date) -> Decimal:
    """Pay `amount` (at most what is still committed); the amount paid."""
    paid = min(cny(Decimal(amount)), commitment_outstanding(commitment))
    if paid <= 0:
        return ZERO
    commitment_disburse(
        commitment=commitment, amount=paid, actor=commitment.created_by,
        idempotency_key=key(), paid_on=on,
    )  # fmt: skip
    return paid


def give_back(commitment: Commitment, amount, on: date) -> Decimal:
    """Return `amount` (at most what was paid out); the amount returned."""
    held = sum(
        (a.balance for a in commitment.accounts.filter(kind=Account.Kind.DISBURSED)),
        ZERO,
    )
    back = min(cny(Decimal(amount)), cny(held))
    if back <= 0:
        return ZERO
    commitment_return(
        commitment=commitment, amount=back, actor=commitment.created_by,
        idempotency_key=key(), returned_on=on,
    )  # fmt: skip
    return back
