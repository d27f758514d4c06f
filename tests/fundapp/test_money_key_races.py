"""Issue 14: one money request sent twice at the same moment with one key is
applied once, on real PostgreSQL.

Both requests look the key up before either commits; `run_once` runs the
movement of each in its own transaction. The second waits for the first's
row locks (or its unique rows), then is refused by the ledger's unique key,
or by a rule the first one's effect now breaks (the money it committed is
gone, its reference is taken): the key, looked up again, answers it with the
first request's result, or `idempotency_key_reused` for another request.
"""

from datetime import date
from decimal import Decimal

import pytest

from fundapp import services
from fundapp.models import Category, Commitment, LedgerTransaction, Tranche
from fundapp.selectors import fund_balances
from tests.factories import make_funded_community, make_source
from tests.races import applied_and_refused, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def _commit(community, keeper, amount, key):
    return lambda: services.commitment_create(
        fund=community.fund,
        purpose="Night patrol torches",
        category=Category.SECURITY,
        amount=amount,
        actor=keeper,
        idempotency_key=key,
    )


def _receive(fund, source, keeper, amount, key):
    return lambda: services.tranche_receive(
        fund=fund,
        source=source,
        fiscal_year=2026,
        reference=f"SLIP-{key}",
        amount=amount,
        received_on=date(2026, 3, 1),
        actor=keeper,
        idempotency_key=key,
    )


def test_a_commitment_of_all_the_money_sent_twice_at_once_is_made_once():
    """The second request finds the money gone; it is still answered with the
    commitment the first made, not told the fund is short."""
    for turn in range(ROUNDS):
        community, keeper, _tranche = make_funded_community("100.00")
        key = f"commit-{turn}"

        answers = race(*[_commit(community, keeper, "100.00", key)] * 2)

        commitment = Commitment.objects.get(fund=community.fund)
        assert answers == [commitment.pk, commitment.pk]
        assert LedgerTransaction.objects.filter(idempotency_key=key).count() == 1
        assert fund_balances(fund=community.fund).committed == Decimal("100.00")


def test_a_tranche_received_twice_at_once_is_recorded_once():
    community, keeper, _tranche = make_funded_community("100.00")
    source = make_source(community.fund)

    for turn in range(ROUNDS):
        key = f"receive-{turn}"

        answers = race(*[_receive(community.fund, source, keeper, "500.00", key)] * 2)

        tranche = Tranche.objects.get(source=source, reference=f"SLIP-{key}")
        assert answers == [tranche.pk, tranche.pk]
        assert LedgerTransaction.objects.filter(idempotency_key=key).count() == 1
    assert fund_balances(fund=community.fund).raised == Decimal("2600.00")


def test_one_key_sent_at_once_for_two_amounts_commits_one_and_refuses_the_other():
    amounts = ("100.00", "60.00")
    for turn in range(ROUNDS):
        community, keeper, _tranche = make_funded_community("100.00")
        key = f"commit-{turn}"

        answers = race(*[_commit(community, keeper, a, key) for a in amounts])

        applied, refused = applied_and_refused(answers)
        assert refused == ["idempotency_key_reused"]
        commitment = Commitment.objects.get(fund=community.fund)
        assert applied == commitment.pk
        assert commitment.amount == Decimal(amounts[answers.index(applied)])
        assert LedgerTransaction.objects.filter(idempotency_key=key).count() == 1


def test_one_key_sent_at_once_for_two_tranche_amounts_records_one():
    community, keeper, _tranche = make_funded_community("100.00")
    source = make_source(community.fund)
    amounts = ("500.00", "700.00")

    for turn in range(ROUNDS):
        key = f"receive-{turn}"

        answers = race(
            *[_receive(community.fund, source, keeper, a, key) for a in amounts]
        )

        applied, refused = applied_and_refused(answers)
        assert refused == ["idempotency_key_reused"]
        tranche = Tranche.objects.get(source=source, reference=f"SLIP-{key}")
        assert applied == tranche.pk
        assert tranche.amount == Decimal(amounts[answers.index(applied)])
        assert LedgerTransaction.objects.filter(idempotency_key=key).count() == 1
