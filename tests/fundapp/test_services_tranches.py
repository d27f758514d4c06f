from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fundapp import services
from fundapp.models import Account, LedgerTransaction, Role, Source, Tranche
from fundapp.selectors import fund_balances, fund_raised
from tests.factories import key, make_community, make_member, make_source, make_tranche

pytestmark = pytest.mark.django_db


def test_receiving_a_tranche_makes_its_money_available():
    community = make_community()

    tranche = make_tranche(community.fund, amount="300000.00")

    available = Account.objects.get(
        tranche=tranche, kind=Account.Kind.TRANCHE_AVAILABLE
    )
    assert available.balance == Decimal("300000.00")
    assert fund_balances(fund=community.fund).available == Decimal("300000.00")
    assert fund_balances(fund=community.fund).raised == Decimal("300000.00")


def test_a_received_tranche_is_one_balanced_transaction():
    community = make_community()

    tranche = make_tranche(community.fund, amount="1234.56")

    movement = LedgerTransaction.objects.get(tranche=tranche)
    amounts = sorted(entry.amount for entry in movement.entries.all())
    assert amounts == [Decimal("-1234.56"), Decimal("1234.56")]
    assert movement.kind == LedgerTransaction.Kind.RECEIVE


def test_the_same_idempotency_key_records_a_tranche_once():
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)
    source = make_source(community.fund)
    same_key = key()

    first = make_tranche(
        community.fund,
        source=source,
        recorded_by=keeper,
        idempotency_key=same_key,
        reference="A-1",
    )
    second = make_tranche(
        community.fund,
        source=source,
        recorded_by=keeper,
        idempotency_key=same_key,
        reference="A-1",
    )

    assert first.pk == second.pk
    assert LedgerTransaction.objects.filter(fund=community.fund).count() == 1


def test_a_duplicate_tranche_is_refused_next_to_its_reference():
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)
    source = make_source(community.fund)
    make_tranche(
        community.fund,
        source=source,
        recorded_by=keeper,
        reference="HSBC-2014",
        fiscal_year=2014,
    )

    with pytest.raises(ValidationError, match="already has a 2014 tranche") as refused:
        make_tranche(
            community.fund,
            source=source,
            recorded_by=keeper,
            reference="HSBC-2014",
            fiscal_year=2014,
        )

    assert "reference" in refused.value.error_dict
    assert Tranche.objects.filter(source=source).count() == 1


@pytest.mark.parametrize("amount", ["0", "-1", "abc", "1.234", "1000000000"])
def test_bad_amounts_change_nothing(amount):
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)

    with pytest.raises(ValidationError, match="amount|Amount|decimal|zero|digit"):
        make_tranche(community.fund, amount=amount, recorded_by=keeper)

    assert not LedgerTransaction.objects.exists()


def test_a_match_within_ratio_and_cap_is_recorded_and_shown_as_leverage():
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)
    donor = make_tranche(community.fund, amount="300000.00", recorded_by=keeper)
    government = make_source(community.fund, kind=Source.Kind.GOVERNMENT_MATCHING)

    match = make_tranche(
        community.fund,
        amount="300000.00",
        source=government,
        recorded_by=keeper,
        matches=donor,
        match_ratio="1",
        match_cap="300000.00",
    )

    leverage = fund_raised(fund=community.fund).leverage
    assert [(row["tranche"], row["ratio"]) for row in leverage] == [
        (match, Decimal("1.00"))
    ]


def test_a_match_over_its_cap_is_refused_with_the_room_left():
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)
    donor = make_tranche(community.fund, amount="300000.00", recorded_by=keeper)
    government = make_source(community.fund, kind=Source.Kind.GOVERNMENT_MATCHING)

    with pytest.raises(ValidationError, match="capped at ¥250,000.00") as refused:
        make_tranche(
            community.fund,
            amount="260000.00",
            source=government,
            recorded_by=keeper,
            matches=donor,
            match_ratio="1",
            match_cap="250000.00",
        )

    assert "amount" in refused.value.error_dict
    assert Tranche.objects.filter(source=government).count() == 0


def test_a_second_match_counts_what_already_matches():
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)
    donor = make_tranche(community.fund, amount="100000.00", recorded_by=keeper)
    government = make_source(community.fund, kind=Source.Kind.GOVERNMENT_MATCHING)
    make_tranche(
        community.fund,
        amount="60000.00",
        source=government,
        recorded_by=keeper,
        matches=donor,
        match_ratio="1",
    )

    with pytest.raises(ValidationError, match="at most ¥40,000.00"):
        make_tranche(
            community.fund,
            amount="50000.00",
            source=government,
            recorded_by=keeper,
            matches=donor,
            match_ratio="1",
        )


def test_only_fund_committee_members_record_tranches():
    community = make_community()
    social_worker = make_member(community, Role.SOCIAL_WORKER)

    with pytest.raises(PermissionDenied, match="right to do this"):
        make_tranche(community.fund, recorded_by=social_worker)


def test_a_fund_committee_member_of_another_community_cannot_record_here():
    community = make_community()
    elsewhere = make_community()
    outsider = make_member(elsewhere, Role.FUND_COMMITTEE)

    with pytest.raises(PermissionDenied, match="right to do this"):
        make_tranche(community.fund, recorded_by=outsider)


def test_a_source_of_another_fund_is_refused():
    community = make_community()
    elsewhere = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)

    with pytest.raises(ValidationError, match="another fund"):
        make_tranche(
            community.fund, source=make_source(elsewhere.fund), recorded_by=keeper
        )


def test_a_spend_by_date_before_receipt_is_refused():
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)

    with pytest.raises(ValidationError, match="spend-by date"):
        make_tranche(
            community.fund,
            recorded_by=keeper,
            received_on=date(2026, 3, 1),
            spend_by=date(2026, 1, 1),
        )


def test_an_unknown_category_restriction_is_refused():
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)

    with pytest.raises(ValidationError, match="Unknown category"):
        make_tranche(community.fund, recorded_by=keeper, allowed_categories=["casino"])


def test_an_expired_form_key_is_refused():
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)

    with pytest.raises(ValidationError, match="expired"):
        services.tranche_receive(
            fund=community.fund,
            source=make_source(community.fund),
            fiscal_year=2026,
            reference="X",
            amount="10",
            received_on=date(2026, 1, 1),
            actor=keeper,
            idempotency_key="",
        )


def _donor_and_government(amount="100000.00"):
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)
    donor = make_tranche(community.fund, amount=amount, recorded_by=keeper)
    government = make_source(community.fund, kind=Source.Kind.GOVERNMENT_MATCHING)
    return community, keeper, donor, government


@pytest.mark.parametrize("ratio", [None, "0", "-1"])
def test_a_matching_tranche_needs_a_positive_ratio(ratio):
    community, keeper, donor, government = _donor_and_government()

    with pytest.raises(ValidationError, match="Give the match ratio") as refused:
        make_tranche(
            community.fund,
            amount="100.00",
            source=government,
            recorded_by=keeper,
            matches=donor,
            match_ratio=ratio,
        )

    assert "match_ratio" in refused.value.error_dict
    assert not Tranche.objects.filter(source=government).exists()


def test_a_ratio_or_cap_without_the_tranche_it_matches_is_refused():
    community, keeper, _donor, government = _donor_and_government()

    with pytest.raises(ValidationError, match="Choose the tranche") as refused:
        make_tranche(
            community.fund,
            amount="100.00",
            source=government,
            recorded_by=keeper,
            match_cap="100.00",
        )

    assert "matches" in refused.value.error_dict


def test_reversing_a_matching_tranche_frees_its_room_under_the_match():
    community, keeper, donor, government = _donor_and_government()
    first = make_tranche(
        community.fund,
        amount="60000.00",
        source=government,
        recorded_by=keeper,
        matches=donor,
        match_ratio="1",
    )
    services.transaction_reverse(
        original=LedgerTransaction.objects.get(tranche=first, kind="receive"),
        actor=keeper,
        reason="Recorded against the wrong agreement",
        idempotency_key=key(),
    )

    again = make_tranche(
        community.fund,
        amount="100000.00",
        source=government,
        recorded_by=keeper,
        matches=donor,
        match_ratio="1",
    )

    assert again.amount == Decimal("100000.00")


def test_the_match_cap_is_stored_and_read_back():
    community, keeper, donor, government = _donor_and_government()

    match = make_tranche(
        community.fund,
        amount="50000.00",
        source=government,
        recorded_by=keeper,
        matches=donor,
        match_ratio="0.5",
        match_cap="50000.00",
    )

    match.refresh_from_db()
    assert (match.match_ratio, match.match_cap) == (
        Decimal("0.5"),
        Decimal("50000.00"),
    )


@pytest.mark.parametrize(
    ("year", "accepted"), [(1999, False), (2000, True), (2100, True), (2101, False)]
)
def test_a_fiscal_year_is_between_2000_and_2100(year, accepted):
    community = make_community()

    if accepted:
        assert make_tranche(community.fund, fiscal_year=year).fiscal_year == year
    else:
        with pytest.raises(ValidationError, match="between 2000 and 2100"):
            make_tranche(community.fund, fiscal_year=year)


def test_the_same_reference_is_accepted_in_another_year():
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)
    source = make_source(community.fund)
    make_tranche(
        community.fund,
        source=source,
        recorded_by=keeper,
        reference="HSBC-1",
        fiscal_year=2014,
    )

    later = make_tranche(
        community.fund,
        source=source,
        recorded_by=keeper,
        reference="HSBC-1",
        fiscal_year=2015,
    )

    assert (later.reference, later.fiscal_year) == ("HSBC-1", 2015)
