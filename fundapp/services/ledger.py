"""Posting to the ledger: the one place that writes entries and balances."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from fundapp.models import Account, LedgerEntry, LedgerTransaction
from fundapp.money import ZERO, cny, format_cny


def transaction_by_key(idempotency_key: str) -> LedgerTransaction | None:
    """Return the movement already made with this key, if any."""
    return LedgerTransaction.objects.filter(idempotency_key=idempotency_key).first()


def require_idempotency_key(idempotency_key: str) -> None:
    if not idempotency_key or len(idempotency_key) > 80:
        raise ValidationError(_("This form has expired; open it again and resubmit."))


def lock_accounts(account_ids: Iterable[int]) -> dict[int, Account]:
    """Lock the accounts in ascending id order (no deadlocks) and return them fresh."""
    locked = Account.objects.select_for_update().filter(pk__in=set(account_ids))
    return {account.pk: account for account in locked.order_by("pk")}


def post_transaction(
    *,
    fund,
    kind: str,
    entries: list[tuple[Account, object]],
    idempotency_key: str,
    effective_on: date,
    memo: str = "",
    created_by=None,
    tranche=None,
    commitment=None,
    reverses=None,
) -> LedgerTransaction:
    """Write one balanced movement and update the accounts' cached balances.

    Must run inside `transaction.atomic`. Locks every account it touches (in
    id order) before reading its balance, so two movements never spend the
    same yuan; refuses, with the shortfall, a movement that would take an
    account of the fund's own money below zero. The key is unique: a second
    movement with the same key fails with IntegrityError.
    """
    amounts: dict[int, object] = {}
    for account, amount in entries:
        amounts[account.pk] = amounts.get(account.pk, ZERO) + cny(amount)
    amounts = {pk: amount for pk, amount in amounts.items() if amount != 0}
    if not amounts or sum(amounts.values(), ZERO) != ZERO:
        raise ValueError("A ledger transaction needs entries that sum to zero.")

    accounts = lock_accounts(amounts)
    for pk, amount in amounts.items():
        account = accounts[pk]
        if account.kind == Account.Kind.EXTERNAL_SOURCE:
            continue
        if account.balance + amount < 0:
            raise ValidationError(
                _(
                    "%(account)s holds %(balance)s; this movement needs "
                    "%(shortfall)s more."
                )
                % {
                    "account": account,
                    "balance": format_cny(account.balance),
                    "shortfall": format_cny(-(account.balance + amount)),
                }
            )

    moved = sum((amount for amount in amounts.values() if amount > 0), ZERO)
    ledger_transaction = LedgerTransaction.objects.create(
        fund=fund,
        kind=kind,
        amount=moved,
        memo=memo[:300],
        effective_on=effective_on,
        fiscal_year=effective_on.year,
        tranche=tranche,
        commitment=commitment,
        reverses=reverses,
        idempotency_key=idempotency_key,
        created_by=created_by,
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(transaction=ledger_transaction, account_id=pk, amount=amount)
        for pk, amount in sorted(amounts.items())
    )
    for pk, amount in amounts.items():
        Account.objects.filter(pk=pk).update(balance=F("balance") + amount)
    return ledger_transaction


def run_once(*, idempotency_key: str, movement, replay):
    """Run `movement()` once per key; a repeated key returns `replay(original)`.

    `movement` writes a LedgerTransaction with this key and returns what the
    caller wants; `replay` recovers that from the original transaction. A
    concurrent duplicate waits on the unique key, fails, and is answered with
    the committed original. Any other conflict the database refuses becomes a
    message, and nothing is written.
    """
    require_idempotency_key(idempotency_key)
    existing = transaction_by_key(idempotency_key)
    if existing is not None:
        return replay(existing)
    try:
        with transaction.atomic():
            return movement()
    except IntegrityError:
        existing = transaction_by_key(idempotency_key)
        if existing is None:
            raise ValidationError(
                _(
                    "Someone changed this at the same moment; nothing was recorded. "
                    "Check the ledger and try again."
                )
            ) from None
        return replay(existing)
