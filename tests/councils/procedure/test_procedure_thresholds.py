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


# The council of §4.2: M = 20 members; `present` as the case states, else
# everyone who voted or abstained.
@pytest.mark.parametrize(
    ("basis", "yes", "no", "extra", "adopted"),
    [
        ("majority", 6, 5, {"present": 11}, True),
        ("two_thirds", 6, 5, {"present": 11}, False),
        ("two_thirds", 7, 4, {"present": 11}, False),
        ("two_thirds", 8, 4, {"present": 12}, True),
        ("majority", 5, 5, {"present": 11}, False),
        ("majority", 3, 2, {"present": 11}, True),
        ("majority", 0, 0, {"present": 11}, False),
        ("two_thirds", 0, 0, {"present": 11}, False),
        ("majority_of_present", 7, 5, {"present": 15}, False),
        ("majority", 6, 4, {"illegal": 1, "present": 11}, True),
        ("majority", 5, 4, {"illegal": 1, "present": 11}, False),
        ("majority_of_membership", 11, 0, {"present": 11}, True),
        ("majority_of_membership", 10, 9, {"present": 19}, False),
        ("majority_of_membership", 10, 0, {"present": 10, "members": 19}, True),
        ("rescind", 12, 5, {"present": 17}, True),
        ("rescind", 11, 9, {"present": 20}, True),
        ("rescind", 10, 7, {"present": 17}, False),
        ("rescind", 9, 8, {"present": 17, "previous_notice": True}, True),
        ("two_thirds", 7, 4, {"present": 12}, False),
        ("two_thirds_of_present", 8, 0, {"present": 12}, True),
        ("two_thirds_of_present", 7, 0, {"present": 12}, False),
        ("two_thirds_of_membership", 14, 0, {"present": 14}, True),
        ("two_thirds_of_membership", 13, 0, {"present": 13}, False),
    ],
)
def test_worked_case_gives_the_documented_result_when_counted(
    basis, yes, no, extra, adopted
):
    extra = {"members": 20, **extra}

    assert t.is_adopted(basis, yes, no, **extra) is adopted


def test_votes_cast_count_illegal_ballots_but_never_blanks_or_abstentions():
    # §4: cast = Y + N + I; abstentions and blank ballots are not passed in.
    assert t.votes_cast(6, 4) == 10
    assert t.votes_cast(6, 4, 1) == 11


def test_majority_of_members_present_is_lost_on_a_tie_of_those_present():
    # 44:9(a): abstaining weighs as no, and half is not more than half.
    assert not t.is_adopted("majority_of_present", 6, 0, present=12, members=20)
    assert t.is_adopted("majority_of_present", 7, 0, present=12, members=20)
    assert t.is_adopted("majority_of_present", 8, 7, present=15, members=20)


@pytest.mark.parametrize("whole", range(1, 24))
def test_two_thirds_of_those_present_needs_the_table_minimum(whole):
    needed = t.minimum_yes_for_two_thirds(whole)

    assert t.two_thirds_of_members_present(needed, whole)
    assert not t.two_thirds_of_members_present(needed - 1, whole)


@pytest.mark.parametrize("whole", range(1, 24))
def test_two_thirds_of_the_membership_needs_the_table_minimum(whole):
    # Exactly two thirds is enough (14 of 21): "at least two thirds".
    needed = t.minimum_yes_for_two_thirds(whole)

    assert t.two_thirds_of_entire_membership(needed, whole)
    assert not t.two_thirds_of_entire_membership(needed - 1, whole)


def test_two_thirds_is_never_reached_without_a_yes_vote():
    assert not t.two_thirds_of_members_present(0, 0)
    assert not t.two_thirds_of_entire_membership(0, 0)


def test_illegal_ballots_count_against_two_thirds():
    # 8 of 12 is two thirds; 8 of 13 (one illegal ballot) is not (45:31).
    assert t.is_adopted("two_thirds", 8, 4, present=13, members=20)
    assert not t.is_adopted("two_thirds", 8, 4, illegal=1, present=13, members=20)


def test_illegal_ballots_count_when_an_objection_to_consideration_is_voted():
    assert t.objection_sustained(4, 8)
    assert not t.objection_sustained(4, 8, illegal=1)


def test_illegal_ballots_count_when_setting_the_orders_of_the_day_aside():
    assert t.orders_of_the_day_set_aside(4, 8)
    assert not t.orders_of_the_day_set_aside(4, 8, illegal=1)


def test_orders_of_the_day_are_set_aside_when_the_only_vote_is_against():
    assert t.orders_of_the_day_set_aside(0, 1)
    assert not t.is_adopted("orders_of_the_day", 0, 1, present=11, members=20)


@pytest.mark.parametrize(
    ("yes", "no", "illegal", "notice", "members", "adopted"),
    [
        (8, 9, 0, True, 20, False),  # with notice: still a majority of cast
        (9, 8, 1, True, 20, False),  # 9 of 18 cast is not a majority
        (12, 6, 0, False, 30, True),  # exactly two thirds, without notice
        (8, 4, 1, False, 30, False),  # 8 of 13 cast is not two thirds
        (16, 0, 0, False, 30, True),  # a majority of the entire membership
    ],
)
def test_rescind_is_adopted_only_on_one_of_its_three_bases(
    yes, no, illegal, notice, members, adopted
):
    # §35: two thirds, or a majority with previous notice, or a majority of
    # the entire membership.
    assert t.rescind_adopted(yes, no, members, notice, illegal) is adopted
    if not illegal:
        assert t.rescind_adopted(yes, no, members, notice) is adopted


@pytest.mark.parametrize(
    ("yes", "no", "reversed_"),
    [(5, 6, True), (6, 5, False), (5, 5, False), (0, 0, False), (0, 1, True)],
)
def test_appeal_reverses_the_chair_only_when_more_vote_no(yes, no, reversed_):
    assert t.appeal_reversed(yes, no) is reversed_
    assert t.is_adopted("appeal", yes, no, present=11, members=20) is not reversed_


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
    assert (
        t.is_adopted("orders_of_the_day", yes, no, present=11, members=20)
        is not set_aside
    )


@pytest.mark.parametrize(
    ("members", "quorum"), [(20, 11), (19, 10), (22, 12), (23, 12), (21, 11)]
)
def test_default_quorum_is_a_majority_when_membership_is(members, quorum):
    assert t.default_quorum(members) == quorum


def test_quorum_is_not_met_when_eleven_of_twenty_three_are_present():
    assert not t.has_quorum(11, t.default_quorum(23))
    assert t.has_quorum(12, t.default_quorum(23))


# The chair is the 21st voting member: `present` counts the chair.
@pytest.mark.parametrize(
    ("basis", "choice", "yes", "no", "allowed"),
    [
        ("majority", "yes", 10, 10, True),  # breaks a tie in favour
        ("majority", "no", 10, 10, False),  # a tie is already lost
        ("majority", "no", 11, 10, True),  # creates a tie
        ("majority", "yes", 11, 10, False),
        ("majority", "yes", 9, 10, False),  # 10–10 still loses
        ("majority", "no", 12, 10, False),  # 12–11 still carries
        ("two_thirds", "yes", 13, 7, True),  # reaches two thirds
        ("two_thirds", "no", 14, 7, True),  # blocks two thirds
        ("two_thirds", "yes", 14, 7, False),
        ("appeal", "yes", 5, 6, True),  # creates a tie, which sustains
        ("majority", "abstain", 10, 10, False),
        ("majority_of_present", "yes", 10, 5, True),  # 11 of 21 present
        ("majority_of_present", "no", 11, 0, False),  # abstaining is no already
        ("majority_of_present", "yes", 11, 0, False),
        ("majority_of_membership", "yes", 10, 0, True),  # 11 of 21 members
        ("majority_of_membership", "yes", 9, 0, False),
        ("rescind", "yes", 9, 9, False),  # without notice 10–9 still fails
        ("rescind", "yes", 3, 10, False),
        ("rescind", "yes", 9, 5, True),  # 10–5 reaches two thirds
    ],
)
def test_chair_may_vote_only_when_the_vote_changes_the_result(
    basis, choice, yes, no, allowed
):
    result = t.chair_may_vote(basis, choice, yes, no, present=21, members=21)

    assert result is allowed


def test_chair_breaks_a_tie_on_rescind_only_with_previous_notice():
    # With notice a majority rescinds (§35): 10–9 carries, 9–9 does not.
    assert t.chair_may_vote(
        "rescind", "yes", 9, 9, present=21, members=21, previous_notice=True
    )
    assert not t.chair_may_vote("rescind", "yes", 9, 9, present=21, members=21)


def test_unknown_basis_raises_a_key_error_when_asked():
    with pytest.raises(KeyError, match="nonsense"):
        t.is_adopted("nonsense", 1, 0, present=11, members=20)


counts = st.integers(min_value=0, max_value=60)


@given(yes=counts, no=counts, illegal=st.integers(0, 5))
def test_more_yes_never_turns_adoption_into_loss_when_others_are_fixed(
    yes, no, illegal
):
    for basis in ("majority", "two_thirds", "rescind"):
        if t.is_adopted(basis, yes, no, illegal=illegal, present=23, members=23):
            assert t.is_adopted(
                basis, yes + 1, no, illegal=illegal, present=23, members=23
            )


@given(yes=counts, no=counts)
def test_more_no_never_turns_loss_into_adoption_when_others_are_fixed(yes, no):
    for basis in ("majority", "two_thirds", "rescind"):
        if not t.is_adopted(basis, yes, no, present=23, members=23):
            assert not t.is_adopted(basis, yes, no + 1, present=23, members=23)


@given(cast=st.integers(min_value=1, max_value=500))
def test_two_thirds_minimum_matches_exact_arithmetic_when_any_number_votes(cast):
    needed = t.minimum_yes_for_two_thirds(cast)
    assert 3 * needed >= 2 * cast
    assert needed == 1 or 3 * (needed - 1) < 2 * cast
