"""The vote formulas of ROBERTS_RULES.md §4, with its worked cases."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from councils.procedure import thresholds as t

MAJORITY_ROW = [
    1,
    2,
    2,
    3,
    3,
    4,
    4,
    5,
    5,
    6,
    6,
    7,
    7,
    8,
    8,
    9,
    9,
    10,
    10,
    11,
    11,
    12,
    12,
]
TWO_THIRDS_ROW = [
    1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8, 8, 9, 10, 10, 11, 12, 12, 13, 14, 14, 15, 16,
]  # fmt: skip


@pytest.mark.parametrize(("cast", "needed"), list(enumerate(MAJORITY_ROW, start=1)))
def test_majority_needs_the_table_minimum_when_votes_are_cast(cast, needed):
    assert t.minimum_yes_for_majority(cast) == needed
    assert t.majority_of_votes_cast(needed, cast - needed)
    assert not t.majority_of_votes_cast(needed - 1, cast - needed + 1)


@pytest.mark.parametrize(("cast", "needed"), list(enumerate(TWO_THIRDS_ROW, start=1)))
def test_two_thirds_needs_the_table_minimum_when_votes_are_cast(cast, needed):
    assert t.minimum_yes_for_two_thirds(cast) == needed
    assert t.two_thirds_of_votes_cast(needed, cast - needed)
    assert not t.two_thirds_of_votes_cast(needed - 1, cast - needed + 1)


@pytest.mark.parametrize(
    ("basis", "yes", "no", "extra", "adopted"),
    [
        # §4.2, M = 20 unless stated.
        ("majority", 6, 5, {}, True),
        ("two_thirds", 6, 5, {}, False),
        ("two_thirds", 7, 4, {}, False),
        ("two_thirds", 8, 4, {}, True),
        ("majority", 5, 5, {}, False),
        ("majority", 3, 2, {}, True),
        ("majority", 0, 0, {}, False),
        ("two_thirds", 0, 0, {}, False),
        ("majority_of_present", 7, 5, {"present": 15}, False),
        ("majority", 6, 4, {"illegal": 1}, True),
        ("majority", 5, 4, {"illegal": 1}, False),
        ("majority_of_membership", 11, 0, {"members": 20}, True),
        ("majority_of_membership", 10, 9, {"members": 20}, False),
        ("majority_of_membership", 10, 0, {"members": 19}, True),
        ("rescind", 12, 5, {"members": 20}, True),
        ("rescind", 11, 9, {"members": 20}, True),
        ("rescind", 10, 7, {"members": 20}, False),
        ("rescind", 9, 8, {"members": 20, "previous_notice": True}, True),
        ("two_thirds", 7, 4, {"present": 12}, False),
        ("two_thirds_of_present", 8, 0, {"present": 12}, True),
        ("two_thirds_of_present", 7, 0, {"present": 12}, False),
        ("two_thirds_of_membership", 14, 0, {"members": 20}, True),
        ("two_thirds_of_membership", 13, 0, {"members": 20}, False),
    ],
)
def test_worked_case_gives_the_documented_result_when_counted(
    basis, yes, no, extra, adopted
):
    assert t.is_adopted(basis, yes, no, **extra) is adopted


@pytest.mark.parametrize(
    ("yes", "no", "reversed_"),
    [(5, 6, True), (6, 5, False), (5, 5, False), (0, 0, False), (0, 1, True)],
)
def test_appeal_reverses_the_chair_only_when_more_vote_no(yes, no, reversed_):
    assert t.appeal_reversed(yes, no) is reversed_
    assert t.is_adopted("appeal", yes, no) is not reversed_


@pytest.mark.parametrize(
    ("yes", "no", "sustained"),
    [(4, 8, True), (4, 7, False), (0, 1, True), (0, 0, False), (5, 10, True)],
)
def test_objection_is_sustained_when_two_thirds_vote_against_considering(
    yes, no, sustained
):
    assert t.objection_sustained(yes, no) is sustained


@pytest.mark.parametrize(
    ("yes", "no", "set_aside"), [(3, 6, True), (4, 6, False), (0, 0, False)]
)
def test_orders_of_the_day_are_set_aside_when_two_thirds_vote_against(
    yes, no, set_aside
):
    assert t.orders_of_the_day_set_aside(yes, no) is set_aside
    assert t.is_adopted("orders_of_the_day", yes, no) is not set_aside


@pytest.mark.parametrize(
    ("members", "quorum"), [(20, 11), (19, 10), (22, 12), (23, 12), (21, 11)]
)
def test_default_quorum_is_a_majority_when_membership_is(members, quorum):
    assert t.default_quorum(members) == quorum


def test_quorum_is_not_met_when_eleven_of_twenty_three_are_present():
    assert not t.has_quorum(11, t.default_quorum(23))
    assert t.has_quorum(12, t.default_quorum(23))


@pytest.mark.parametrize(
    ("basis", "choice", "yes", "no", "allowed"),
    [
        ("majority", "yes", 10, 10, True),  # breaks a tie in favour
        ("majority", "no", 10, 10, False),  # a tie is already lost
        ("majority", "no", 11, 10, True),  # creates a tie
        ("majority", "yes", 11, 10, False),
        ("two_thirds", "yes", 13, 7, True),  # reaches two thirds
        ("two_thirds", "no", 14, 7, True),  # blocks two thirds
        ("two_thirds", "yes", 14, 7, False),
        ("appeal", "yes", 5, 6, True),  # creates a tie, which sustains
        ("majority", "abstain", 10, 10, False),
    ],
)
def test_chair_may_vote_only_when_the_vote_changes_the_result(
    basis, choice, yes, no, allowed
):
    assert t.chair_may_vote(basis, choice, yes, no) is allowed


def test_unknown_basis_raises_a_key_error_when_asked():
    with pytest.raises(KeyError, match="nonsense"):
        t.is_adopted("nonsense", 1, 0)


counts = st.integers(min_value=0, max_value=60)


@given(yes=counts, no=counts, illegal=st.integers(0, 5))
def test_more_yes_never_turns_adoption_into_loss_when_others_are_fixed(
    yes, no, illegal
):
    for basis in ("majority", "two_thirds", "rescind"):
        if t.is_adopted(basis, yes, no, illegal=illegal, members=23):
            assert t.is_adopted(basis, yes + 1, no, illegal=illegal, members=23)


@given(yes=counts, no=counts)
def test_more_no_never_turns_loss_into_adoption_when_others_are_fixed(yes, no):
    for basis in ("majority", "two_thirds", "rescind"):
        if not t.is_adopted(basis, yes, no, members=23):
            assert not t.is_adopted(basis, yes, no + 1, members=23)


@given(cast=st.integers(min_value=1, max_value=500))
def test_two_thirds_minimum_matches_exact_arithmetic_when_any_number_votes(cast):
    needed = t.minimum_yes_for_two_thirds(cast)
    assert 3 * needed >= 2 * cast
    assert needed == 1 or 3 * (needed - 1) < 2 * cast
