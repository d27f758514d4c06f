"""Celery tasks of the fund: thin wrappers that take ids and call one service."""

import logging

from celery import shared_task
from django.db import OperationalError

from fundapp.models import Fund
from fundapp.services.reconcile import fund_reconcile as reconcile

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def fund_reconcile(fund_id: int) -> int:
    """Check one fund's cached balances; return how many accounts disagree."""
    mismatches = reconcile(fund=Fund.objects.get(pk=fund_id))
    for mismatch in mismatches:
        logger.error(
            "Fund %s account %s: cached %s, entries %s",
            fund_id,
            mismatch.account_id,
            mismatch.cached,
            mismatch.from_entries,
        )
    return len(mismatches)


@shared_task
def fund_reconcile_all() -> None:
    """Queue a reconciliation of every fund (nightly, from beat)."""
    for fund_id in Fund.objects.values_list("pk", flat=True):
        fund_reconcile.delay(fund_id)
