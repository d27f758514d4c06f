"""The motion table of ROBERTS_RULES.md §2, kept as data.

Each `MotionType` is one row: class, rank, whether it may interrupt a member
who has the floor, second, debate, amendment, vote basis, and which results
may be reconsidered (§3.5). The engine reads these fields instead of testing
motion names wherever a rule is a plain property of the row.
"""

from dataclasses import dataclass

from . import thresholds as t

PRIVILEGED = "P"
SUBSIDIARY = "S"
MAIN = "M"
INCIDENTAL = "I"
BRING_BACK = "B"

# Debatability that depends on another motion: an amendment or a motion to
# reconsider is debatable iff the motion it applies to is (§2.1 S6, §2.3 B4);
# an appeal is debatable unless the question it interrupts is not (§2.2 I2).
DEBATABLE_IF_TARGET = "if_target"
DEBATABLE_IF_PENDING = "if_pending"


@dataclass(frozen=True, slots=True)
class MotionType:
    """One row of the §2 motion table."""

    name: str
    ref: str
    title: str
    cls: str
    rank: int | None
    interrupts: bool
    needs_second: bool
    debatable: bool | str
    amendable: bool
    basis: str
    reconsider_if_adopted: bool
    reconsider_if_lost: bool
    # In order while the meeting has no quorum (§3.2 CONVENED_NO_QUORUM).
    without_quorum: bool = False
    # Inside the council's recusal scope (§0, §4.6 C1) when its subject is
    # a proposal: procedural points and inquiries are not.
    recusal_scope: bool = True
    applies_to: str = ""

    def __reduce__(self):
        # Pickled by name (the engine's state is cached): one row per motion.
        return (_motion_type, (self.name,))

    @property
    def is_ranked(self) -> bool:
        """Privileged, subsidiary and main motions have a rank (RONR 5:8)."""
        return self.rank is not None

    @property
    def takes_a_vote(self) -> bool:
        """False for motions the chair rules on or a single demand decides."""
        return self.basis not in (t.CHAIR_RULES, t.DEMAND)


def _row(*args, **kwargs) -> MotionType:
    return MotionType(*args, **kwargs)


# One row per line group reads like the table in §2; ruff format would put
# every argument on its own line.
# fmt: off
_ROWS = (
    # name, ref, title, class, rank, interrupts, second, debatable,
    # amendable, basis, reconsider adopted, reconsider lost
    _row(
        "fix_time_to_adjourn", "P1", "Fix the time to which to adjourn",
        PRIVILEGED, 1, False, True, False, True, t.MAJORITY, True, True,
        without_quorum=True, recusal_scope=False,
        applies_to="sets an adjourned meeting (same session)",
    ),
    _row(
        "adjourn", "P2", "Adjourn", PRIVILEGED, 2, False, True, False, False,
        t.MAJORITY, False, False, without_quorum=True, recusal_scope=False,
        applies_to="pending business becomes unfinished business",
    ),
    _row(
        "recess", "P3", "Recess", PRIVILEGED, 3, False, True, False, True,
        t.MAJORITY, False, False, without_quorum=True, recusal_scope=False,
        applies_to="the stack is preserved",
    ),
    _row(
        "question_of_privilege", "P4", "Raise a question of privilege",
        PRIVILEGED, 4, True, False, False, False, t.CHAIR_RULES, False, False,
        recusal_scope=False, applies_to="rights, comfort or safety",
    ),
    _row(
        "orders_of_the_day", "P5", "Call for the orders of the day",
        PRIVILEGED, 5, True, False, False, False, t.ORDERS_OF_THE_DAY,
        False, False, recusal_scope=False,
        applies_to="takes up the general order that is due",
    ),
    _row(
        "lay_on_table", "S1", "Lay on the table", SUBSIDIARY, 6, False, True,
        False, False, t.MAJORITY, False, True,
        applies_to="the main motion with its adhering motions",
    ),
    _row(
        "previous_question", "S2", "Previous question", SUBSIDIARY, 7, False,
        True, False, False, t.TWO_THIRDS, True, True,
        applies_to="the immediately pending question, or a series down to it",
    ),
    _row(
        "limit_debate", "S3", "Limit or extend limits of debate", SUBSIDIARY,
        8, False, True, False, True, t.TWO_THIRDS, True, True,
        applies_to="the immediately pending debatable question",
    ),
    _row(
        "postpone_definitely", "S4", "Postpone to a certain time", SUBSIDIARY,
        9, False, True, True, True, t.MAJORITY, True, True,
        applies_to="the main motion with its adhering motions",
    ),
    _row(
        "refer", "S5", "Commit or refer", SUBSIDIARY, 10, False, True, True,
        True, t.MAJORITY, True, True,
        applies_to="the main motion with its adhering amendments",
    ),
    _row(
        "amend", "S6", "Amend", SUBSIDIARY, 11, False, True,
        DEBATABLE_IF_TARGET, True, t.MAJORITY, True, True,
        applies_to="any amendable motion; primary or secondary only",
    ),
    _row(
        "postpone_indefinitely", "S7", "Postpone indefinitely", SUBSIDIARY,
        12, False, True, True, False, t.MAJORITY, True, False,
        applies_to="a main motion that is immediately pending",
    ),
    _row(
        "main", "M1", "Main motion", MAIN, 13, False, True, True, True,
        t.MAJORITY, True, True, applies_to="only when nothing is pending",
    ),
    _row(
        "point_of_order", "I1", "Point of order", INCIDENTAL, None, True,
        False, False, False, t.CHAIR_RULES, False, False,
        without_quorum=True, recusal_scope=False,
        applies_to="a breach of the rules, at the time of the breach",
    ),
    _row(
        "appeal", "I2", "Appeal from the decision of the chair", INCIDENTAL,
        None, True, True, DEBATABLE_IF_PENDING, False, t.APPEAL, True, True,
        recusal_scope=False, applies_to="a ruling, immediately after it",
    ),
    _row(
        "suspend_rules", "I3", "Suspend the rules", INCIDENTAL, None, False,
        True, False, False, t.TWO_THIRDS, False, False,
        applies_to="rules of order (never the conflict-of-interest rule)",
    ),
    _row(
        "objection_to_consideration", "I4",
        "Objection to the consideration of a question", INCIDENTAL, None,
        True, False, False, False, t.OBJECTION, True, False,
        applies_to="an original main motion before debate",
    ),
    _row(
        "division_of_question", "I5", "Division of a question", INCIDENTAL,
        None, False, True, False, True, t.MAJORITY, False, False,
        applies_to="a main motion or amendment made of separable parts",
    ),
    _row(
        "division_of_assembly", "I6", "Division of the assembly", INCIDENTAL,
        None, True, False, False, False, t.DEMAND, False, False,
        applies_to="the vote just announced, before other business",
    ),
    _row(
        "voting_method", "I7", "Motion on the method of voting", INCIDENTAL,
        None, False, True, False, True, t.MAJORITY, True, True,
        recusal_scope=False, applies_to="the pending question",
    ),
    _row(
        "inquiry", "I8", "Parliamentary inquiry or request for information",
        INCIDENTAL, None, True, False, False, False, t.CHAIR_RULES, False,
        False, without_quorum=True, recusal_scope=False,
        applies_to="the chair answers; not a ruling",
    ),
    _row(
        "request_to_withdraw", "I9", "Request to withdraw or modify a motion",
        INCIDENTAL, None, True, False, False, False, t.MAJORITY, False, True,
        applies_to="the maker's own motion, before voting on it begins",
    ),
    _row(
        "take_from_table", "B1", "Take from the table", BRING_BACK, None,
        False, True, False, False, t.MAJORITY, False, False,
        applies_to="a tabled main motion, after intervening business",
    ),
    _row(
        "rescind", "B2", "Rescind", BRING_BACK, None, False, True, True, True,
        t.RESCIND, False, True,
        applies_to="an adopted main motion not yet carried out (a decision)",
    ),
    _row(
        "amend_previously_adopted", "B2", "Amend something previously adopted",
        BRING_BACK, None, False, True, True, True, t.RESCIND, False, True,
        applies_to="an adopted main motion not yet carried out (a decision)",
    ),
    _row(
        "discharge_committee", "B3", "Discharge a committee", BRING_BACK,
        None, False, True, True, True, t.RESCIND, False, True,
        applies_to="a referred motion before the committee reports",
    ),
    _row(
        "reconsider", "B4", "Reconsider", BRING_BACK, None, False, True,
        DEBATABLE_IF_TARGET, False, t.MAJORITY, False, False,
        applies_to="a decision of this session, by the prevailing side",
    ),
)
# fmt: on

MOTIONS: dict[str, MotionType] = {row.name: row for row in _ROWS}


def _motion_type(name: str) -> MotionType:
    return MOTIONS[name]


# Motions that need no second even in assembly mode (§1b, §3.1 M3).
NO_SECOND_NEEDED = frozenset(
    name for name, row in MOTIONS.items() if not row.needs_second
)
WITHOUT_QUORUM = frozenset(name for name, row in MOTIONS.items() if row.without_quorum)
# While a vote is being taken only these may be raised (§3.3 step 3).
DURING_VOTING = frozenset({"point_of_order", "inquiry"})
# Subsidiary motions that an ordered previous question blocks (§2.1 S2).
BLOCKED_BY_PREVIOUS_QUESTION = frozenset(
    {
        "previous_question",
        "limit_debate",
        "postpone_definitely",
        "refer",
        "amend",
        "postpone_indefinitely",
    }
)
# Motions that act on the main motion together with its adhering motions.
CARRY_ADHERING = frozenset({"lay_on_table", "postpone_definitely", "refer"})
# Rules the council may never suspend (§2.2 I3 and COUNCIL RULE §4.6 C5).
NOT_SUSPENDABLE_RULES = frozenset(
    {
        "recusal",
        "conflict_of_interest",
        "quorum",
        "bylaws",
        "law",
        "absentees",
        "one_member_one_vote",
    }
)
