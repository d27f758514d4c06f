"""Celery tasks of the fund: thin wrappers that take ids and call one service."""

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import translation

from fundapp.models import Fund
from fundapp.services.reconcile import LedgerProblem, fund_reconcile_record

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def fund_reconcile(fund_id: int) -> int:
    """Check one fund's ledger and keep the result; return how many problems."""
    check = fund_reconcile_record(fund=Fund.objects.get(pk=fund_id))
    with translation.override("en"):
        for problem in check.problems:
            logger.error(
                "Fund %s: %s", fund_id, LedgerProblem.from_json(problem).describe()
            )
    return check.problem_count


@shared_task
def fund_reconcile_all() -> None:
    """Queue a reconciliation of every fund (nightly, from beat)."""
    for fund_id in Fund.objects.values_list("pk", flat=True):
        fund_reconcile.delay(fund_id)
