"""The fund's money: receive tranches, commit, release and reverse.

Each service locks what it reads before it decides, writes one balanced
ledger transaction, and runs once per idempotency key.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from fundapp import clock
from fundapp.idempotency import request_digest
from fundapp.models import (
    Account,
    Category,
    Commitment,
    Fund,
    LedgerTransaction,
    Source,
    Tranche,
    User,
)
from fundapp.money import ZERO, cny, format_cny, parse_amount
from fundapp.permissions import require_perm

from .ledger import lock_accounts, post_transaction, run_once

PAYMENT_KINDS = frozenset(
    {LedgerTransaction.Kind.DISBURSE, LedgerTransaction.Kind.RETURN}
)
PURPOSE_MAX_LENGTH = Commitment._meta.get_field("purpose").max_length
DECISION_MAX_LENGTH = Commitment._meta.get_field("decision").max_length
# A restriction's spend-by date lies within this many years of the money's
# arrival; later is a typing error (9999), not a donor's condition.
SPEND_BY_YEARS = 10


def require_money_authority(*, actor: User, fund: Fund, decision: str) -> None:
    """The actor may commit or release this fund's money, on their own right
    (the fund committee) or announcing the council decision cited."""
    if len(decision) > DECISION_MAX_LENGTH:
        raise ValidationError(_("A decision is cited by a short reference."))
    if decision:
        require_perm(actor, "fundapp.commit_on_decision", fund)
    else:
        require_perm(actor, "fundapp.move_money", fund)


def _external_account(source: Source) -> Account:
    account, _created = Account.objects.get_or_create(
        fund_id=source.fund_id,
        source=source,
        kind=Account.Kind.EXTERNAL_SOURCE,
    )
    return account


def reversed_tranche_ids(*, fund: Fund):
    """A subquery of the fund's tranches whose receipt was reversed (in error)."""
    return LedgerTransaction.objects.filter(
        fund=fund,
        kind=LedgerTransaction.Kind.REVERSAL,
        reverses__kind=LedgerTransaction.Kind.RECEIVE,
    ).values("tranche_id")


def _check_match(*, matches, match_ratio, match_cap, amount, fund) -> dict:
    """Return field errors for a matching tranche, after locking the matched one."""
    if matches is None:
        if match_ratio is not None or match_cap is not None:
            return {"matches": _("Choose the tranche this one matches.")}
        return {}
    matched = Tranche.objects.select_for_update().get(pk=matches.pk)
    if matched.fund_id != fund.pk:
        return {"matches": _("A tranche can only match a tranche of the same fund.")}
    if match_ratio is None or match_ratio <= 0:
        return {"match_ratio": _("Give the match ratio, such as 1 for one to one.")}
    limit = cny(matched.amount * match_ratio)
    if match_cap is not None:
        limit = min(limit, match_cap)
    already = cny(
        Tranche.objects.filter(matches=matched)
        .exclude(pk__in=reversed_tranche_ids(fund=fund))
        .aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    if amount + already > limit:
        return {
            "amount": _(
                "The match is capped at %(limit)s (ratio %(ratio)s × %(matched)s, "
                "cap %(cap)s); %(already)s already matches it, so at most "
                "%(room)s can be recorded."
            )
            % {
                "limit": format_cny(limit),
                "ratio": match_ratio.normalize(),
                "matched": format_cny(matched.amount),
                "cap": format_cny(match_cap) if match_cap is not None else _("none"),
                "already": format_cny(already),
                "room": format_cny(max(limit - already, ZERO)),
            }
        }
    return {}


def tranche_receive(
    *,
    fund: Fund,
    source: Source,
    fiscal_year: int,
    reference: str,
    amount: Decimal | str,
    received_on: date,
    actor: User,
    idempotency_key: str,
    allowed_categories: list[str] | tuple = (),
    spend_by: date | None = None,
    matches: Tranche | None = None,
    match_ratio: Decimal | str | None = None,
    match_cap: Decimal | str | None = None,
) -> Tranche:
    """Record a contribution and post it to the tranche's available account.

    Needs `fundapp.record_tranche`. Refuses a duplicate (same source, year and
    reference), a received date outside the fiscal year, a spend-by date more
    than ten years on, a match beyond ratio × matched amount or its cap, and
    amounts that are not positive yuan with at most two decimals. Writes one RECEIVE
    transaction: debit the tranche's available account, credit the source.
    """
    require_perm(actor, "fundapp.record_tranche", fund)
    amount = parse_amount(amount)
    match_ratio = Decimal(str(match_ratio)) if match_ratio not in (None, "") else None
    match_cap = parse_amount(match_cap) if match_cap not in (None, "") else None
    reference = reference.strip()
    allowed_categories = sorted(set(allowed_categories))

    errors = {}
    if source.fund_id != fund.pk:
        errors["source"] = _("This source gives to another fund.")
    if not reference:
        errors["reference"] = _("Give the agreement or bank slip number.")
    if not 2000 <= fiscal_year <= 2100:
        errors["fiscal_year"] = _("Give a fiscal year between 2000 and 2100.")
    unknown = set(allowed_categories) - set(Category.values)
    if unknown:
        errors["allowed_categories"] = _("Unknown category: %(names)s.") % {
            "names": ", ".join(sorted(unknown))
        }
    if received_on.year != fiscal_year and "fiscal_year" not in errors:
        errors["received_on"] = _(
            "Money received on %(day)s belongs to fiscal year %(year)s "
            "(the fiscal year is the calendar year)."
        ) % {"day": received_on.isoformat(), "year": received_on.year}
    if spend_by is not None and spend_by < received_on:
        errors["spend_by"] = _("The spend-by date cannot be before the money arrives.")
    elif spend_by is not None and spend_by.year > received_on.year + SPEND_BY_YEARS:
        errors["spend_by"] = _(
            "Give a spend-by date within ten years of the money's arrival."
        )
    if errors:
        raise ValidationError(errors)

    def movement() -> Tranche:
        if Tranche.objects.filter(
            source=source, fiscal_year=fiscal_year, reference=reference
        ).exists():
            raise ValidationError(
                {
                    "reference": _(
                        "%(source)s already has a %(year)s tranche with reference "
                        "%(reference)s."
                    )
                    % {"source": source, "year": fiscal_year, "reference": reference}
                }
            )
        match_errors = _check_match(
            matches=matches,
            match_ratio=match_ratio,
            match_cap=match_cap,
            amount=amount,
            fund=fund,
        )
        if match_errors:
            raise ValidationError(match_errors)
        tranche = Tranche.objects.create(
            fund=fund,
            source=source,
            fiscal_year=fiscal_year,
            reference=reference,
            amount=amount,
            received_on=received_on,
            allowed_categories=allowed_categories,
            spend_by=spend_by,
            matches=matches,
            match_ratio=match_ratio,
            match_cap=match_cap,
            recorded_by=actor,
        )
        available = Account.objects.create(
            fund=fund,
            source=source,
            tranche=tranche,
            kind=Account.Kind.TRANCHE_AVAILABLE,
        )
        post_transaction(
            fund=fund,
            kind=LedgerTransaction.Kind.RECEIVE,
            entries=[(available, amount), (_external_account(source), -amount)],
            idempotency_key=idempotency_key,
            request_digest=digest,
            effective_on=received_on,
            memo=reference,
            created_by=actor,
            tranche=tranche,
        )
        return tranche

    digest = request_digest(
        LedgerTransaction.Kind.RECEIVE,
        fund=fund,
        actor=actor,
        source=source,
        fiscal_year=fiscal_year,
        reference=reference,
        amount=amount,
        received_on=received_on,
        allowed_categories=allowed_categories,
        spend_by=spend_by,
        matches=matches,
        match_ratio=match_ratio,
        match_cap=match_cap,
    )
    return run_once(
        idempotency_key=idempotency_key,
        request_digest=digest,
        movement=movement,
        replay=lambda original: original.tranche,
    )


def spendable_tranches(*, fund: Fund, category: str, on: date) -> list[Tranche]:
    """Tranches whose restrictions let them pay for this category on this date.

    The money that must be spent first comes first: earliest spend-by date,
    then the oldest money.
    """
    tranches = [
        tranche
        for tranche in Tranche.objects.filter(fund=fund)
        if tranche.allows(category)
        and (tranche.spend_by is None or tranche.spend_by >= on)
    ]
    return sorted(
        tranches,
        key=lambda t: (t.spend_by is None, t.spend_by or on, t.received_on, t.pk),
    )


def commitment_create(
    *,
    fund: Fund,
    purpose: str,
    category: str,
    amount: Decimal,
    actor: User,
    idempotency_key: str,
    decision: str = "",
    on: date | None = None,
) -> Commitment:
    """Set money aside for a purpose from the tranches that may pay for it.

    The authority is the actor's own right (`fundapp.move_money`, the fund
    committee) or, when `decision` cites the council decision that commits
    the money (e.g. "JMJY-5#3"), that decision, announced by `actor`
    (`fundapp.commit_on_decision`). Locks the available accounts of every
    allowed tranche (id order) before it counts them, so concurrent
    commitments cannot overspend; refuses with the shortfall. Writes one
    COMMIT transaction: available → committed, per tranche.
    """
    decision = decision.strip()
    require_money_authority(actor=actor, fund=fund, decision=decision)
    amount = parse_amount(amount)
    on = on or clock.today()
    purpose = purpose.strip()
    if category not in Category.values:
        raise ValidationError({"category": _("Choose a category from the list.")})
    if not purpose:
        raise ValidationError({"purpose": _("Say what the money is for.")})
    if len(purpose) > PURPOSE_MAX_LENGTH:
        raise ValidationError(
            {
                "purpose": _(
                    "Say what the money is for in at most %(limit)s characters."
                )
                % {"limit": PURPOSE_MAX_LENGTH}
            }
        )

    def movement() -> Commitment:
        tranches = spendable_tranches(fund=fund, category=category, on=on)
        accounts = lock_accounts(
            Account.objects.filter(
                tranche__in=tranches,
                kind=Account.Kind.TRANCHE_AVAILABLE,
                commitment__isnull=True,
            ).values_list("pk", flat=True)
        )
        by_tranche = {account.tranche_id: account for account in accounts.values()}
        available = sum((a.balance for a in accounts.values()), ZERO)
        if available < amount:
            raise ValidationError(
                {
                    "amount": _(
                        "The tranches that may pay for %(category)s hold "
                        "%(available)s; this commitment of %(amount)s is "
                        "%(shortfall)s short."
                    )
                    % {
                        "category": Category(category).label,
                        "available": format_cny(available),
                        "amount": format_cny(amount),
                        "shortfall": format_cny(amount - available),
                    }
                }
            )
        commitment = Commitment.objects.create(
            fund=fund,
            purpose=purpose,
            decision=decision,
            category=category,
            amount=amount,
            created_by=actor,
        )
        entries = []
        left = amount
        for tranche in tranches:
            account = by_tranche.get(tranche.pk)
            if left == 0 or account is None or account.balance <= 0:
                continue
            take = min(left, account.balance)
            committed = Account.objects.create(
                fund=fund,
                source_id=tranche.source_id,
                tranche=tranche,
                commitment=commitment,
                kind=Account.Kind.COMMITTED,
            )
            entries += [(account, -take), (committed, take)]
            left -= take
        post_transaction(
            fund=fund,
            kind=LedgerTransaction.Kind.COMMIT,
            entries=entries,
            idempotency_key=idempotency_key,
            request_digest=digest,
            effective_on=on,
            memo=commitment.purpose,
            created_by=actor,
            commitment=commitment,
        )
        return commitment

    digest = request_digest(
        LedgerTransaction.Kind.COMMIT,
        fund=fund,
        actor=actor,
        decision=decision,
        purpose=purpose,
        category=category,
        amount=amount,
        on=on,
    )
    return run_once(
        idempotency_key=idempotency_key,
        request_digest=digest,
        movement=movement,
        replay=lambda original: original.commitment,
    )


def commitment_outstanding(commitment: Commitment) -> Decimal:
    """What is still committed (not released, not paid)."""
    total = commitment.accounts.filter(kind=Account.Kind.COMMITTED).aggregate(
        total=Sum("balance")
    )["total"]
    return cny(total or ZERO)


def commitment_release(
    *,
    commitment: Commitment,
    actor: User,
    idempotency_key: str,
    amount: Decimal | None = None,
    reason: str = "",
    decision: str = "",
    on: date | None = None,
) -> LedgerTransaction:
    """Give committed money back to its tranches' available accounts.

    The authority is the actor's own right (`fundapp.move_money`) or the
    council decision cited in `decision`, as for `commitment_create`.
    Releases all that is outstanding, or `amount` of it, taking the last
    tranches committed first. Writes one RELEASE transaction.
    """
    fund = commitment.fund
    decision = decision.strip()
    require_money_authority(actor=actor, fund=fund, decision=decision)
    amount = parse_amount(amount) if amount is not None else None
    reason = reason.strip()
    on = on or clock.today()

    def movement() -> LedgerTransaction:
        committed = lock_accounts(
            commitment.accounts.filter(kind=Account.Kind.COMMITTED).values_list(
                "pk", flat=True
            )
        )
        outstanding = sum((a.balance for a in committed.values()), ZERO)
        wanted = outstanding if amount is None else amount
        if outstanding == 0:
            raise ValidationError(_("Nothing of this commitment is left to release."))
        if wanted > outstanding:
            raise ValidationError(
                {
                    "amount": _(
                        "Only %(outstanding)s of this commitment is outstanding."
                    )
                    % {"outstanding": format_cny(outstanding)}
                }
            )
        available = {
            account.tranche_id: account
            for account in Account.objects.filter(
                tranche_id__in=[a.tranche_id for a in committed.values()],
                kind=Account.Kind.TRANCHE_AVAILABLE,
                commitment__isnull=True,
            )
        }
        entries = []
        left = wanted
        for account in sorted(committed.values(), key=lambda a: a.pk, reverse=True):
            if left == 0:
                break
            give = min(left, account.balance)
            if give > 0:
                entries += [(account, -give), (available[account.tranche_id], give)]
                left -= give
        return post_transaction(
            fund=fund,
            kind=LedgerTransaction.Kind.RELEASE,
            entries=entries,
            idempotency_key=idempotency_key,
            request_digest=digest,
            effective_on=on,
            memo=(reason or commitment.purpose)[:300],
            created_by=actor,
            commitment=commitment,
        )

    digest = request_digest(
        LedgerTransaction.Kind.RELEASE,
        fund=fund,
        actor=actor,
        decision=decision,
        commitment=commitment,
        amount=amount,
        reason=reason,
        on=on,
    )
    return run_once(
        idempotency_key=idempotency_key,
        request_digest=digest,
        movement=movement,
        replay=lambda original: original,
    )


def transaction_reverse(
    *,
    original: LedgerTransaction,
    actor: User,
    reason: str,
    idempotency_key: str,
    on: date | None = None,
) -> LedgerTransaction:
    """Undo a movement with its mirror image, naming what it reverses (once).

    Needs `fundapp.move_money`. Refuses a reversal of a reversal, of a
    movement already reversed (the one-to-one `reverses` makes this hold under
    concurrency too), and one that would take an account below zero (e.g. a
    received tranche whose money is already committed).
    """
    require_perm(actor, "fundapp.move_money", original.fund)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this movement is being reversed.")})
    on = on or clock.today()

    def movement() -> LedgerTransaction:
        locked = LedgerTransaction.objects.select_for_update().get(pk=original.pk)
        if locked.kind in PAYMENT_KINDS:
            raise ValidationError(
                _(
                    "A payment or a return is corrected in its project, where the "
                    "installment and the receipts are, not reversed here."
                ),
                code="payment_not_reversible",
            )
        if locked.kind == LedgerTransaction.Kind.REVERSAL:
            raise ValidationError(
                _("A reversal cannot itself be reversed; record the movement again.")
            )
        already = LedgerTransaction.objects.filter(reverses=locked).first()
        if already is not None:
            raise ValidationError(
                _("Movement #%(original)s was already reversed by #%(reversal)s.")
                % {"original": locked.pk, "reversal": already.pk}
            )
        entries = [(entry.account, -entry.amount) for entry in locked.entries.all()]
        return post_transaction(
            fund=locked.fund,
            kind=LedgerTransaction.Kind.REVERSAL,
            entries=entries,
            idempotency_key=idempotency_key,
            request_digest=digest,
            effective_on=on,
            memo=reason[:300],
            created_by=actor,
            tranche=locked.tranche,
            commitment=locked.commitment,
            reverses=locked,
        )

    digest = request_digest(
        LedgerTransaction.Kind.REVERSAL,
        fund=original.fund,
        actor=actor,
        original=original,
        reason=reason,
        on=on,
    )
    return run_once(
        idempotency_key=idempotency_key,
        request_digest=digest,
        movement=movement,
        replay=lambda original: original,
    )
