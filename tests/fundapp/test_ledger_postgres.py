"""What only PostgreSQL can prove: row locks under concurrency and the triggers."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import translation

from fundapp import services
from fundapp.models import Account, Category, LedgerEntry, LedgerTransaction
from tests.factories import key, make_funded_community

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_commitments_spend_exactly_the_money_there_is():
    community, keeper, tranche = make_funded_community("100000.00")
    barrier = threading.Barrier(20)
    outcomes = []
    lock = threading.Lock()

    def commit_ten_thousand():
        translation.activate("en")
        try:
            barrier.wait(timeout=30)
            services.commitment_create(
                fund=community.fund,
                purpose="Night 110",
                category=Category.SECURITY,
                amount="10000.00",
                actor=keeper,
                idempotency_key=key(),
            )
            result = "committed"
        except ValidationError as error:
            result = error.messages[0]
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=commit_ten_thousand) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    available = Account.objects.get(
        tranche=tranche, kind=Account.Kind.TRANCHE_AVAILABLE
    )
    assert outcomes.count("committed") == 10
    assert all("short" in outcome for outcome in outcomes if outcome != "committed")
    assert available.balance == Decimal("0.00")
    # Never negative on the way: every commitment moved exactly ¥10,000 and the
    # running balance, replayed in commit order, stays at or above zero.
    running = Decimal("0")
    for entry in available.entries.order_by("transaction_id"):
        running += entry.amount
        assert running >= 0


@pytest.mark.django_db
def test_an_update_of_a_ledger_entry_through_raw_sql_is_refused():
    make_funded_community("100000.00")
    entry = LedgerEntry.objects.first()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE fundapp_ledgerentry SET amount = amount * 2 WHERE id = %s",
                [entry.pk],
            )

    entry.refresh_from_db()
    assert entry.amount in (Decimal("100000.00"), Decimal("-100000.00"))


@pytest.mark.django_db
def test_a_delete_of_a_ledger_transaction_through_raw_sql_is_refused():
    make_funded_community("100000.00")
    movement = LedgerTransaction.objects.first()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM fundapp_ledgerentry WHERE transaction_id = %s",
                [movement.pk],
            )

    assert movement.entries.count() == 2


@pytest.mark.django_db
def test_a_negative_available_balance_is_refused_by_the_database():
    _community, _keeper, tranche = make_funded_community("100.00")

    with (
        pytest.raises(IntegrityError, match="only with its entries|not_negative"),
        transaction.atomic(),
    ):
        Account.objects.filter(
            tranche=tranche, kind=Account.Kind.TRANCHE_AVAILABLE
        ).update(balance=Decimal("-0.01"))


@pytest.mark.django_db
def test_amounts_are_stored_to_the_fen_as_python_rounds_them():
    community, keeper, _tranche = make_funded_community("100000.00")

    commitment = services.commitment_create(
        fund=community.fund,
        purpose="p",
        category=Category.CULTURE,
        amount="2.66",
        actor=keeper,
        idempotency_key=key(),
    )

    commitment.refresh_from_db()
    assert commitment.amount == Decimal("2.66")
