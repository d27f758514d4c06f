"""The fund's money rules at their edges: whole messages, exact boundaries,
what each movement records, and one request per idempotency key (issue 17)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fundapp import services
from fundapp.models import Account, Category, LedgerTransaction, Role, Source
from tests.factories import (
    key,
    make_funded_community,
    make_member,
    make_source,
    make_tranche,
)

pytestmark = pytest.mark.django_db

REUSED = (
    "This form was already used for another request, so nothing was changed. "
    "Open the form again to make a new one."
)


def commit(community, actor, amount="10.00", **fields):
    return services.commitment_create(
        fund=community.fund,
        purpose=fields.pop("purpose", "Night 110 patrol"),
        category=fields.pop("category", Category.SECURITY),
        amount=amount,
        actor=actor,
        idempotency_key=fields.pop("idempotency_key", key()),
        **fields,
    )


def release(commitment, actor, **fields):
    return services.commitment_release(
        commitment=commitment,
        actor=actor,
        idempotency_key=fields.pop("idempotency_key", key()),
        **fields,
    )


def reverse(original, actor, reason="Recorded twice", **fields):
    return services.transaction_reverse(
        original=original,
        actor=actor,
        reason=reason,
        idempotency_key=fields.pop("idempotency_key", key()),
        **fields,
    )


def refusal(call, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError, match=".") as refused:
        call(*args, **kwargs)
    return refused.value


def committed_tranches(commitment) -> dict:
    return {
        account.tranche_id: account.balance
        for account in commitment.accounts.filter(kind=Account.Kind.COMMITTED)
    }


# The authority: a decision is cited by a short reference.


def test_a_decision_reference_of_sixty_characters_is_cited_and_one_more_refused():
    community, _keeper, _tranche = make_funded_community("100.00")
    chair = make_member(community, Role.COORDINATOR)
    reference = "D" * 60

    commitment = commit(community, chair, decision=reference)

    assert commitment.decision == reference
    refused = refusal(commit, community, chair, decision=reference + "D")
    assert refused.messages == ["A decision is cited by a short reference."]


# Matching tranches.


def test_a_match_is_capped_at_the_ratio_times_the_matched_amount():
    community, keeper, matched = make_funded_community("10000.00")

    def match(amount, **fields):
        return make_tranche(
            community.fund,
            amount=amount,
            recorded_by=keeper,
            matches=matched,
            match_ratio=fields.pop("match_ratio", "2"),
            **fields,
        )

    refused = refusal(match, "20000.01")
    first = match("20000.00")

    assert first.amount == Decimal("20000.00")
    assert refused.message_dict == {
        "amount": [
            "The match is capped at ¥20,000.00 (ratio 2 × ¥10,000.00, cap none); "
            "¥0.00 already matches it, so at most ¥20,000.00 can be recorded."
        ]
    }


def test_a_cap_or_ratio_without_a_matched_tranche_names_the_missing_tranche():
    community, keeper, _tranche = make_funded_community("100.00")

    refused = refusal(
        make_tranche, community.fund, amount="10.00", recorded_by=keeper, match_cap="5"
    )

    assert refused.message_dict == {"matches": ["Choose the tranche this one matches."]}


def test_a_tranche_of_another_fund_cannot_be_matched():
    community, keeper, _tranche = make_funded_community("100.00")
    _elsewhere, _other_keeper, theirs = make_funded_community("100.00")

    refused = refusal(
        make_tranche,
        community.fund,
        amount="10.00",
        recorded_by=keeper,
        matches=theirs,
        match_ratio="1",
    )

    assert refused.message_dict == {
        "matches": ["A tranche can only match a tranche of the same fund."]
    }


def test_a_match_without_a_ratio_asks_for_one():
    community, keeper, matched = make_funded_community("100.00")

    refused = refusal(
        make_tranche,
        community.fund,
        amount="10.00",
        recorded_by=keeper,
        matches=matched,
    )

    assert refused.message_dict == {
        "match_ratio": ["Give the match ratio, such as 1 for one to one."]
    }


# Which tranches pay, and in which order.


def test_a_tranche_pays_on_its_spend_by_date_itself():
    community, keeper, _open = make_funded_community("1.00")
    last_day = make_tranche(
        community.fund,
        amount="500.00",
        recorded_by=keeper,
        allowed_categories=[Category.SECURITY],
        spend_by=date(2026, 6, 30),
    )

    commitment = commit(community, keeper, "500.00", on=date(2026, 6, 30))

    assert committed_tranches(commitment) == {last_day.pk: Decimal("500.00")}


def test_the_money_to_spend_first_is_the_earliest_spend_by_not_the_oldest():
    community, keeper, _open = make_funded_community("1.00")
    later = make_tranche(
        community.fund,
        amount="100.00",
        recorded_by=keeper,
        received_on=date(2026, 1, 10),
        spend_by=date(2027, 12, 31),
    )
    sooner = make_tranche(
        community.fund,
        amount="100.00",
        recorded_by=keeper,
        received_on=date(2026, 3, 10),
        spend_by=date(2026, 12, 31),
    )

    commitment = commit(community, keeper, "150.00", on=date(2026, 4, 1))

    assert committed_tranches(commitment) == {
        sooner.pk: Decimal("100.00"),
        later.pk: Decimal("50.00"),
    }


# Commitments.


def test_what_is_committed_already_cannot_be_committed_again():
    community, keeper, _tranche = make_funded_community("100.00")
    commit(community, keeper, "60.00")

    refused = refusal(commit, community, keeper, "40.01")
    rest = commit(community, keeper, "40.00")

    assert rest.amount == Decimal("40.00")
    assert refused.message_dict == {
        "amount": [
            "The tranches that may pay for security hold ¥40.00; this commitment "
            "of ¥40.01 is ¥0.01 short."
        ]
    }


def test_a_commitment_draws_only_on_the_tranches_it_needs():
    community, keeper, first = make_funded_community("100.00")
    make_tranche(community.fund, amount="100.00", recorded_by=keeper)

    commitment = commit(community, keeper, "100.00")

    assert committed_tranches(commitment) == {first.pk: Decimal("100.00")}


def test_a_commitment_passes_over_an_emptied_tranche_without_an_account_for_it():
    community, keeper, first = make_funded_community("100.00")
    commit(community, keeper, "100.00")
    second = make_tranche(community.fund, amount="100.00", recorded_by=keeper)

    commitment = commit(community, keeper, "30.00")

    assert committed_tranches(commitment) == {second.pk: Decimal("30.00")}


def test_a_tranche_holding_one_yuan_pays_its_one_yuan():
    community, keeper, tranche = make_funded_community("1.00")

    commitment = commit(community, keeper, "1.00")

    assert committed_tranches(commitment) == {tranche.pk: Decimal("1.00")}


def test_a_commitment_records_its_decision_category_and_who_made_it():
    community, _keeper, _tranche = make_funded_community("100.00")
    chair = make_member(community, Role.COORDINATOR)

    commitment = commit(
        community,
        chair,
        "10.00",
        decision="TEST-5#3",
        category=Category.ELDERLY_CARE,
        purpose="  Lunch for the elderly  ",
    )

    commitment.refresh_from_db()
    movement = LedgerTransaction.objects.get(commitment=commitment, kind="commit")
    assert (
        commitment.decision,
        commitment.category,
        commitment.purpose,
        commitment.created_by,
    ) == ("TEST-5#3", Category.ELDERLY_CARE, "Lunch for the elderly", chair)
    assert (movement.memo, movement.created_by) == ("Lunch for the elderly", chair)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"category": "casino"}, "category", "Choose a category from the list."),
        ({"purpose": "   "}, "purpose", "Say what the money is for."),
        (
            {"purpose": "护" * 201},
            "purpose",
            "Say what the money is for in at most 200 characters.",
        ),
    ],
)
def test_a_commitment_names_the_field_that_is_wrong(fields, field, message):
    community, keeper, _tranche = make_funded_community("100.00")

    refused = refusal(commit, community, keeper, "10.00", **fields)

    assert refused.message_dict == {field: [message]}


# Releases.


def test_a_release_records_its_reason_or_else_the_purpose_and_who_released():
    community, keeper, _tranche = make_funded_community("100.00")
    commitment = commit(community, keeper, "50.00", purpose="Night 110 patrol")

    with_reason = release(commitment, keeper, amount="10.00", reason=" Done early ")
    without = release(commitment, keeper, amount="10.00")

    assert (with_reason.memo, with_reason.created_by, with_reason.commitment) == (
        "Done early",
        keeper,
        commitment,
    )
    assert (without.memo, without.created_by, without.commitment) == (
        "Night 110 patrol",
        keeper,
        commitment,
    )


def test_a_long_release_reason_is_kept_to_the_memos_300_characters():
    community, keeper, _tranche = make_funded_community("100.00")
    commitment = commit(community, keeper, "50.00")

    movement = release(commitment, keeper, reason="理" * 299 + "由两")

    assert movement.memo == "理" * 299 + "由"


def test_a_release_goes_on_to_the_next_tranche_for_its_last_yuan():
    community, keeper, first = make_funded_community("100.00")
    second = make_tranche(community.fund, amount="100.00", recorded_by=keeper)
    commitment = commit(community, keeper, "101.00")  # 100 + 1 from the second

    release(commitment, keeper, amount="2.00")  # the second's 1, then 1 more

    assert committed_tranches(commitment) == {
        first.pk: Decimal("99.00"),
        second.pk: Decimal("0.00"),
    }


def test_a_release_returns_a_part_of_one_yuan_or_less_too():
    community, keeper, first = make_funded_community("100.00")
    second = make_tranche(community.fund, amount="100.00", recorded_by=keeper)
    commitment = commit(community, keeper, "101.00")  # 100 + 1 from the second

    release(commitment, keeper, amount="101.00")

    assert services.commitment_outstanding(commitment) == Decimal("0.00")
    available = {
        account.tranche_id: account.balance
        for account in Account.objects.filter(kind=Account.Kind.TRANCHE_AVAILABLE)
    }
    assert available == {first.pk: Decimal("100.00"), second.pk: Decimal("100.00")}


def test_a_release_gives_the_money_back_to_the_available_account():
    community, keeper, tranche = make_funded_community("100.00")
    commitment = commit(community, keeper, "50.00")
    other = commit(community, keeper, "30.00")

    movement = release(commitment, keeper, amount="20.00")

    moved = {
        (entry.account.kind, entry.account.commitment_id): entry.amount
        for entry in movement.entries.all()
    }
    assert moved == {
        (Account.Kind.COMMITTED, commitment.pk): Decimal("-20.00"),
        (Account.Kind.TRANCHE_AVAILABLE, None): Decimal("20.00"),
    }
    assert services.commitment_outstanding(other) == Decimal("30.00")


def test_a_release_retried_with_its_key_returns_the_same_movement():
    community, keeper, _tranche = make_funded_community("100.00")
    commitment = commit(community, keeper, "50.00")

    first = release(commitment, keeper, amount="10.00", idempotency_key="release-1")
    again = release(commitment, keeper, amount="10.00", idempotency_key="release-1")

    assert again == first
    assert services.commitment_outstanding(commitment) == Decimal("40.00")


def test_a_release_names_what_is_left_or_that_nothing_is():
    community, keeper, _tranche = make_funded_community("100.00")
    commitment = commit(community, keeper, "50.00")

    beyond = refusal(release, commitment, keeper, amount="50.01")
    release(commitment, keeper)
    emptied = refusal(release, commitment, keeper)

    assert beyond.message_dict == {
        "amount": ["Only ¥50.00 of this commitment is outstanding."]
    }
    assert emptied.messages == ["Nothing of this commitment is left to release."]


# Reversals.


def test_a_reversal_names_the_tranche_or_commitment_of_what_it_reverses():
    community, keeper, tranche = make_funded_community("100.00")
    commitment = commit(community, keeper, "10.00")
    receipt = LedgerTransaction.objects.get(tranche=tranche, kind="receive")
    committing = LedgerTransaction.objects.get(commitment=commitment, kind="commit")

    undo_commit = reverse(committing, keeper, reason="x" * 301)
    undo_receipt = reverse(receipt, keeper)

    assert (undo_commit.commitment, undo_commit.tranche) == (commitment, None)
    assert undo_commit.memo == "x" * 300
    assert (undo_receipt.tranche, undo_receipt.commitment) == (tranche, None)


def test_a_payment_is_corrected_in_its_project_not_reversed():
    community, keeper, _tranche = make_funded_community("100.00")
    commitment = commit(community, keeper, "50.00")
    payment = services.commitment_disburse(
        commitment=commitment,
        amount="20.00",
        actor=keeper,
        idempotency_key=key(),
        paid_on=date(2026, 5, 1),
    )

    refused = refusal(reverse, payment, keeper)

    assert (refused.code, refused.messages) == (
        "payment_not_reversible",
        [
            "A payment or a return is corrected in its project, where the "
            "installment and the receipts are, not reversed here."
        ],
    )


def test_a_reversal_says_why_it_is_refused():
    community, keeper, tranche = make_funded_community("100.00")
    receipt = LedgerTransaction.objects.get(tranche=tranche, kind="receive")

    no_reason = refusal(reverse, receipt, keeper, reason="  ")
    reversal = reverse(receipt, keeper)
    twice = refusal(reverse, receipt, keeper)
    of_reversal = refusal(reverse, reversal, keeper)

    assert no_reason.message_dict == {
        "reason": ["Say why this movement is being reversed."]
    }
    assert twice.messages == [
        f"Movement #{receipt.pk} was already reversed by #{reversal.pk}."
    ]
    assert of_reversal.messages == [
        "A reversal cannot itself be reversed; record the movement again."
    ]


# One key, one request: a retry that asks anything else is refused.


def assert_reused(call, *args, **kwargs):
    refused = refusal(call, *args, **kwargs)
    assert (refused.code, refused.messages) == ("idempotency_key_reused", [REUSED])


@pytest.mark.parametrize(
    "changed",
    [
        {"purpose": "Street lights"},
        {"category": Category.HEALTH},
        {"on": date(2026, 6, 2)},
        {"decision": "TEST-5#4"},
    ],
)
def test_a_commitments_key_is_refused_for_another_commitment(changed):
    community, _keeper, _tranche = make_funded_community("100.00")
    chair = make_member(community, Role.COORDINATOR)
    asked = {"decision": "TEST-5#3", "on": date(2026, 6, 1), "idempotency_key": "k-1"}
    commit(community, chair, "10.00", **asked)

    assert_reused(commit, community, chair, "10.00", **{**asked, **changed})
    assert LedgerTransaction.objects.filter(kind="commit").count() == 1


def test_a_commitments_key_is_refused_in_another_fund():
    community, keeper, _tranche = make_funded_community("100.00")
    other, _their_keeper, _their_tranche = make_funded_community("100.00")
    services.role_grant(
        user=keeper, community=other, role=Role.FUND_COMMITTEE, granted_by=None
    )
    commit(community, keeper, "10.00", idempotency_key="k-1", on=date(2026, 6, 1))

    assert_reused(
        commit, other, keeper, "10.00", idempotency_key="k-1", on=date(2026, 6, 1)
    )


@pytest.mark.parametrize(
    "changed",
    [
        {"amount": "11.00"},
        {"reason": "Another reason"},
        {"on": date(2026, 6, 2)},
        {"decision": "TEST-5#4"},
        {"actor": "the other councillor"},
    ],
)
def test_a_releases_key_is_refused_for_another_release(changed):
    community, _keeper, _tranche = make_funded_community("100.00")
    chair = make_member(community, Role.COORDINATOR)
    other = make_member(community, Role.COORDINATOR)
    commitment = commit(community, chair, "50.00", decision="TEST-5#1")
    asked = {
        "amount": "10.00",
        "reason": "Done early",
        "on": date(2026, 6, 1),
        "decision": "TEST-5#3",
        "idempotency_key": "k-1",
    }
    release(commitment, chair, **asked)
    retry = {**asked, **changed}
    actor = other if retry.pop("actor", None) else chair

    assert_reused(release, commitment, actor, **retry)
    assert services.commitment_outstanding(commitment) == Decimal("40.00")


@pytest.mark.parametrize("changed", ["actor", "original", "reason", "on"])
def test_a_reversals_key_is_refused_for_another_reversal(changed):
    community, keeper, tranche = make_funded_community("100.00")
    colleague = make_member(community, Role.FUND_COMMITTEE)
    first = commit(community, keeper, "10.00")
    second = commit(community, keeper, "10.00")
    movements = {
        c: LedgerTransaction.objects.get(commitment=c, kind="commit")
        for c in (first, second)
    }
    asked = {
        "original": movements[first],
        "actor": keeper,
        "reason": "Recorded twice",
        "on": date(2026, 6, 1),
        "idempotency_key": "k-1",
    }
    reverse(**asked)
    other = {
        "actor": colleague,
        "original": movements[second],
        "reason": "Another reason",
        "on": date(2026, 6, 2),
    }

    assert_reused(reverse, **{**asked, changed: other[changed]})
    assert services.commitment_outstanding(second) == Decimal("10.00")


# Receiving tranches.


def test_a_capped_match_names_the_cap_what_already_matches_and_the_room():
    community, keeper, matched = make_funded_community("10000.00")

    def match(amount):
        return make_tranche(
            community.fund,
            amount=amount,
            recorded_by=keeper,
            matches=matched,
            match_ratio="1",
            match_cap="6000",
        )

    match("4000.00")
    refused = refusal(match, "2000.01")
    last = match("2000.00")

    assert (last.match_cap, last.recorded_by) == (Decimal("6000.00"), keeper)
    assert refused.message_dict == {
        "amount": [
            "The match is capped at ¥6,000.00 (ratio 1 × ¥10,000.00, cap ¥6,000.00); "
            "¥4,000.00 already matches it, so at most ¥2,000.00 can be recorded."
        ]
    }


def test_a_tranche_form_left_without_a_ratio_or_cap_records_no_match():
    community, keeper, _tranche = make_funded_community("100.00")

    tranche = make_tranche(
        community.fund, amount="10.00", recorded_by=keeper, match_ratio="", match_cap=""
    )

    assert (tranche.matches, tranche.match_ratio, tranche.match_cap) == (
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"reference": "  "},
            {"reference": ["Give the agreement or bank slip number."]},
        ),
        (
            {"fiscal_year": 1999, "received_on": date(2026, 3, 1)},
            {"fiscal_year": ["Give a fiscal year between 2000 and 2100."]},
        ),
        (
            {"allowed_categories": ["lottery", "casino", "security"]},
            {"allowed_categories": ["Unknown category: casino, lottery."]},
        ),
        (
            {"fiscal_year": 2026, "received_on": date(2025, 12, 31)},
            {
                "received_on": [
                    "Money received on 2025-12-31 belongs to fiscal year 2025 "
                    "(the fiscal year is the calendar year)."
                ]
            },
        ),
        (
            {"received_on": date(2026, 3, 1), "spend_by": date(2026, 2, 28)},
            {"spend_by": ["The spend-by date cannot be before the money arrives."]},
        ),
    ],
)
def test_a_tranche_names_the_field_that_is_wrong(fields, errors):
    community, keeper, _tranche = make_funded_community("100.00")

    refused = refusal(
        make_tranche, community.fund, amount="10.00", recorded_by=keeper, **fields
    )

    assert refused.message_dict == errors


def test_a_source_of_another_fund_is_named_under_the_source():
    community, keeper, _tranche = make_funded_community("100.00")
    elsewhere, _their_keeper, _theirs = make_funded_community("100.00")

    refused = refusal(
        make_tranche,
        community.fund,
        amount="10.00",
        recorded_by=keeper,
        source=make_source(elsewhere.fund),
    )

    assert refused.message_dict == {"source": ["This source gives to another fund."]}


def test_money_may_be_spent_by_the_day_it_arrives():
    community, keeper, _tranche = make_funded_community("100.00")

    tranche = make_tranche(
        community.fund,
        amount="10.00",
        recorded_by=keeper,
        received_on=date(2026, 3, 1),
        spend_by=date(2026, 3, 1),
    )

    assert tranche.spend_by == date(2026, 3, 1)


def test_a_reference_is_unique_per_source_and_year_not_across_sources():
    community, keeper, _tranche = make_funded_community("100.00")
    bank = Source.objects.create(
        fund=community.fund,
        kind=Source.Kind.ENTERPRISE,
        name="银行",
        name_en="The bank",
    )
    donor = make_source(community.fund)
    make_tranche(community.fund, source=bank, recorded_by=keeper, reference="R-1")

    other_source = make_tranche(
        community.fund, source=donor, recorded_by=keeper, reference="R-1"
    )
    refused = refusal(
        make_tranche, community.fund, source=bank, recorded_by=keeper, reference="R-1"
    )

    assert other_source.reference == "R-1"
    assert refused.message_dict == {
        "reference": ["The bank already has a 2026 tranche with reference R-1."]
    }


def test_a_receipt_records_its_reference_and_who_recorded_it():
    community, keeper, tranche = make_funded_community("100.00")

    receipt = LedgerTransaction.objects.get(tranche=tranche, kind="receive")

    assert (receipt.memo, receipt.created_by) == (tranche.reference, keeper)
    assert tranche.recorded_by == keeper


@pytest.mark.parametrize(
    "changed",
    [
        "actor",
        "source",
        "reference",
        "amount",
        "received_on",
        "allowed_categories",
        "spend_by",
        "matches",
        "match_ratio",
        "match_cap",
    ],
)
def test_a_receipts_key_is_refused_for_another_receipt(changed):
    community, keeper, matched = make_funded_community("1000.00")
    colleague = make_member(community, Role.FUND_COMMITTEE)
    other_match = make_tranche(community.fund, amount="1000.00", recorded_by=keeper)
    asked = {
        "fund": community.fund,
        "source": make_source(community.fund),
        "fiscal_year": 2026,
        "reference": "R-1",
        "amount": "100.00",
        "received_on": date(2026, 3, 1),
        "actor": keeper,
        "idempotency_key": "k-1",
        "allowed_categories": [Category.HEALTH],
        "spend_by": date(2027, 3, 1),
        "matches": matched,
        "match_ratio": "1",
        "match_cap": "500.00",
    }
    services.tranche_receive(**asked)
    other = {
        "actor": colleague,
        "source": make_source(community.fund),
        "reference": "R-2",
        "amount": "100.01",
        "received_on": date(2026, 3, 2),
        "allowed_categories": [Category.HEALTH, Category.CULTURE],
        "spend_by": date(2027, 3, 2),
        "matches": other_match,
        "match_ratio": "0.5",
        "match_cap": "400.00",
    }

    assert_reused(services.tranche_receive, **{**asked, changed: other[changed]})
    assert LedgerTransaction.objects.filter(fund=community.fund).count() == 3


def test_money_is_spent_by_ten_years_after_it_arrives_at_the_latest():
    community, keeper, _tranche = make_funded_community("100.00")

    def received(spend_by):
        return make_tranche(
            community.fund,
            amount="10.00",
            recorded_by=keeper,
            received_on=date(2026, 3, 1),
            spend_by=spend_by,
        )

    last_day = received(date(2036, 12, 31))
    refused = refusal(received, date(2037, 1, 1))

    assert last_day.spend_by == date(2036, 12, 31)
    assert refused.message_dict == {
        "spend_by": ["Give a spend-by date within ten years of the money's arrival."]
    }
