"""Paying committed money out, and taking back what was not spent.

`commitment_disburse` pays an installment: committed → disbursed, from the
tranches the commitment drew on, first committed first. `commitment_return`
takes unspent money back: disbursed → the tranches' available accounts, last
disbursed first. Each locks what it reads, writes one balanced ledger
transaction, and runs once per idempotency key (fundapp/models/ledger.py has
the accounts; fundapp/idempotency.py the keys).

Who asks for a payment, who signs it and when it may be made are the
projects app's rules; here the actor must be able to move the fund's money
(a fund committee member: the second signature).
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fundapp.idempotency import request_digest
from fundapp.models import Account, Commitment, LedgerTransaction, User
from fundapp.money import ZERO, format_cny, parse_amount
from fundapp.permissions import require_perm

from .ledger import lock_accounts, post_transaction, run_once

MEMO_LIMIT = LedgerTransaction._meta.get_field("memo").max_length


def _disbursed_account(committed: Account) -> Account:
    account, _created = Account.objects.get_or_create(
        fund_id=committed.fund_id,
        source_id=committed.source_id,
        tranche_id=committed.tranche_id,
        commitment_id=committed.commitment_id,
        kind=Account.Kind.DISBURSED,
    )
    return account


def commitment_disburse(
    *,
    commitment: Commitment,
    amount: Decimal,
    actor: User,
    idempotency_key: str,
    paid_on: date,
    memo: str = "",
) -> LedgerTransaction:
    """Pay `amount` of a commitment out to its grantee.

    Needs `fundapp.move_money`. Locks the commitment's committed accounts (id
    order) and refuses a payment beyond what is still committed, naming it.
    Writes one DISBURSE transaction: disbursed (c, t) ← committed (c, t),
    taking the tranches in the order the commitment drew on them.
    """
    require_perm(actor, "fundapp.move_money", commitment.fund)
    amount = parse_amount(amount)
    memo = (memo or commitment.purpose).strip()[:MEMO_LIMIT]

    def movement() -> LedgerTransaction:
        committed = lock_accounts(
            commitment.accounts.filter(kind=Account.Kind.COMMITTED).values_list(
                "pk", flat=True
            )
        )
        outstanding = sum((a.balance for a in committed.values()), ZERO)
        if amount > outstanding:
            raise ValidationError(
                {
                    "amount": ValidationError(
                        _(
                            "Only %(outstanding)s of this grant is still committed; "
                            "%(amount)s cannot be paid."
                        )
                        % {
                            "outstanding": format_cny(outstanding),
                            "amount": format_cny(amount),
                        },
                        code="beyond_commitment",
                    )
                }
            )
        entries, left = [], amount
        for account in sorted(committed.values(), key=lambda a: a.pk):
            take = min(left, account.balance)
            if take > 0:
                entries += [(account, -take), (_disbursed_account(account), take)]
                left -= take
        return post_transaction(
            fund=commitment.fund,
            kind=LedgerTransaction.Kind.DISBURSE,
            entries=entries,
            idempotency_key=idempotency_key,
            request_digest=digest,
            effective_on=paid_on,
            memo=memo,
            created_by=actor,
            commitment=commitment,
        )

    digest = request_digest(
        LedgerTransaction.Kind.DISBURSE,
        fund=commitment.fund,
        actor=actor,
        commitment=commitment,
        amount=amount,
        paid_on=paid_on,
        memo=memo,
    )
    return run_once(
        idempotency_key=idempotency_key,
        request_digest=digest,
        movement=movement,
        replay=lambda original: original,
    )


def commitment_paid_out(commitment: Commitment) -> Decimal:
    """What was paid out for a commitment and not returned (its disbursed balances)."""
    return sum(
        commitment.accounts.filter(kind=Account.Kind.DISBURSED).values_list(
            "balance", flat=True
        ),
        ZERO,
    )


def commitment_return(
    *,
    commitment: Commitment,
    amount: Decimal,
    actor: User,
    idempotency_key: str,
    returned_on: date,
    memo: str = "",
) -> LedgerTransaction:
    """Take back money paid out for a commitment and not spent.

    Needs `fundapp.move_money`. Locks the commitment's disbursed accounts and
    refuses more than they hold. Writes one RETURN transaction: tranche
    available (t) ← disbursed (c, t), last disbursed first, so the money can
    be committed again under its tranche's own restrictions.
    """
    require_perm(actor, "fundapp.move_money", commitment.fund)
    amount = parse_amount(amount)
    memo = (memo or commitment.purpose).strip()[:MEMO_LIMIT]

    def movement() -> LedgerTransaction:
        disbursed = lock_accounts(
            commitment.accounts.filter(kind=Account.Kind.DISBURSED).values_list(
                "pk", flat=True
            )
        )
        held = sum((a.balance for a in disbursed.values()), ZERO)
        if amount > held:
            raise ValidationError(
                {
                    "amount": ValidationError(
                        _(
                            "Only %(held)s of this grant was paid out and not yet "
                            "returned; %(amount)s cannot be returned."
                        )
                        % {"held": format_cny(held), "amount": format_cny(amount)},
                        code="beyond_paid",
                    )
                }
            )
        available = {
            account.tranche_id: account
            for account in Account.objects.filter(
                tranche_id__in=[a.tranche_id for a in disbursed.values()],
                kind=Account.Kind.TRANCHE_AVAILABLE,
                commitment__isnull=True,
            )
        }
        entries, left = [], amount
        for account in sorted(disbursed.values(), key=lambda a: a.pk, reverse=True):
            give = min(left, account.balance)
            if give > 0:
                entries += [(account, -give), (available[account.tranche_id], give)]
                left -= give
        return post_transaction(
            fund=commitment.fund,
            kind=LedgerTransaction.Kind.RETURN,
            entries=entries,
            idempotency_key=idempotency_key,
            request_digest=digest,
            effective_on=returned_on,
            memo=memo,
            created_by=actor,
            commitment=commitment,
        )

    digest = request_digest(
        LedgerTransaction.Kind.RETURN,
        fund=commitment.fund,
        actor=actor,
        commitment=commitment,
        amount=amount,
        returned_on=returned_on,
        memo=memo,
    )
    return run_once(
        idempotency_key=idempotency_key,
        request_digest=digest,
        movement=movement,
        replay=lambda original: original,
    )
