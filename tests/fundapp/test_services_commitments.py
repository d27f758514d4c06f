from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fundapp import services
from fundapp.models import Account, Category, LedgerTransaction, Role
from fundapp.selectors import fund_balances
from tests.factories import key, make_funded_community, make_member, make_tranche

pytestmark = pytest.mark.django_db


def commit(community, keeper, amount, category=Category.SECURITY, **fields):
    return services.commitment_create(
        fund=community.fund,
        purpose=fields.pop("purpose", "Night 110 patrol"),
        category=category,
        amount=amount,
        actor=keeper,
        idempotency_key=fields.pop("idempotency_key", key()),
        **fields,
    )


def test_a_commitment_moves_money_from_available_to_committed():
    community, keeper, _tranche = make_funded_community("100000.00")

    commitment = commit(community, keeper, "30000.00")

    balances = fund_balances(fund=community.fund)
    assert (balances.available, balances.committed) == (
        Decimal("70000.00"),
        Decimal("30000.00"),
    )
    assert services.commitment_outstanding(commitment) == Decimal("30000.00")


def test_a_commitment_beyond_the_money_names_the_shortfall_and_changes_nothing():
    community, keeper, _tranche = make_funded_community("100000.00")

    with pytest.raises(ValidationError, match="¥20,000.00 short") as refused:
        commit(community, keeper, "120000.00")

    assert "amount" in refused.value.error_dict
    assert fund_balances(fund=community.fund).available == Decimal("100000.00")
    assert not LedgerTransaction.objects.filter(kind="commit").exists()


def test_a_commitment_only_draws_on_tranches_that_allow_its_category():
    community, keeper, _open = make_funded_community("10000.00")
    make_tranche(
        community.fund,
        amount="90000.00",
        recorded_by=keeper,
        allowed_categories=[Category.ELDERLY_CARE],
    )

    with pytest.raises(ValidationError, match="may pay for security hold ¥10,000.00"):
        commit(community, keeper, "20000.00", category=Category.SECURITY)

    elderly = commit(community, keeper, "95000.00", category=Category.ELDERLY_CARE)
    assert services.commitment_outstanding(elderly) == Decimal("95000.00")


def test_a_commitment_skips_tranches_past_their_spend_by_date():
    community, keeper, _open = make_funded_community("1000.00")
    make_tranche(
        community.fund,
        amount="50000.00",
        recorded_by=keeper,
        received_on=date(2020, 1, 1),
        fiscal_year=2020,
        spend_by=date(2020, 12, 31),
    )

    with pytest.raises(ValidationError, match="short"):
        commit(community, keeper, "2000.00", on=date(2026, 5, 1))


def test_a_commitment_spends_the_money_that_expires_first():
    community, keeper, unrestricted = make_funded_community("50000.00")
    expiring = make_tranche(
        community.fund,
        amount="50000.00",
        recorded_by=keeper,
        spend_by=date(2026, 12, 31),
    )

    commit(community, keeper, "60000.00", on=date(2026, 6, 1))

    available = {
        account.tranche_id: account.balance
        for account in Account.objects.filter(kind=Account.Kind.TRANCHE_AVAILABLE)
    }
    assert available[expiring.pk] == Decimal("0.00")
    assert available[unrestricted.pk] == Decimal("40000.00")


def test_the_same_key_commits_once():
    community, keeper, _tranche = make_funded_community("100000.00")
    same = key()

    first = commit(community, keeper, "10000.00", idempotency_key=same)
    second = commit(community, keeper, "10000.00", idempotency_key=same)

    assert first.pk == second.pk
    assert fund_balances(fund=community.fund).committed == Decimal("10000.00")


def test_releasing_a_commitment_returns_the_money_to_its_tranches():
    community, keeper, _tranche = make_funded_community("100000.00")
    commitment = commit(community, keeper, "30000.00")

    services.commitment_release(
        commitment=commitment,
        actor=keeper,
        idempotency_key=key(),
        amount="10000.00",
        reason="Less needed",
    )

    assert services.commitment_outstanding(commitment) == Decimal("20000.00")
    assert fund_balances(fund=community.fund).available == Decimal("80000.00")


def test_releasing_more_than_is_outstanding_is_refused():
    community, keeper, _tranche = make_funded_community("100000.00")
    commitment = commit(community, keeper, "30000.00")

    with pytest.raises(ValidationError, match="Only ¥30,000.00"):
        services.commitment_release(
            commitment=commitment,
            actor=keeper,
            idempotency_key=key(),
            amount="30000.01",
        )


def test_releasing_an_emptied_commitment_is_refused():
    community, keeper, _tranche = make_funded_community("100000.00")
    commitment = commit(community, keeper, "30000.00")
    services.commitment_release(
        commitment=commitment, actor=keeper, idempotency_key=key()
    )

    with pytest.raises(ValidationError, match="Nothing of this commitment"):
        services.commitment_release(
            commitment=commitment, actor=keeper, idempotency_key=key()
        )


def test_a_release_spanning_two_tranches_returns_each_its_share():
    community, keeper, first = make_funded_community("10000.00")
    second = make_tranche(community.fund, amount="10000.00", recorded_by=keeper)
    commitment = commit(community, keeper, "15000.00")

    services.commitment_release(
        commitment=commitment, actor=keeper, idempotency_key=key()
    )

    for tranche in (first, second):
        account = Account.objects.get(
            tranche=tranche, kind=Account.Kind.TRANCHE_AVAILABLE
        )
        assert account.balance == Decimal("10000.00")


def test_a_resident_cannot_commit_money():
    community, _keeper, _tranche = make_funded_community("100000.00")
    resident = make_member(community, Role.RESIDENT)

    with pytest.raises(PermissionDenied, match="right to do this"):
        commit(community, resident, "10.00")


def test_a_council_decision_commits_without_a_fund_committee_member():
    community, _keeper, _tranche = make_funded_community("100000.00")
    chair = make_member(community, Role.COORDINATOR)

    commitment = commit(community, chair, "10.00", decision="TEST-5#3")

    assert commitment.amount == Decimal("10.00")


def test_an_unknown_category_is_refused():
    community, keeper, _tranche = make_funded_community("100000.00")

    with pytest.raises(ValidationError, match="category"):
        commit(community, keeper, "10.00", category="casino")


def test_a_commitment_passes_over_a_tranche_with_nothing_left():
    community, keeper, first = make_funded_community("10000.00")
    commit(community, keeper, "10000.00")  # the first tranche is all committed
    second = make_tranche(community.fund, amount="10000.00", recorded_by=keeper)

    commitment = commit(community, keeper, "4000.00")

    movement = LedgerTransaction.objects.get(commitment=commitment, kind="commit")
    drawn = {entry.account.tranche_id for entry in movement.entries.all()}
    assert drawn == {second.pk}
    assert movement.entries.count() == 2


def test_a_release_after_one_tranches_part_is_emptied_takes_the_rest():
    community, keeper, first = make_funded_community("10000.00")
    second = make_tranche(community.fund, amount="10000.00", recorded_by=keeper)
    commitment = commit(community, keeper, "15000.00")  # 10,000 + 5,000
    services.commitment_release(
        commitment=commitment, actor=keeper, idempotency_key=key(), amount="5000.00"
    )

    services.commitment_release(
        commitment=commitment, actor=keeper, idempotency_key=key(), amount="4000.00"
    )

    available = {
        account.tranche_id: account.balance
        for account in Account.objects.filter(kind=Account.Kind.TRANCHE_AVAILABLE)
    }
    assert available == {first.pk: Decimal("4000.00"), second.pk: Decimal("10000.00")}
    assert services.commitment_outstanding(commitment) == Decimal("6000.00")


def test_the_commitment_keeps_its_whole_purpose_and_refuses_a_longer_one():
    community, keeper, _tranche = make_funded_community("100000.00")
    purpose = "护" * 200

    commitment = commit(community, keeper, "10.00", purpose=purpose)

    commitment.refresh_from_db()
    assert commitment.purpose == purpose
    with pytest.raises(ValidationError, match="at most 200 characters"):
        commit(community, keeper, "10.00", purpose=purpose + "护")
