from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fundapp import services
from fundapp.models import Category, LedgerTransaction
from fundapp.selectors import fund_balances, fund_raised
from tests.factories import key, make_funded_community

pytestmark = pytest.mark.django_db


def reverse(original, by, reason="Recorded twice", **fields):
    return services.transaction_reverse(
        original=original,
        actor=by,
        reason=reason,
        idempotency_key=fields.pop("idempotency_key", key()),
    )


def test_reversing_a_receipt_takes_the_money_out_and_names_the_original():
    community, keeper, tranche = make_funded_community("100000.00")
    receipt = LedgerTransaction.objects.get(tranche=tranche)

    reversal = reverse(receipt, keeper)

    assert reversal.reverses == receipt
    assert fund_balances(fund=community.fund).available == Decimal("0.00")
    assert fund_raised(fund=community.fund).total == Decimal("0.00")


def test_a_movement_is_reversed_only_once():
    community, keeper, tranche = make_funded_community("100000.00")
    receipt = LedgerTransaction.objects.get(tranche=tranche)
    first = reverse(receipt, keeper)

    with pytest.raises(ValidationError, match=f"already reversed by #{first.pk}"):
        reverse(receipt, keeper)


def test_a_reversal_cannot_itself_be_reversed():
    community, keeper, tranche = make_funded_community("100000.00")
    reversal = reverse(LedgerTransaction.objects.get(tranche=tranche), keeper)

    with pytest.raises(ValidationError, match="cannot itself be reversed"):
        reverse(reversal, keeper)


def test_a_receipt_whose_money_is_committed_cannot_be_reversed():
    community, keeper, tranche = make_funded_community("100000.00")
    services.commitment_create(
        fund=community.fund,
        purpose="Patrol",
        category=Category.SECURITY,
        amount="60000.00",
        actor=keeper,
        idempotency_key=key(),
    )

    with pytest.raises(ValidationError, match="needs ¥60,000.00 more"):
        reverse(LedgerTransaction.objects.get(tranche=tranche), keeper)

    assert fund_balances(fund=community.fund).available == Decimal("40000.00")


def test_reversing_a_commitment_frees_its_money():
    community, keeper, _tranche = make_funded_community("100000.00")
    commitment = services.commitment_create(
        fund=community.fund,
        purpose="Patrol",
        category=Category.SECURITY,
        amount="60000.00",
        actor=keeper,
        idempotency_key=key(),
    )

    reverse(commitment.transactions.get(kind="commit"), keeper, reason="Wrong proposal")

    assert fund_balances(fund=community.fund).available == Decimal("100000.00")
    assert services.commitment_outstanding(commitment) == Decimal("0.00")


def test_a_reversal_needs_a_reason():
    community, keeper, tranche = make_funded_community("100000.00")

    with pytest.raises(ValidationError, match="Say why"):
        reverse(LedgerTransaction.objects.get(tranche=tranche), keeper, reason="  ")


def test_the_same_key_reverses_once():
    community, keeper, tranche = make_funded_community("100000.00")
    receipt = LedgerTransaction.objects.get(tranche=tranche)
    same = key()

    first = reverse(receipt, keeper, idempotency_key=same)
    second = reverse(receipt, keeper, idempotency_key=same)

    assert first.pk == second.pk
    assert LedgerTransaction.objects.filter(kind="reversal").count() == 1


def test_the_reversal_records_who_reversed_it_and_why():
    community, keeper, tranche = make_funded_community("100000.00")
    receipt = LedgerTransaction.objects.get(tranche=tranche)

    reversal = reverse(receipt, keeper, reason="  Recorded twice  ")

    reversal.refresh_from_db()
    assert (reversal.created_by, reversal.memo) == (keeper, "Recorded twice")
