"""Posting to the ledger: the one place that writes entries and balances."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fundapp.idempotency import require_key_shape, require_same_request
from fundapp.models import Account, LedgerEntry, LedgerTransaction, User
from fundapp.money import ZERO, cny, format_cny


def transaction_by_key(idempotency_key: str) -> LedgerTransaction | None:
    """Return the movement already made with this key, if any."""
    return LedgerTransaction.objects.filter(idempotency_key=idempotency_key).first()


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
    request_digest: str,
    effective_on: date,
    memo: str = "",
    created_by: User | None = None,
    tranche=None,
    commitment=None,
    reverses=None,
) -> LedgerTransaction:
    """Write one balanced movement; the database adds it to the balances.

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
        request_digest=request_digest,
        created_by=created_by,
    )
    # Each entry adds itself to its account's balance in the database (a
    # trigger, migration 0007): the cache is the entries' sum, whoever writes.
    LedgerEntry.objects.bulk_create(
        LedgerEntry(transaction=ledger_transaction, account_id=pk, amount=amount)
        for pk, amount in sorted(amounts.items())
    )
    return ledger_transaction


def run_once(*, idempotency_key: str, request_digest: str, movement, replay):
    """Run `movement()` once per key; a retry of the same request replays it.

    `movement` writes a LedgerTransaction with this key and digest and returns
    what the caller wants; `replay` recovers that from the original
    transaction. The same key with the same request digest (same operation,
    fund, actor or decision, parameters) returns `replay(original)`; the same
    key with any other digest is refused (code `idempotency_key_reused`) and
    writes nothing. A concurrent duplicate waits on the original's locks or
    unique key, fails (or is refused by a rule the original's effect now
    breaks), and is answered the same way once the original is committed.
    Any other conflict the database refuses becomes a message, and nothing is
    written.
    """
    require_key_shape(idempotency_key)

    def answer(existing: LedgerTransaction):
        require_same_request(
            stored_digest=existing.request_digest, digest=request_digest
        )
        return replay(existing)

    existing = transaction_by_key(idempotency_key)
    if existing is not None:
        return answer(existing)
    try:
        with transaction.atomic():
            return movement()
    except ValidationError:
        # A duplicate that waited for the original's locks may be refused by
        # what the original did (the money it committed is gone): the key,
        # looked up again, answers it as a retry.
        existing = transaction_by_key(idempotency_key)
        if existing is None:
            raise
        return answer(existing)
    except IntegrityError:
        existing = transaction_by_key(idempotency_key)
        if existing is None:
            raise ValidationError(
                _(
                    "Someone changed this at the same moment; nothing was recorded. "
                    "Check the ledger and try again."
                )
            ) from None
        return answer(existing)
