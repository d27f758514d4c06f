"""The database refuses every inconsistent ledger state, whoever connects (issue 8).

Each test writes with raw SQL, as someone with psql and the application's
credentials would, and shows PostgreSQL refusing it: at once, or at COMMIT
for the deferred checks (forced here with SET CONSTRAINTS ALL IMMEDIATE).
"""

import uuid
from decimal import Decimal

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from fundapp import services
from fundapp.models import Account, Category, LedgerEntry, LedgerTransaction
from fundapp.selectors import fund_balances
from tests.factories import key, make_funded_community

pytestmark = pytest.mark.postgres

APP_ROLE = "linli_app_test"


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        if cursor.description:
            return cursor.fetchall()
    return None


def at_commit():
    """Run the deferred checks now, as COMMIT would."""
    sql("SET CONSTRAINTS ALL IMMEDIATE")


def insert_movement(fund, amount, entries, *, kind="receive"):
    """A movement written by hand: header and entries (the database keeps the
    balances)."""
    movement = sql(
        "INSERT INTO fundapp_ledgertransaction (fund_id, kind, amount, memo,"
        " effective_on, fiscal_year, idempotency_key, request_digest, created_at)"
        " VALUES (%s, %s, %s, '', '2026-01-01', 2026, %s, '', now()) RETURNING id",
        [fund.pk, kind, amount, uuid.uuid4().hex],
    )[0][0]
    for account, value in entries:
        sql(
            "INSERT INTO fundapp_ledgerentry (transaction_id, account_id, amount)"
            " VALUES (%s, %s, %s)",
            [movement, account.pk, value],
        )
    return movement


def accounts_of(tranche):
    available = Account.objects.get(
        tranche=tranche, kind=Account.Kind.TRANCHE_AVAILABLE
    )
    external = Account.objects.get(
        source=tranche.source, kind=Account.Kind.EXTERNAL_SOURCE
    )
    return available, external


@pytest.mark.django_db
@pytest.mark.parametrize(
    "table",
    [
        "fundapp_ledgerentry",
        "fundapp_ledgertransaction",
        "fundapp_account",
        "fundapp_commitment",
        "fundapp_tranche",
    ],
)
def test_truncating_a_ledger_table_is_refused(table):
    make_funded_community("100.00")

    with pytest.raises(DatabaseError, match="TRUNCATE"), transaction.atomic():
        sql(f"TRUNCATE {table} CASCADE")

    assert LedgerEntry.objects.count() == 2


@pytest.mark.django_db
def test_a_movement_with_no_entries_is_refused_at_commit():
    community, _keeper, _tranche = make_funded_community("100.00")

    with pytest.raises(IntegrityError, match="at least two"), transaction.atomic():
        insert_movement(community.fund, "1000000.00", [])
        at_commit()

    assert LedgerTransaction.objects.count() == 1


@pytest.mark.django_db
def test_a_movement_whose_amount_its_entries_do_not_move_is_refused_at_commit():
    community, _keeper, tranche = make_funded_community("100.00")
    available, external = accounts_of(tranche)

    with pytest.raises(IntegrityError, match="says it moves"), transaction.atomic():
        insert_movement(
            community.fund, "999999.00", [(available, "1.00"), (external, "-1.00")]
        )
        at_commit()


@pytest.mark.django_db
def test_an_unbalanced_movement_is_refused_at_commit():
    community, _keeper, tranche = make_funded_community("100.00")
    available, external = accounts_of(tranche)

    with pytest.raises(IntegrityError, match="unbalanced"), transaction.atomic():
        insert_movement(
            community.fund, "5.00", [(available, "5.00"), (external, "-4.00")]
        )
        at_commit()


@pytest.mark.django_db
def test_an_entry_on_another_funds_account_is_refused_at_commit():
    community, _keeper, tranche = make_funded_community("100.00")
    _other, _other_keeper, other_tranche = make_funded_community("100.00")
    available, _external = accounts_of(tranche)
    foreign, _ = accounts_of(other_tranche)

    with pytest.raises(IntegrityError, match="another fund"), transaction.atomic():
        insert_movement(
            community.fund, "1.00", [(foreign, "1.00"), (available, "-1.00")]
        )
        at_commit()


@pytest.mark.django_db
def test_entries_that_take_an_account_below_zero_are_refused_as_they_are_written():
    community, _keeper, tranche = make_funded_community("100.00")
    available, external = accounts_of(tranche)

    with (
        pytest.raises(IntegrityError, match="account_balance_not_negative"),
        transaction.atomic(),
    ):
        insert_movement(
            community.fund,
            "100099.00",
            [(available, "-100099.00"), (external, "100099.00")],
            kind="release",
        )

    available.refresh_from_db()
    assert available.balance == Decimal("100.00")


@pytest.mark.django_db
def test_entries_written_by_hand_move_the_balances_with_them():
    community, _keeper, tranche = make_funded_community("100.00")
    available, external = accounts_of(tranche)

    with transaction.atomic():
        insert_movement(
            community.fund, "7.00", [(available, "7.00"), (external, "-7.00")]
        )
        at_commit()

    available.refresh_from_db()
    assert available.balance == Decimal("107.00")


@pytest.mark.django_db
def test_a_cached_balance_changed_without_entries_is_refused():
    _community, _keeper, tranche = make_funded_community("1520000.00")
    available, _external = accounts_of(tranche)

    with (
        pytest.raises(DatabaseError, match="only with its entries"),
        transaction.atomic(),
    ):
        sql(
            "UPDATE fundapp_account SET balance = balance + 5000000 WHERE id = %s",
            [available.pk],
        )

    available.refresh_from_db()
    assert available.balance == Decimal("1520000.00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("UPDATE fundapp_account SET fund_id = fund_id + 1 WHERE id = %s", "cannot"),
        ("DELETE FROM fundapp_account WHERE id = %s", "never deleted"),
    ],
)
def test_an_account_never_changes_what_it_is(statement, message):
    _community, _keeper, tranche = make_funded_community("100.00")
    available, _external = accounts_of(tranche)

    with pytest.raises(DatabaseError, match=message), transaction.atomic():
        sql(statement, [available.pk])


@pytest.mark.django_db
def test_a_tranches_amount_cannot_be_changed():
    _community, _keeper, tranche = make_funded_community("100.00")

    with pytest.raises(DatabaseError, match="cannot change"), transaction.atomic():
        sql("UPDATE fundapp_tranche SET amount = 1 WHERE id = %s", [tranche.pk])


@pytest.mark.django_db
def test_a_commitment_cannot_be_changed():
    community, keeper, _tranche = make_funded_community("100.00")
    commitment = services.commitment_create(
        fund=community.fund,
        purpose="Night 110",
        category=Category.SECURITY,
        amount=Decimal("10.00"),
        actor=keeper,
        idempotency_key=key(),
    )

    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        sql("UPDATE fundapp_commitment SET amount = 1 WHERE id = %s", [commitment.pk])


@pytest.mark.django_db(transaction=True)
def test_entries_added_later_to_an_old_movement_are_refused():
    """Balanced entries, even on the movement's own fund, years later."""
    community, _keeper, tranche = make_funded_community("100.00")
    old = tranche.transactions.get()
    available, external = accounts_of(tranche)

    with pytest.raises(DatabaseError, match="only when it is written"):
        with transaction.atomic():
            for account, value in [(available, "50.00"), (external, "-50.00")]:
                sql(
                    "INSERT INTO fundapp_ledgerentry"
                    " (transaction_id, account_id, amount) VALUES (%s, %s, %s)",
                    [old.pk, account.pk, value],
                )

    assert old.entries.count() == 2
    assert fund_balances(fund=community.fund).available == Decimal("100.00")


@pytest.mark.django_db(transaction=True)
def test_an_entry_on_another_funds_account_added_to_an_old_movement_is_refused():
    _community, _keeper, tranche = make_funded_community("100.00")
    _other, _other_keeper, other_tranche = make_funded_community("100.00")
    old = tranche.transactions.get()
    foreign, _ = accounts_of(other_tranche)

    with pytest.raises(DatabaseError, match="only when it is written"):
        with transaction.atomic():
            sql(
                "INSERT INTO fundapp_ledgerentry (transaction_id, account_id, amount)"
                " VALUES (%s, %s, 1)",
                [old.pk, foreign.pk],
            )


def _connect_as_the_app():
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=APP_ROLE,
    )


@pytest.mark.django_db(transaction=True)
def test_the_production_role_may_read_and_append_but_not_rewrite_the_ledger():
    community, _keeper, tranche = make_funded_community("100.00")
    available, external = accounts_of(tranche)
    entry = LedgerEntry.objects.filter(account=available).get()
    sql(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
        f"'{APP_ROLE}') THEN CREATE ROLE {APP_ROLE} LOGIN; END IF; END $$"
    )
    call_command("grant_app_role", APP_ROLE)

    with _connect_as_the_app() as app:
        assert app.execute("SELECT count(*) FROM fundapp_ledgerentry").fetchone()[0]
        with app.transaction():
            movement = app.execute(
                "INSERT INTO fundapp_ledgertransaction (fund_id, kind, amount, memo,"
                " effective_on, fiscal_year, idempotency_key, request_digest,"
                " created_at) VALUES (%s, 'receive', 7, '', '2026-01-02', 2026, %s,"
                " '', now()) RETURNING id",
                [community.fund.pk, key()],
            ).fetchone()[0]
            for account, value in [(available, 7), (external, -7)]:
                app.execute(
                    "INSERT INTO fundapp_ledgerentry (transaction_id, account_id,"
                    " amount) VALUES (%s, %s, %s)",
                    [movement, account.pk, value],
                )
        refused = [
            ("UPDATE fundapp_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk]),
            ("DELETE FROM fundapp_ledgerentry WHERE id = %s", [entry.pk]),
            ("DELETE FROM fundapp_ledgertransaction WHERE id = %s", [movement]),
            ("TRUNCATE fundapp_ledgerentry CASCADE", []),
            ("TRUNCATE fundapp_account CASCADE", []),
            ("UPDATE fundapp_account SET fund_id = 1 WHERE id = %s", [available.pk]),
            ("UPDATE fundapp_account SET balance = 0 WHERE id = %s", [available.pk]),
            ("DELETE FROM fundapp_commitment", []),
            ("ALTER TABLE fundapp_ledgerentry DISABLE TRIGGER ALL", []),
        ]
        for statement, params in refused:
            with pytest.raises(
                psycopg.errors.InsufficientPrivilege,
                match="permission denied|must be owner",
            ):
                with app.transaction():
                    app.execute(statement, params)

    assert fund_balances(fund=community.fund).available == Decimal("107.00")
