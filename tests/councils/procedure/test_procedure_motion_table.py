"""Every row of the §2 motion table: as data, and as the engine applies it."""

import pytest

from councils.procedure import MOTIONS
from councils.procedure.errors import (
    METHOD_NOT_ALLOWED,
    NEEDS_SECOND,
    NOT_DEBATABLE,
    NOT_RECONSIDERABLE,
    OUT_OF_ORDER_RANK,
)
from tests.councils.procedure.meetings import Log

# ref, name, rank, interrupts, second, debatable, amendable, basis,
# reconsider if adopted, reconsider if lost; copied from §2.1–§2.3.
TABLE = [
    ("P1", "fix_time_to_adjourn", 1, False, True, False, True, "majority", 1, 1),
    ("P2", "adjourn", 2, False, True, False, False, "majority", 0, 0),
    ("P3", "recess", 3, False, True, False, True, "majority", 0, 0),
    ("P4", "question_of_privilege", 4, True, False, False, False, "chair_rules", 0, 0),
    ("P5", "orders_of_the_day", 5, True, False, False, False, "orders_of_the_day", 0, 0),  # noqa: E501
    ("S1", "lay_on_table", 6, False, True, False, False, "majority", 0, 1),
    ("S2", "previous_question", 7, False, True, False, False, "two_thirds", 1, 1),
    ("S3", "limit_debate", 8, False, True, False, True, "two_thirds", 1, 1),
    ("S4", "postpone_definitely", 9, False, True, True, True, "majority", 1, 1),
    ("S5", "refer", 10, False, True, True, True, "majority", 1, 1),
    ("S6", "amend", 11, False, True, "if_target", True, "majority", 1, 1),
    ("S7", "postpone_indefinitely", 12, False, True, True, False, "majority", 1, 0),
    ("M1", "main", 13, False, True, True, True, "majority", 1, 1),
    ("I1", "point_of_order", None, True, False, False, False, "chair_rules", 0, 0),
    ("I2", "appeal", None, True, True, "if_pending", False, "appeal", 1, 1),
    ("I3", "suspend_rules", None, False, True, False, False, "two_thirds", 0, 0),
    ("I4", "objection_to_consideration", None, True, False, False, False, "objection", 1, 0),  # noqa: E501
    ("I5", "division_of_question", None, False, True, False, True, "majority", 0, 0),
    ("I6", "division_of_assembly", None, True, False, False, False, "demand", 0, 0),
    ("I7", "voting_method", None, False, True, False, True, "majority", 1, 1),
    ("I8", "inquiry", None, True, False, False, False, "chair_rules", 0, 0),
    ("I9", "request_to_withdraw", None, True, False, False, False, "majority", 0, 1),
    ("B1", "take_from_table", None, False, True, False, False, "majority", 0, 0),
    ("B2", "rescind", None, False, True, True, True, "rescind", 0, 1),
    ("B2", "amend_previously_adopted", None, False, True, True, True, "rescind", 0, 1),
    ("B3", "discharge_committee", None, False, True, True, True, "rescind", 0, 1),
    ("B4", "reconsider", None, False, True, "if_target", False, "majority", 0, 0),
]  # fmt: skip


def test_table_has_every_motion_named_in_the_contract_when_loaded():
    assert sorted(MOTIONS) == sorted(row[1] for row in TABLE)


@pytest.mark.parametrize("row", TABLE, ids=[row[1] for row in TABLE])
def test_row_matches_the_rules_page_when_read_as_data(row):
    ref, name, rank, interrupts, second, debatable, amendable, basis, adopted, lost = (
        row
    )
    motion = MOTIONS[name]

    assert (motion.ref, motion.rank, motion.interrupts) == (ref, rank, interrupts)
    assert (motion.needs_second, motion.debatable) == (second, debatable)
    assert (motion.amendable, motion.basis) == (amendable, basis)
    assert motion.reconsider_if_adopted is bool(adopted)
    assert motion.reconsider_if_lost is bool(lost)


RANKED_OVER_MAIN = [
    "fix_time_to_adjourn",
    "adjourn",
    "recess",
    "lay_on_table",
    "previous_question",
    "limit_debate",
    "postpone_definitely",
    "refer",
    "amend",
    "postpone_indefinitely",
]


def meeting_with(name: str) -> tuple[Log, int]:
    """A main motion pending, then `name` made, seconded and stated."""
    log = Log().open()
    log.main()
    motion = log.motion("c4", name, "c5")
    return log, motion


@pytest.mark.parametrize("name", RANKED_OVER_MAIN)
def test_ranked_motion_is_stated_on_top_when_the_main_motion_is_pending(name):
    log, motion = meeting_with(name)
    outcome = log.outcome()

    assert all(result["ok"] for result in outcome["results"])
    assert outcome["pending"][-1] == {
        "id": motion,
        "motion": name,
        "text": "",
        "state": "PENDING",
    }


@pytest.mark.parametrize("name", RANKED_OVER_MAIN)
def test_statement_is_refused_as_needing_a_second_when_none_came(name):
    log = Log().open()
    log.main()
    log.move("c4", name)

    assert log.then("state") == {"ok": False, "error": NEEDS_SECOND}


@pytest.mark.parametrize("name", RANKED_OVER_MAIN)
def test_speech_is_accepted_only_when_the_motion_is_debatable(name):
    log, _ = meeting_with(name)

    result = log.then("speak", member="c9")

    debatable = name in (
        "postpone_definitely",
        "refer",
        "amend",
        "postpone_indefinitely",
    )
    assert result == (
        {"ok": True} if debatable else {"ok": False, "error": NOT_DEBATABLE}
    )


@pytest.mark.parametrize("name", RANKED_OVER_MAIN)
def test_amendment_is_accepted_only_when_the_motion_is_amendable(name):
    log, motion = meeting_with(name)

    result = log.then_move("c9", "amend", applies_to=motion, text="changed")

    assert result["ok"] is MOTIONS[name].amendable


@pytest.mark.parametrize("name", RANKED_OVER_MAIN)
def test_voice_vote_is_refused_only_when_two_thirds_is_required(name):
    log, _ = meeting_with(name)

    result = log.then("put_question", method="voice")

    two_thirds = name in ("previous_question", "limit_debate")
    assert result == (
        {"ok": False, "error": METHOD_NOT_ALLOWED} if two_thirds else {"ok": True}
    )


LOWER_THAN_ADJOURN = [
    "recess",
    "lay_on_table",
    "previous_question",
    "limit_debate",
    "postpone_definitely",
    "refer",
    "amend",
    "postpone_indefinitely",
]


@pytest.mark.parametrize("name", LOWER_THAN_ADJOURN)
def test_lower_ranked_motion_is_refused_by_rank_when_adjourn_is_pending(name):
    log, _ = meeting_with("adjourn")

    assert log.then_move("c9", name) == {"ok": False, "error": OUT_OF_ORDER_RANK}


@pytest.mark.parametrize("name", ["previous_question", "limit_debate"])
def test_closing_debate_is_refused_by_rank_when_lay_on_the_table_is_pending(name):
    # §3.3 step 5: lay on the table ranks above them and is neither debatable
    # nor amendable, so no application exception holds: the rank decides.
    log, _ = meeting_with("lay_on_table")

    assert log.then_move("c9", name) == {"ok": False, "error": OUT_OF_ORDER_RANK}


def test_previous_question_applies_to_a_lower_ranked_debatable_amendment():
    log, amendment = meeting_with("amend")

    log.motion("c9", "previous_question", "c5")
    outcome = log.outcome()

    assert all(result["ok"] for result in outcome["results"])
    assert [p["motion"] for p in outcome["pending"]][-2:] == [
        "amend",
        "previous_question",
    ]
    assert outcome["pending"][-2]["id"] == amendment


def test_previous_question_is_refused_as_not_debatable_when_it_outranks_the_question():
    # Take from the table (no rank of its own, decided like new business)
    # is neither debatable nor amendable: nothing for debate to close.
    log = Log().open()
    main = log.main()
    log.motion("c4", "lay_on_table", "c5")
    log.vote(yes=["c1", "c2", "c3"], no=["c4"])
    log.add("unanimous_consent", text="receive the treasurer's report")
    log.add("announce")
    log.motion("c2", "take_from_table", "c3", applies_to=main)

    result = log.then_move("c9", "previous_question")

    assert result == {"ok": False, "error": NOT_DEBATABLE}


def test_fix_time_to_adjourn_is_in_order_when_adjourn_is_pending():
    log, _ = meeting_with("adjourn")

    assert log.then_move("c9", "fix_time_to_adjourn") == {"ok": True}


@pytest.mark.parametrize(
    "name",
    ["lay_on_table", "previous_question", "refer", "amend", "postpone_indefinitely"],
)
def test_subsidiary_motion_is_refused_when_nothing_is_pending(name):
    log = Log().open()

    assert log.then_move("c4", name) == {"ok": False, "error": OUT_OF_ORDER_RANK}


@pytest.mark.parametrize("name", ["adjourn", "recess", "fix_time_to_adjourn"])
def test_privileged_motion_is_a_main_motion_when_nothing_is_pending(name):
    log = Log().open()
    log.motion("c4", name, "c5")

    assert log.outcome()["pending"][-1]["motion"] == name


def test_second_motion_of_the_same_rank_is_refused_when_one_is_pending():
    log, _ = meeting_with("refer")

    assert log.then_move("c9", "refer") == {"ok": False, "error": OUT_OF_ORDER_RANK}


def test_postpone_indefinitely_is_not_reconsiderable_when_it_was_lost():
    log, _ = meeting_with("postpone_indefinitely")
    log.vote(yes=["c1"], no=["c2", "c3", "c4"])

    result = log.then_move("c2", "reconsider", applies_to=0)

    assert result == {"ok": False, "error": NOT_RECONSIDERABLE}


def test_lay_on_table_is_not_reconsiderable_when_it_was_adopted():
    log, _ = meeting_with("lay_on_table")
    log.vote(yes=["c1", "c2", "c3"], no=["c4"])

    result = log.then_move("c1", "reconsider", applies_to=0)

    assert result == {"ok": False, "error": NOT_RECONSIDERABLE}


def test_no_second_is_needed_when_an_incidental_point_is_raised():
    log = Log().open()
    log.main()
    log.move("c4", "point_of_order")

    assert log.then("state") == {"ok": True}
