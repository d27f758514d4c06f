"""Paying a commitment out and taking unspent money back (issue 17): exact
limits, the tranches each movement draws on, what it records, one key per
request."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fundapp import services
from fundapp.models import Account, Category, LedgerTransaction, Role
from tests.factories import key, make_funded_community, make_member, make_tranche

pytestmark = pytest.mark.django_db

REUSED = (
    "This form was already used for another request, so nothing was changed. "
    "Open the form again to make a new one."
)
PAID_ON = date(2026, 5, 1)


def commit(community, keeper, amount, **fields):
    return services.commitment_create(
        fund=community.fund,
        purpose=fields.pop("purpose", "Night 110 patrol"),
        category=Category.SECURITY,
        amount=amount,
        actor=keeper,
        idempotency_key=key(),
        **fields,
    )


def disburse(commitment, actor, amount, **fields):
    return services.commitment_disburse(
        commitment=commitment,
        amount=amount,
        actor=actor,
        idempotency_key=fields.pop("idempotency_key", key()),
        paid_on=fields.pop("paid_on", PAID_ON),
        **fields,
    )


def give_back(commitment, actor, amount, **fields):
    return services.commitment_return(
        commitment=commitment,
        amount=amount,
        actor=actor,
        idempotency_key=fields.pop("idempotency_key", key()),
        returned_on=fields.pop("returned_on", date(2026, 9, 1)),
        **fields,
    )


def refusal(call, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError, match=".") as refused:
        call(*args, **kwargs)
    return refused.value


def balances(kind) -> dict:
    return {
        account.tranche_id: account.balance
        for account in Account.objects.filter(kind=kind)
    }


def two_tranche_commitment(second_part="1.00"):
    """A commitment of ¥100 from the first tranche and `second_part` from the
    second, in that order."""
    community, keeper, first = make_funded_community("100.00")
    second = make_tranche(community.fund, amount="100.00", recorded_by=keeper)
    commitment = commit(community, keeper, Decimal("100.00") + Decimal(second_part))
    return community, keeper, commitment, first, second


def test_a_payment_of_all_that_is_committed_is_made_and_a_fen_more_refused():
    community, keeper, commitment, first, second = two_tranche_commitment()

    refused = refusal(disburse, commitment, keeper, "101.01")
    payment = disburse(commitment, keeper, "101.00")

    assert (refused.message_dict, refused.error_dict["amount"][0].code) == (
        {
            "amount": [
                "Only ¥101.00 of this grant is still committed; ¥101.01 cannot be paid."
            ]
        },
        "beyond_commitment",
    )
    assert payment.amount == Decimal("101.00")
    assert balances(Account.Kind.DISBURSED) == {
        first.pk: Decimal("100.00"),
        second.pk: Decimal("1.00"),
    }
    assert services.commitment_paid_out(commitment) == Decimal("101.00")
    assert services.commitment_outstanding(commitment) == Decimal("0.00")


def test_a_payment_takes_the_tranches_in_the_order_the_commitment_drew_on_them():
    community, keeper, commitment, first, second = two_tranche_commitment("50.00")

    disburse(commitment, keeper, "120.00")

    assert balances(Account.Kind.DISBURSED) == {
        first.pk: Decimal("100.00"),
        second.pk: Decimal("20.00"),
    }


def test_a_payment_records_the_day_paid_who_paid_and_the_memo():
    community, keeper, _tranche = make_funded_community("100.00")
    commitment = commit(community, keeper, "50.00", purpose="Night 110 patrol")

    named = disburse(commitment, keeper, "10.00", memo="  Installment 1  ")
    unnamed = disburse(commitment, keeper, "10.00", paid_on=date(2026, 5, 2))
    long = disburse(commitment, keeper, "10.00", memo="款" * 301)

    assert (named.kind, named.memo, named.effective_on, named.created_by) == (
        LedgerTransaction.Kind.DISBURSE,
        "Installment 1",
        PAID_ON,
        keeper,
    )
    assert (unnamed.memo, unnamed.effective_on, unnamed.commitment) == (
        "Night 110 patrol",
        date(2026, 5, 2),
        commitment,
    )
    assert long.memo == "款" * 300


def test_only_the_fund_committee_pays_or_takes_money_back():
    community, keeper, _tranche = make_funded_community("100.00")
    commitment = commit(community, keeper, "50.00")
    disburse(commitment, keeper, "20.00")
    chair = make_member(community, Role.COORDINATOR)

    with pytest.raises(PermissionDenied, match="right to do this"):
        disburse(commitment, chair, "10.00")
    with pytest.raises(PermissionDenied, match="right to do this"):
        give_back(commitment, chair, "10.00")


def test_a_return_of_all_that_was_paid_is_taken_and_a_fen_more_refused():
    community, keeper, commitment, first, second = two_tranche_commitment()
    disburse(commitment, keeper, "101.00")

    refused = refusal(give_back, commitment, keeper, "101.01")
    movement = give_back(commitment, keeper, "101.00")

    assert (refused.message_dict, refused.error_dict["amount"][0].code) == (
        {
            "amount": [
                "Only ¥101.00 of this grant was paid out and not yet returned; "
                "¥101.01 cannot be returned."
            ]
        },
        "beyond_paid",
    )
    assert movement.amount == Decimal("101.00")
    assert services.commitment_paid_out(commitment) == Decimal("0.00")
    assert balances(Account.Kind.TRANCHE_AVAILABLE) == {
        first.pk: Decimal("100.00"),
        second.pk: Decimal("100.00"),
    }


def test_a_return_gives_back_to_the_tranche_paid_last_first():
    community, keeper, commitment, first, second = two_tranche_commitment("50.00")
    disburse(commitment, keeper, "150.00")

    give_back(commitment, keeper, "60.00")

    assert balances(Account.Kind.DISBURSED) == {
        first.pk: Decimal("90.00"),
        second.pk: Decimal("0.00"),
    }
    assert balances(Account.Kind.TRANCHE_AVAILABLE) == {
        first.pk: Decimal("10.00"),
        second.pk: Decimal("100.00"),
    }


def test_a_return_records_the_day_returned_who_recorded_it_and_the_memo():
    community, keeper, _tranche = make_funded_community("100.00")
    commitment = commit(community, keeper, "50.00", purpose="Night 110 patrol")
    disburse(commitment, keeper, "50.00")

    named = give_back(commitment, keeper, "10.00", memo="  Unspent  ")
    unnamed = give_back(commitment, keeper, "10.00", returned_on=date(2026, 9, 2))
    long = give_back(commitment, keeper, "10.00", memo="还" * 301)

    assert (named.kind, named.memo, named.effective_on, named.created_by) == (
        LedgerTransaction.Kind.RETURN,
        "Unspent",
        date(2026, 9, 1),
        keeper,
    )
    assert (unnamed.memo, unnamed.effective_on, unnamed.commitment) == (
        "Night 110 patrol",
        date(2026, 9, 2),
        commitment,
    )
    assert long.memo == "还" * 300


def test_a_payment_or_return_retried_with_its_key_is_made_once():
    community, keeper, _tranche = make_funded_community("100.00")
    commitment = commit(community, keeper, "50.00")

    paid = disburse(commitment, keeper, "20.00", idempotency_key="pay-1")
    paid_again = disburse(commitment, keeper, "20.00", idempotency_key="pay-1")
    back = give_back(commitment, keeper, "5.00", idempotency_key="back-1")
    back_again = give_back(commitment, keeper, "5.00", idempotency_key="back-1")

    assert (paid_again, back_again) == (paid, back)
    assert services.commitment_paid_out(commitment) == Decimal("15.00")


def assert_reused(call, *args, **kwargs):
    refused = refusal(call, *args, **kwargs)
    assert (refused.code, refused.messages) == ("idempotency_key_reused", [REUSED])


@pytest.mark.parametrize("changed", ["actor", "commitment", "amount", "day", "memo"])
def test_a_payment_or_return_key_is_refused_for_another_request(changed):
    community, keeper, _tranche = make_funded_community("100.00")
    colleague = make_member(community, Role.FUND_COMMITTEE)
    commitment = commit(community, keeper, "50.00")
    other_commitment = commit(community, keeper, "50.00")
    disburse(other_commitment, keeper, "30.00")
    paid = {"amount": "20.00", "memo": "Installment 1", "idempotency_key": "pay-1"}
    back = {"amount": "5.00", "memo": "Unspent", "idempotency_key": "back-1"}
    disburse(commitment, keeper, paid_on=PAID_ON, **paid)
    give_back(commitment, keeper, returned_on=date(2026, 9, 1), **back)
    other = {
        "actor": colleague,
        "commitment": other_commitment,
        "amount": "6.00",
        "memo": "Another",
    }
    day = date(2026, 9, 2) if changed == "day" else None

    def retry(call, asked, day_field, default_day):
        fields = {**asked, day_field: day or default_day}
        if changed in ("amount", "memo"):
            fields[changed] = other[changed]
        assert_reused(
            call,
            other[changed] if changed == "commitment" else commitment,
            other[changed] if changed == "actor" else keeper,
            **fields,
        )

    retry(disburse, paid, "paid_on", PAID_ON)
    retry(give_back, back, "returned_on", date(2026, 9, 1))
    assert services.commitment_paid_out(commitment) == Decimal("15.00")
    assert services.commitment_paid_out(other_commitment) == Decimal("30.00")


def test_a_payment_opens_no_account_on_a_tranche_it_takes_nothing_from():
    community, keeper, commitment, first, second = two_tranche_commitment()

    disburse(commitment, keeper, "100.00")

    assert balances(Account.Kind.DISBURSED) == {first.pk: Decimal("100.00")}


def test_nothing_paid_out_is_money_of_two_places():
    community, keeper, _tranche = make_funded_community("100.00")
    commitment = commit(community, keeper, "50.00")

    paid_out = services.commitment_paid_out(commitment)

    assert (paid_out, str(paid_out)) == (Decimal("0.00"), "0.00")
