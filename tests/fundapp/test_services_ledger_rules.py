"""Posting to the ledger at its edges: a movement balances, names its
shortfall in full, records what it is, and one key acts once even when two
requests race for it (issue 17)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fundapp import services
from fundapp.models import Account, Category, Commitment, LedgerTransaction
from fundapp.selectors import fund_balances
from fundapp.services import ledger
from tests.factories import key, make_funded_community

pytestmark = pytest.mark.django_db

NOT_BALANCED = "A ledger transaction needs entries that sum to zero."
RACED = (
    "Someone changed this at the same moment; nothing was recorded. "
    "Check the ledger and try again."
)
REUSED = (
    "This form was already used for another request, so nothing was changed. "
    "Open the form again to make a new one."
)


def accounts_of(tranche) -> tuple[Account, Account]:
    """The tranche's available account and its source's external account."""
    available = tranche.accounts.get(kind=Account.Kind.TRANCHE_AVAILABLE)
    external = Account.objects.get(
        source=tranche.source, kind=Account.Kind.EXTERNAL_SOURCE
    )
    return available, external


def post(community, entries, **fields):
    return services.post_transaction(
        fund=community.fund,
        kind=fields.pop("kind", LedgerTransaction.Kind.RECEIVE),
        entries=entries,
        idempotency_key=fields.pop("idempotency_key", key()),
        request_digest=fields.pop("request_digest", "digest"),
        effective_on=fields.pop("effective_on", date(2026, 3, 2)),
        **fields,
    )


def balance(account) -> Decimal:
    account.refresh_from_db()
    return account.balance


# A movement balances.


@pytest.mark.parametrize(
    "amounts",
    [
        pytest.param([("5.00", "available"), ("-4.99", "external")], id="unbalanced"),
        pytest.param([], id="no entries"),
        pytest.param([("0.00", "available"), ("0.00", "external")], id="all zero"),
        pytest.param([("5.00", "available"), ("-5.00", "available")], id="cancelled"),
    ],
)
def test_a_movement_that_moves_nothing_or_does_not_balance_is_refused(amounts):
    community, _keeper, tranche = make_funded_community("100.00")
    available, external = accounts_of(tranche)
    named = {"available": available, "external": external}

    with pytest.raises(ValueError, match="sum to zero") as refused:
        post(community, [(named[name], amount) for amount, name in amounts])

    assert str(refused.value) == NOT_BALANCED
    assert LedgerTransaction.objects.filter(fund=community.fund).count() == 1
    assert balance(available) == Decimal("100.00")


def test_two_entries_on_one_account_are_posted_as_one_entry_of_their_sum():
    community, _keeper, tranche = make_funded_community("100.00")
    available, external = accounts_of(tranche)

    movement = post(
        community, [(available, "2.50"), (available, "2.50"), (external, "-5.00")]
    )

    assert sorted(
        (entry.account_id, entry.amount) for entry in movement.entries.all()
    ) == sorted([(available.pk, Decimal("5.00")), (external.pk, Decimal("-5.00"))])
    assert movement.amount == Decimal("5.00")
    assert balance(available) == Decimal("105.00")


# A movement never takes the fund's own money below zero.


def test_a_shortfall_names_the_account_what_it_holds_and_what_is_missing():
    community, _keeper, tranche = make_funded_community("100.00")
    available, external = accounts_of(tranche)

    with pytest.raises(ValidationError, match="more") as refused:
        post(community, [(available, "-100.01"), (external, "100.01")])

    assert refused.value.messages == [
        f"tranche available · {tranche.pk} holds ¥100.00; "
        "this movement needs ¥0.01 more."
    ]
    assert balance(available) == Decimal("100.00")


def test_an_external_sources_account_listed_first_does_not_stop_the_check():
    """A source's own account may go below zero (it counts what the source gave);
    the fund's accounts after it in the movement are checked all the same."""
    community, _keeper, tranche = make_funded_community("100.00")
    available, external = accounts_of(tranche)

    with pytest.raises(ValidationError, match="more") as refused:
        post(community, [(external, "150.00"), (available, "-150.00")])

    assert refused.value.messages == [
        f"tranche available · {tranche.pk} holds ¥100.00; "
        "this movement needs ¥50.00 more."
    ]
    assert LedgerTransaction.objects.filter(fund=community.fund).count() == 1


def test_a_movement_may_take_an_account_to_exactly_zero():
    community, _keeper, tranche = make_funded_community("100.00")
    available, external = accounts_of(tranche)

    post(community, [(available, "-100.00"), (external, "100.00")])

    assert balance(available) == Decimal("0.00")


# What a movement records.


def test_a_movement_records_what_it_moves_its_year_and_no_memo_unless_given():
    community, keeper, tranche = make_funded_community("100.00")
    available, external = accounts_of(tranche)

    movement = post(
        community,
        [(available, "7.25"), (external, "-7.25")],
        effective_on=date(2027, 1, 4),
        created_by=keeper,
        idempotency_key="posted-once",
        request_digest="its digest",
    )

    movement.refresh_from_db()
    assert (movement.amount, movement.effective_on, movement.fiscal_year) == (
        Decimal("7.25"),
        date(2027, 1, 4),
        2027,
    )
    assert (movement.memo, movement.created_by, movement.kind) == (
        "",
        keeper,
        LedgerTransaction.Kind.RECEIVE,
    )
    assert (movement.idempotency_key, movement.request_digest) == (
        "posted-once",
        "its digest",
    )


def test_a_memo_is_kept_to_its_first_300_characters():
    community, _keeper, tranche = make_funded_community("100.00")
    available, external = accounts_of(tranche)
    memo = "M" * 300 + "N" * 100

    movement = post(community, [(available, "1.00"), (external, "-1.00")], memo=memo)

    movement.refresh_from_db()
    assert movement.memo == "M" * 300


# One key, one request, even when two requests race for it.


def commit(community, actor, amount="10.00", idempotency_key="raced"):
    return services.commitment_create(
        fund=community.fund,
        purpose="Night 110 patrol",
        category=Category.SECURITY,
        amount=amount,
        actor=actor,
        idempotency_key=idempotency_key,
    )


def another_request_commits_after_this_one_looks(monkeypatch, other_request):
    """The race on one key: this request looks the key up and finds nothing,
    then the other request with that key commits before this one writes (on
    PostgreSQL, this one waits on the unique key and fails once the other
    commits). One connection cannot interleave two transactions, so the
    other request is run right after the first look-up."""
    look_up = ledger.transaction_by_key
    raced = []

    def look_up_then_lose_the_race(idempotency_key):
        found = look_up(idempotency_key)
        if not raced:
            raced.append(other_request)
            other_request()
        return found

    monkeypatch.setattr(ledger, "transaction_by_key", look_up_then_lose_the_race)


def test_the_same_request_that_loses_the_race_returns_the_winners_commitment(
    monkeypatch,
):
    community, keeper, _tranche = make_funded_community("100.00")
    winner = []
    another_request_commits_after_this_one_looks(
        monkeypatch, lambda: winner.append(commit(community, keeper))
    )

    loser = commit(community, keeper)

    assert loser == winner[0]
    assert Commitment.objects.filter(fund=community.fund).count() == 1
    assert fund_balances(fund=community.fund).committed == Decimal("10.00")


def test_another_request_that_loses_the_race_for_a_key_is_refused(monkeypatch):
    community, keeper, _tranche = make_funded_community("100.00")
    another_request_commits_after_this_one_looks(
        monkeypatch, lambda: commit(community, keeper, "10.00")
    )

    with pytest.raises(ValidationError, match="already used") as refused:
        commit(community, keeper, "90.00")

    assert refused.value.messages == [REUSED]
    assert refused.value.code == "idempotency_key_reused"
    assert Commitment.objects.filter(fund=community.fund).count() == 1
    assert fund_balances(fund=community.fund).committed == Decimal("10.00")


def test_the_same_request_refused_by_what_the_winner_did_returns_its_commitment(
    monkeypatch,
):
    """The winner committed all the money: the loser's own movement is refused
    as short, but it is the same request, so it is answered as a retry."""
    community, keeper, _tranche = make_funded_community("100.00")
    winner = []
    another_request_commits_after_this_one_looks(
        monkeypatch, lambda: winner.append(commit(community, keeper, "100.00"))
    )

    loser = commit(community, keeper, "100.00")

    assert loser == winner[0]
    assert Commitment.objects.filter(fund=community.fund).count() == 1
    assert fund_balances(fund=community.fund).committed == Decimal("100.00")


def test_another_request_refused_by_what_the_winner_did_is_told_the_key_is_used(
    monkeypatch,
):
    community, keeper, _tranche = make_funded_community("100.00")
    another_request_commits_after_this_one_looks(
        monkeypatch, lambda: commit(community, keeper, "100.00")
    )

    with pytest.raises(ValidationError, match="already used") as refused:
        commit(community, keeper, "60.00")

    assert refused.value.messages == [REUSED]
    assert refused.value.code == "idempotency_key_reused"
    assert fund_balances(fund=community.fund).committed == Decimal("100.00")


def test_a_retry_is_answered_from_its_key_without_moving_money_again():
    """A retry reads its answer: it takes no account's lock and checks no
    balance again (the money it moved may since have been spent)."""
    community, keeper, _tranche = make_funded_community("100.00")
    first = commit(community, keeper, "100.00", idempotency_key="once")
    moved = []

    def movement():
        moved.append(True)
        raise AssertionError("a retry moved money again")

    replayed = ledger.run_once(
        idempotency_key="once",
        request_digest=first.transactions.get().request_digest,
        movement=movement,
        replay=lambda original: original.commitment,
    )

    assert replayed == first
    assert moved == []


def test_a_conflict_on_anything_but_the_key_is_a_message_and_records_nothing():
    community, _keeper, tranche = make_funded_community("100.00")
    available, external = accounts_of(tranche)

    def movement():
        post(
            community,
            [(available, "5.00"), (external, "-5.00")],
            idempotency_key="conflict",
        )
        # Another request opened the source's account at the same moment.
        Account.objects.create(
            fund=community.fund,
            source=tranche.source,
            kind=Account.Kind.EXTERNAL_SOURCE,
        )

    with pytest.raises(ValidationError, match="same moment") as refused:
        ledger.run_once(
            idempotency_key="conflict",
            request_digest="digest",
            movement=movement,
            replay=lambda original: original,
        )

    assert refused.value.messages == [RACED]
    assert not LedgerTransaction.objects.filter(idempotency_key="conflict").exists()
    assert balance(available) == Decimal("100.00")
