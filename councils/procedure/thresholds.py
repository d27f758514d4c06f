"""Vote thresholds of ROBERTS_RULES.md §4 as exact integer formulas.

Notation follows §4: `yes`, `no`, `illegal` (ballots only, counted in the
base), `present` (voting members present when the question was put) and
`members` (current voting membership). Abstentions and blank ballots never
enter a formula: they are not votes cast (§4.3). No function uses floats,
so 2/3 is never rounded the wrong way.
"""

from collections.abc import Callable

MAJORITY = "majority"
TWO_THIRDS = "two_thirds"
MAJORITY_OF_PRESENT = "majority_of_present"
TWO_THIRDS_OF_PRESENT = "two_thirds_of_present"
MAJORITY_OF_MEMBERSHIP = "majority_of_membership"
TWO_THIRDS_OF_MEMBERSHIP = "two_thirds_of_membership"
APPEAL = "appeal"
OBJECTION = "objection"
ORDERS_OF_THE_DAY = "orders_of_the_day"
RESCIND = "rescind"
UNANIMOUS = "unanimous"
# Decided without a vote: the chair rules (P4, I1, I8) or one member's
# demand suffices (I6).
CHAIR_RULES = "chair_rules"
DEMAND = "demand"

VOTED_BASES = (
    MAJORITY,
    TWO_THIRDS,
    MAJORITY_OF_PRESENT,
    TWO_THIRDS_OF_PRESENT,
    MAJORITY_OF_MEMBERSHIP,
    TWO_THIRDS_OF_MEMBERSHIP,
    APPEAL,
    OBJECTION,
    ORDERS_OF_THE_DAY,
    RESCIND,
)
# Bases that need at least two thirds, so a voice vote cannot decide them
# (rule V1).
TWO_THIRDS_BASES = frozenset(
    {
        TWO_THIRDS,
        TWO_THIRDS_OF_PRESENT,
        TWO_THIRDS_OF_MEMBERSHIP,
        OBJECTION,
        ORDERS_OF_THE_DAY,
    }
)


def votes_cast(yes: int, no: int, illegal: int = 0) -> int:
    """Return the base of a vote: yes + no + illegal ballots (§4)."""
    return yes + no + illegal


def majority_of_votes_cast(yes: int, no: int, illegal: int = 0) -> bool:
    """More than half of the votes cast; a tie or 0–0 is lost (RONR 44:1)."""
    cast = votes_cast(yes, no, illegal)
    return cast > 0 and 2 * yes > cast


def two_thirds_of_votes_cast(yes: int, no: int, illegal: int = 0) -> bool:
    """At least two thirds of the votes cast, and at least one yes (RONR 44:3)."""
    return yes > 0 and 3 * yes >= 2 * votes_cast(yes, no, illegal)


def majority_of_members_present(yes: int, present: int) -> bool:
    """More than half of those present: abstaining weighs as no (44:9(a))."""
    return 2 * yes > present


def two_thirds_of_members_present(yes: int, present: int) -> bool:
    """At least two thirds of the voting members present."""
    return yes > 0 and 3 * yes >= 2 * present


def majority_of_entire_membership(yes: int, members: int) -> bool:
    """More than half of the current voting membership (44:9(b))."""
    return 2 * yes > members


def two_thirds_of_entire_membership(yes: int, members: int) -> bool:
    """At least two thirds of the current voting membership."""
    return yes > 0 and 3 * yes >= 2 * members


def appeal_reversed(yes: int, no: int) -> bool:
    """A majority in the negative reverses the chair; ties sustain it (§24).

    `yes` votes sustain the ruling, `no` votes reverse it.
    """
    return no > yes


def objection_sustained(yes: int, no: int, illegal: int = 0) -> bool:
    """Two thirds against considering the question sustain an objection (§26).

    The vote is on "Shall the question be considered?": `no` is against.
    """
    return no > 0 and 3 * no >= 2 * votes_cast(yes, no, illegal)


def orders_of_the_day_set_aside(yes: int, no: int, illegal: int = 0) -> bool:
    """Two thirds against proceeding set the orders of the day aside (§18).

    The vote is on "Will the council proceed to the orders of the day?".
    """
    return no > 0 and 3 * no >= 2 * votes_cast(yes, no, illegal)


def rescind_adopted(
    yes: int, no: int, members: int, previous_notice: bool, illegal: int = 0
) -> bool:
    """Rescind, amend something adopted, discharge: any of three bases (§35)."""
    return (
        two_thirds_of_votes_cast(yes, no, illegal)
        or (previous_notice and majority_of_votes_cast(yes, no, illegal))
        or majority_of_entire_membership(yes, members)
    )


def default_quorum(members: int) -> int:
    """A majority of the current voting membership (RONR 40:2)."""
    return members // 2 + 1


def has_quorum(present: int, quorum: int) -> bool:
    """Quorum counts presence, not votes: abstainers and recused count."""
    return present >= quorum


def minimum_yes_for_majority(cast: int) -> int:
    """The fewest yes votes that carry a majority of `cast` votes (§4.1)."""
    return cast // 2 + 1


def minimum_yes_for_two_thirds(cast: int) -> int:
    """The fewest yes votes that carry two thirds of `cast` votes (§4.1)."""
    return max(1, -(-2 * cast // 3))


def is_adopted(
    basis: str,
    yes: int,
    no: int,
    *,
    illegal: int = 0,
    present: int,
    members: int,
    previous_notice: bool = False,
) -> bool:
    """Return whether the motion prevails under `basis`.

    "Prevails" means adopted; for an appeal it means the chair is sustained,
    for an objection to consideration that the objection is sustained, and
    for the orders of the day that the council proceeds to them. `present`
    and `members` are always given: a basis that counts them must never
    silently count zero.
    """
    return _RESULTS[basis](yes, no, illegal, present, members, previous_notice)


def chair_may_vote(
    basis: str,
    choice: str,
    yes: int,
    no: int,
    *,
    present: int,
    members: int,
    previous_notice: bool = False,
) -> bool:
    """Whether the chair's `choice` would change the result (§4.4).

    `yes` and `no` are the others' votes, in an open vote: in a ballot, the
    only vote with illegal votes, the chair votes with everyone else. An
    abstention never changes the result.
    """
    rule = _RESULTS[basis]

    def result(yes: int, no: int) -> bool:
        return rule(yes, no, 0, present, members, previous_notice)

    now = result(yes, no)
    if choice == "yes":
        return result(yes + 1, no) != now
    if choice == "no":
        return result(yes, no + 1) != now
    return False


_RESULTS: dict[str, Callable[[int, int, int, int, int, bool], bool]] = {
    MAJORITY: lambda y, n, i, p, m, notice: majority_of_votes_cast(y, n, i),
    TWO_THIRDS: lambda y, n, i, p, m, notice: two_thirds_of_votes_cast(y, n, i),
    MAJORITY_OF_PRESENT: lambda y, n, i, p, m, notice: majority_of_members_present(
        y, p
    ),
    TWO_THIRDS_OF_PRESENT: (
        lambda y, n, i, p, m, notice: two_thirds_of_members_present(y, p)
    ),
    MAJORITY_OF_MEMBERSHIP: (
        lambda y, n, i, p, m, notice: majority_of_entire_membership(y, m)
    ),
    TWO_THIRDS_OF_MEMBERSHIP: (
        lambda y, n, i, p, m, notice: two_thirds_of_entire_membership(y, m)
    ),
    APPEAL: lambda y, n, i, p, m, notice: not appeal_reversed(y, n),
    OBJECTION: lambda y, n, i, p, m, notice: objection_sustained(y, n, i),
    ORDERS_OF_THE_DAY: (
        lambda y, n, i, p, m, notice: not orders_of_the_day_set_aside(y, n, i)
    ),
    RESCIND: lambda y, n, i, p, m, notice: rescind_adopted(y, n, m, notice, i),
    # Unanimous consent is decided by the absence of objection, not a count:
    # a formal vote on it (after an objection) uses the motion's own basis.
    UNANIMOUS: lambda y, n, i, p, m, notice: n == 0,
}
