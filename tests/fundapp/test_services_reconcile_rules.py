"""Reconciliation at its edges: each problem found alone, with every figure
that shows it, told in whole words, and kept as it was found (issue 17)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.utils import translation

from fundapp.models import Account, LedgerEntry, LedgerTransaction
from fundapp.services import LedgerProblem, fund_reconcile
from fundapp.services.reconcile import ProblemKind
from tests.factories import make_funded_community, make_source
from tests.fundapp.test_tasks import behind_the_ledgers_back

pytestmark = pytest.mark.django_db


def accounts_of(tranche) -> tuple[Account, Account]:
    """The tranche's available account and its source's external account."""
    available = tranche.accounts.get(kind=Account.Kind.TRANCHE_AVAILABLE)
    external = Account.objects.get(
        source=tranche.source, kind=Account.Kind.EXTERNAL_SOURCE
    )
    return available, external


def written_by_hand(community, amount, entries, idempotency_key):
    """A movement and its entries written as a restore around the guards would,
    the balances moved with the entries (on PostgreSQL the restore goes around
    the trigger that moves them too, so this moves them as it would)."""
    with behind_the_ledgers_back():
        movement = LedgerTransaction.objects.create(
            fund=community.fund,
            kind=LedgerTransaction.Kind.RECEIVE,
            amount=amount,
            effective_on="2026-01-01",
            fiscal_year=2026,
            idempotency_key=idempotency_key,
        )
        for account, value in entries:
            LedgerEntry.objects.create(
                transaction=movement, account=account, amount=Decimal(value)
            )
            if connection.vendor == "postgresql":
                Account.objects.filter(pk=account.pk).update(
                    balance=F("balance") + Decimal(value)
                )
    return movement


# Each problem alone, with its figures.


@pytest.mark.parametrize("amount", ["0.01", "1.00"])
def test_a_sound_movement_of_a_yuan_or_less_reconciles(amount):
    community, _keeper, _tranche = make_funded_community(amount)

    assert fund_reconcile(fund=community.fund) == []


def test_a_cached_balance_is_found_with_the_account_and_both_figures():
    community, _keeper, tranche = make_funded_community("100.00")
    available, _external = accounts_of(tranche)
    with behind_the_ledgers_back():
        Account.objects.filter(pk=available.pk).update(balance="99.00")

    assert fund_reconcile(fund=community.fund) == [
        LedgerProblem(
            ProblemKind.BALANCE,
            account_id=available.pk,
            expected=Decimal("99.00"),
            found=Decimal("100.00"),
        )
    ]


def test_a_cached_balance_on_an_account_without_entries_is_found():
    community, _keeper, _tranche = make_funded_community("100.00")
    source = make_source(community.fund)
    account = Account.objects.create(
        fund=community.fund, source=source, kind=Account.Kind.EXTERNAL_SOURCE
    )
    with behind_the_ledgers_back():
        Account.objects.filter(pk=account.pk).update(balance="5.00")

    assert fund_reconcile(fund=community.fund) == [
        LedgerProblem(
            ProblemKind.BALANCE,
            account_id=account.pk,
            expected=Decimal("5.00"),
            found=Decimal("0.00"),
        )
    ]


def test_a_balanced_movement_that_says_it_moves_another_amount_is_found_alone():
    community, _keeper, tranche = make_funded_community("100.00")
    available, external = accounts_of(tranche)

    movement = written_by_hand(
        community, "7.00", [(available, "5.00"), (external, "-5.00")], "amount"
    )

    assert fund_reconcile(fund=community.fund) == [
        LedgerProblem(
            ProblemKind.AMOUNT,
            transaction_id=movement.pk,
            expected=Decimal("7.00"),
            found=Decimal("5.00"),
        )
    ]


def test_an_unbalanced_movement_that_moves_what_it_says_is_found_alone():
    community, _keeper, tranche = make_funded_community("100.00")
    available, external = accounts_of(tranche)

    movement = written_by_hand(
        community, "2.00", [(available, "2.00"), (external, "-1.00")], "unbalanced"
    )

    assert fund_reconcile(fund=community.fund) == [
        LedgerProblem(
            ProblemKind.UNBALANCED, transaction_id=movement.pk, found=Decimal("1.00")
        )
    ]


def test_a_movement_without_entries_is_found_empty_and_moving_nothing():
    community, _keeper, _tranche = make_funded_community("100.00")

    movement = written_by_hand(community, "1000000.00", [], "empty")

    assert fund_reconcile(fund=community.fund) == [
        LedgerProblem(ProblemKind.EMPTY, transaction_id=movement.pk, entry_count=0),
        LedgerProblem(
            ProblemKind.AMOUNT,
            transaction_id=movement.pk,
            expected=Decimal("1000000.00"),
            found=Decimal("0.00"),
        ),
    ]


def test_a_movement_of_one_entry_is_found_with_its_count_and_its_imbalance():
    community, _keeper, tranche = make_funded_community("100.00")
    available, _external = accounts_of(tranche)

    movement = written_by_hand(community, "3.00", [(available, "3.00")], "one")

    assert fund_reconcile(fund=community.fund) == [
        LedgerProblem(ProblemKind.EMPTY, transaction_id=movement.pk, entry_count=1),
        LedgerProblem(
            ProblemKind.UNBALANCED, transaction_id=movement.pk, found=Decimal("3.00")
        ),
    ]


def test_one_entry_on_another_funds_account_is_found_alone_from_both_funds():
    community, _keeper, tranche = make_funded_community("100.00")
    other, _other_keeper, other_tranche = make_funded_community("100.00")
    available, _external = accounts_of(tranche)
    foreign, _other_external = accounts_of(other_tranche)

    movement = written_by_hand(
        community, "5.00", [(available, "5.00"), (foreign, "-5.00")], "crossing"
    )

    crossing = [
        LedgerProblem(
            ProblemKind.FOREIGN_ENTRY,
            transaction_id=movement.pk,
            account_id=foreign.pk,
        )
    ]
    assert fund_reconcile(fund=community.fund) == crossing
    assert fund_reconcile(fund=other.fund) == crossing


# Each problem told in words, and kept as found.

PROBLEMS = {
    "balance": (
        LedgerProblem(
            ProblemKind.BALANCE,
            account_id=5,
            expected=Decimal("99.00"),
            found=Decimal("100.00"),
        ),
        "Account 5 caches a balance of ¥99.00 but its entries sum to ¥100.00.",
    ),
    "empty": (
        LedgerProblem(ProblemKind.EMPTY, transaction_id=7, entry_count=1),
        "Movement #7 has 1 entries; a movement needs at least two.",
    ),
    "unbalanced": (
        LedgerProblem(ProblemKind.UNBALANCED, transaction_id=7, found=Decimal("-1")),
        "Movement #7 is unbalanced by -¥1.00.",
    ),
    "amount": (
        LedgerProblem(
            ProblemKind.AMOUNT,
            transaction_id=7,
            expected=Decimal("1000000.00"),
            found=Decimal("0.00"),
        ),
        "Movement #7 says it moves ¥1,000,000.00 but its entries move ¥0.00.",
    ),
    "foreign": (
        LedgerProblem(ProblemKind.FOREIGN_ENTRY, transaction_id=7, account_id=9),
        "Movement #7 has an entry on account 9 of another fund.",
    ),
}


@pytest.mark.parametrize("name", PROBLEMS)
def test_each_problem_is_told_in_whole_words(name):
    problem, words = PROBLEMS[name]

    with translation.override("en"):
        assert problem.describe() == words


@pytest.mark.parametrize("name", PROBLEMS)
def test_a_problem_kept_as_json_reads_back_as_it_was_found(name):
    problem, _words = PROBLEMS[name]

    kept = problem.as_json()

    assert kept == {
        "kind": problem.kind,
        "transaction_id": problem.transaction_id,
        "account_id": problem.account_id,
        "expected": None if problem.expected is None else str(problem.expected),
        "found": None if problem.found is None else str(problem.found),
        "entry_count": problem.entry_count,
    }
    assert LedgerProblem.from_json(kept) == problem


def test_a_problem_kept_with_its_figures_as_text_keeps_them_to_the_fen():
    kept = PROBLEMS["amount"][0].as_json()

    assert (kept["expected"], kept["found"], kept["account_id"]) == (
        "1000000.00",
        "0.00",
        None,
    )
