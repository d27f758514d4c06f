"""Reconciliation: the cached balances against the entries they summarise."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from fundapp.models import Account, Fund
from fundapp.money import ZERO, cny


@dataclass(frozen=True)
class Mismatch:
    account_id: int
    cached: Decimal
    from_entries: Decimal


def fund_reconcile(*, fund: Fund) -> list[Mismatch]:
    """Return every account whose cached balance differs from its entries' sum.

    Read-only; an empty list is the healthy answer. Run nightly by Celery beat
    (`fund_reconcile_all`) and logged, since a mismatch means a code path wrote
    balances outside `post_transaction`.
    """
    sums = dict(
        Account.objects.filter(fund=fund)
        .annotate(total=Sum("entries__amount"))
        .values_list("pk", "total")
    )
    mismatches = []
    for account in Account.objects.filter(fund=fund).only("pk", "balance"):
        from_entries = cny(sums.get(account.pk) or ZERO)
        if cny(account.balance) != from_entries:
            mismatches.append(Mismatch(account.pk, account.balance, from_entries))
    return mismatches
