"""The fund's scale data keeps every ledger rule, and the fund page stays constant."""

import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fundapp.models import Account, Community, LedgerEntry, LedgerTransaction, Tranche
from tests.bench import fund_scale as scale

pytestmark = pytest.mark.django_db

SMALL_RUN = ["--communities", "3", "--years", "2", "--entries", "500", "--seed", "7"]


@pytest.fixture
def scale_data():
    call_command(scale.Command(), *SMALL_RUN, stdout=io.StringIO())


def entry_sums(key: str) -> dict:
    # Summed in Python: SQLite sums decimals as floats.
    totals = defaultdict(lambda: Decimal("0.00"))
    for owner, amount in LedgerEntry.objects.values_list(key, "amount"):
        totals[owner] += amount
    return totals


def test_every_generated_transaction_balances(scale_data):
    totals = entry_sums("transaction_id")

    assert (
        LedgerTransaction.objects.filter(idempotency_key__startswith="scale:").count()
        > 100
    )
    assert set(totals) == set(LedgerTransaction.objects.values_list("pk", flat=True))
    assert all(total == 0 for total in totals.values())


def test_cached_balances_equal_the_sum_of_entries(scale_data):
    totals = entry_sums("account_id")

    for account in Account.objects.all():
        assert account.balance == totals.get(account.pk, Decimal("0.00")), account


def test_no_account_of_the_funds_own_money_is_negative(scale_data):
    own = Account.objects.exclude(kind=Account.Kind.EXTERNAL_SOURCE)

    assert own.exists()
    assert not own.filter(balance__lt=0).exists()


def test_reversals_mirror_what_they_name_once(scale_data):
    reversals = LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.REVERSAL)
    entries = defaultdict(dict)
    for transaction_id, account_id, amount in LedgerEntry.objects.values_list(
        "transaction_id", "account_id", "amount"
    ):
        entries[transaction_id][account_id] = amount

    assert reversals.exists()
    for reversal in reversals.select_related("reverses"):
        original = reversal.reverses
        assert original.kind != LedgerTransaction.Kind.REVERSAL
        assert original.effective_on <= reversal.effective_on
        mirrored = {pk: -amount for pk, amount in entries[original.pk].items()}
        assert entries[reversal.pk] == mirrored
    named = list(reversals.values_list("reverses_id", flat=True))
    assert len(named) == len(set(named))


def test_matching_tranches_stay_within_ratio_and_cap(scale_data):
    for tranche in Tranche.objects.filter(matches__isnull=False).select_related(
        "matches"
    ):
        assert tranche.amount <= tranche.match_limit


def test_a_second_run_skips_the_communities_already_written(scale_data):
    before = LedgerEntry.objects.count()

    call_command(scale.Command(), *SMALL_RUN, stdout=io.StringIO())

    assert LedgerEntry.objects.count() == before
    assert Community.objects.filter(code__startswith="S").count() == 3


def test_reset_removes_scale_data_or_refuses_on_postgresql(scale_data):
    if connection.vendor == "postgresql":
        with pytest.raises(scale.ScaleDataError, match="append-only"):
            scale.reset()
        return

    scale.reset()

    assert not Community.objects.filter(code__startswith="S").exists()
    assert not LedgerTransaction.objects.exists()


def test_the_fund_page_costs_the_same_queries_for_a_small_and_a_large_fund(
    scale_data, client
):
    sizes = {
        code: LedgerTransaction.objects.filter(fund__community__code=code).count()
        for code in scale.scale_codes(3)
    }
    small, large = min(sizes, key=sizes.get), max(sizes, key=sizes.get)
    assert sizes[large] > 2 * sizes[small]
    counts = {}
    for code in (small, large):
        client.get(f"/c/{code}/")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/c/{code}/")
        assert response.status_code == 200
        counts[code] = len(captured)

    assert counts[small] == counts[large]
