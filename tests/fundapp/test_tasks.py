"""The fund's Celery tasks, in process and through a real worker on Redis."""

import logging
import time

import pytest
from django.conf import settings
from django.db import connection

from fundapp.models import Account
from fundapp.services import fund_reconcile
from fundapp.tasks import fund_reconcile as fund_reconcile_task
from tests.factories import make_funded_community

pytestmark = pytest.mark.django_db


def test_a_sound_ledger_reconciles_without_mismatch():
    community, _keeper, _tranche = make_funded_community("100.00")

    assert fund_reconcile(fund=community.fund) == []


def test_a_cached_balance_written_behind_the_ledgers_back_is_found():
    community, _keeper, tranche = make_funded_community("100.00")
    Account.objects.filter(tranche=tranche).update(balance="99.00")

    mismatches = fund_reconcile(fund=community.fund)

    assert [(m.cached, m.from_entries) for m in mismatches] == [(99, 100)]


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
        f"Fund {community.fund.pk} account {account.pk}: cached 1.00, entries 100.00"
    ]
