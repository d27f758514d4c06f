"""The fund's Celery tasks, in process and through a real worker on Redis."""

import logging
import time
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse

from fundapp.models import Account, LedgerCheck, LedgerEntry, LedgerTransaction, Role
from fundapp.services import fund_reconcile
from fundapp.services.reconcile import ProblemKind
from fundapp.tasks import fund_reconcile as fund_reconcile_task
from tests.factories import make_funded_community, make_member, make_tranche


@contextmanager
def behind_the_ledgers_back():
    """Write what the ledger's guards refuse, as a restore that went around
    PostgreSQL's triggers would (session_replication_role = replica)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        # What was written before passes its deferred checks now, so that
        # they don't run again, on the broken state, when the test ends.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            yield
        finally:
            cursor.execute("SET LOCAL session_replication_role = origin")


pytestmark = pytest.mark.django_db


def test_a_sound_ledger_reconciles_without_problems():
    community, _keeper, _tranche = make_funded_community("100.00")

    assert fund_reconcile(fund=community.fund) == []


def test_a_sound_ledger_is_reconciled_in_two_queries_however_many_movements(
    django_assert_num_queries,
):
    small, _keeper, _tranche = make_funded_community("100.00")
    big, keeper, _tranche = make_funded_community("100.00")
    for _n in range(5):
        make_tranche(big.fund, amount="10.00", recorded_by=keeper)

    # The entries crossing to another fund are counted by the two checks
    # that read the fund's entries anyway: two queries, not four.
    for community in (small, big):
        with django_assert_num_queries(2):
            assert fund_reconcile(fund=community.fund) == []


def test_a_cached_balance_written_behind_the_ledgers_back_is_found():
    community, _keeper, tranche = make_funded_community("100.00")
    with behind_the_ledgers_back():
        Account.objects.filter(tranche=tranche).update(balance="99.00")

    problems = fund_reconcile(fund=community.fund)

    assert [(p.kind, p.expected, p.found) for p in problems] == [
        (ProblemKind.BALANCE, Decimal("99.00"), Decimal("100.00"))
    ]


def test_an_empty_movement_is_found():
    community, _keeper, _tranche = make_funded_community("100.00")
    with behind_the_ledgers_back():
        empty = LedgerTransaction.objects.create(
            fund=community.fund,
            kind="receive",
            amount="1000000.00",
            effective_on="2026-01-01",
            fiscal_year=2026,
            idempotency_key="empty",
        )

    problems = fund_reconcile(fund=community.fund)

    assert (ProblemKind.EMPTY, empty.pk) in [
        (p.kind, p.transaction_id) for p in problems
    ]
    assert "at least two" in problems[0].describe()


def test_an_amount_its_entries_do_not_move_and_an_unbalanced_movement_are_found():
    community, _keeper, tranche = make_funded_community("100.00")
    available = tranche.accounts.get(kind=Account.Kind.TRANCHE_AVAILABLE)
    external = Account.objects.get(source=tranche.source, kind="external_source")
    with behind_the_ledgers_back():
        movement = LedgerTransaction.objects.create(
            fund=community.fund,
            kind="receive",
            amount="999999.00",
            effective_on="2026-01-01",
            fiscal_year=2026,
            idempotency_key="odd",
        )
        LedgerEntry.objects.create(transaction=movement, account=available, amount=1)
        LedgerEntry.objects.create(transaction=movement, account=external, amount=-2)

    kinds = {p.kind for p in fund_reconcile(fund=community.fund)}

    assert {ProblemKind.AMOUNT, ProblemKind.UNBALANCED} <= kinds


def test_an_entry_on_another_funds_account_is_found_from_both_funds():
    community, _keeper, tranche = make_funded_community("100.00")
    other, _other_keeper, other_tranche = make_funded_community("100.00")
    movement = tranche.transactions.get()
    foreign = other_tranche.accounts.get(kind=Account.Kind.TRANCHE_AVAILABLE)
    with behind_the_ledgers_back():
        LedgerEntry.objects.create(transaction=movement, account=foreign, amount=5)
        LedgerEntry.objects.create(transaction=movement, account=foreign, amount=-5)

    here = fund_reconcile(fund=community.fund)
    there = fund_reconcile(fund=other.fund)

    assert (ProblemKind.FOREIGN_ENTRY, movement.pk, foreign.pk) in {
        (p.kind, p.transaction_id, p.account_id) for p in here
    }
    assert {(p.kind, p.transaction_id) for p in there} == {
        (ProblemKind.FOREIGN_ENTRY, movement.pk)
    }


def test_a_recorded_check_feeds_the_health_check_and_the_fund_page(client):
    community, keeper, tranche = make_funded_community("100.00")
    with behind_the_ledgers_back():
        Account.objects.filter(tranche=tranche).update(balance="99.00")
    fund_reconcile_task(community.fund.pk)

    health = client.get("/healthz").json()
    client.force_login(keeper)
    page = client.get(reverse("fund:fund", args=[community.code])).content.decode()
    client.force_login(make_member(community, Role.RESIDENT))
    public = client.get(reverse("fund:fund", args=[community.code])).content.decode()

    assert health["ledger"]["status"] == "problems"
    assert health["ledger"]["funds_with_problems"] == [community.code]
    assert "The ledger check found problems" in page
    assert "caches a balance of ¥99.00 but its entries sum to ¥100.00" in page
    assert "The ledger check found problems" not in public


def test_a_clean_check_says_so_in_the_health_check(client):
    community, _keeper, _tranche = make_funded_community("100.00")

    before = client.get("/healthz").json()
    fund_reconcile_task(community.fund.pk)
    after = client.get("/healthz").json()

    assert before["ledger"]["status"] == "never_checked"
    assert after["ledger"]["status"] == "ok"
    assert LedgerCheck.objects.get(fund=community.fund).problem_count == 0


def test_the_nightly_reconciliation_is_scheduled():
    jobs = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "fundapp.tasks.fund_reconcile_all" in jobs


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_the_broker_runs_the_reconciliation():
    if settings.CELERY_BROKER_URL.startswith("memory"):
        pytest.skip(
            "needs a real broker: set CELERY_BROKER_URL=redis://... as .ci/run does"
        )
    from celery.contrib.testing.worker import start_worker

    from fundapp.celery import app

    community, _keeper, tranche = make_funded_community("100.00")
    with behind_the_ledgers_back():
        Account.objects.filter(tranche=tranche).update(balance="1.00")
    app.conf.task_always_eager = False
    seen: list[str] = []
    handler = logging.Handler(level=logging.ERROR)
    handler.emit = lambda record: seen.append(record.getMessage())
    logging.getLogger("fundapp.tasks").addHandler(handler)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING"
        ):
            fund_reconcile_task.delay(community.fund.pk)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not seen:
                time.sleep(0.1)
    finally:
        logging.getLogger("fundapp.tasks").removeHandler(handler)
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        connection.close()

    account = Account.objects.get(tranche=tranche, kind=Account.Kind.TRANCHE_AVAILABLE)
    assert seen == [
        f"Fund {community.fund.pk}: Account {account.pk} caches a balance of ¥1.00 "
        "but its entries sum to ¥100.00."
    ]
    assert LedgerCheck.objects.get(fund=community.fund).problem_count == 1
