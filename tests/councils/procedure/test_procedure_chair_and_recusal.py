"""The chair's vote (§4.4) and recusal for conflict of interest (§4.6)."""

from councils.procedure.errors import (
    ALREADY_VOTED,
    CHAIR_MUST_VACATE,
    CHAIR_NOT_MEMBER,
    CHAIR_VOTE_NOT_DECISIVE,
    NOT_SUSPENDABLE,
    RECUSED,
)
from tests.councils.procedure.meetings import COUNCILLORS, Log

PRESENT = [c for c in COUNCILLORS if c != "c7"][:10]


def voting_on_main(log: Log, method="counted") -> Log:
    log.main()
    log.add("put_question", method=method)
    return log


def test_chair_breaks_a_tie_in_favour_when_votes_are_level():
    log = voting_on_main(Log().open(PRESENT))
    log.cast(yes=PRESENT[:5], no=PRESENT[5:])

    assert log.then("vote", member="X1", choice="yes") == {"ok": True}


def test_chair_vote_is_refused_when_it_would_not_change_the_result():
    log = voting_on_main(Log().open(PRESENT))
    log.cast(yes=PRESENT[:6], no=PRESENT[6:])

    result = log.then("vote", member="X1", choice="yes")

    assert result == {"ok": False, "error": CHAIR_VOTE_NOT_DECISIVE}


def test_chair_creates_a_tie_that_defeats_the_motion_when_one_ahead():
    log = voting_on_main(Log().open(PRESENT))
    log.cast(yes=PRESENT[:5], no=PRESENT[5:9], abstain=PRESENT[9:])
    log.cast(no=["X1"])
    log.add("announce")

    decision = log.outcome()["decisions"][-1]

    assert (decision["yes"], decision["no"], decision["result"]) == (5, 5, "lost")


def test_chair_votes_with_everyone_when_small_board_rules_are_on():
    log = voting_on_main(Log(small_board_rules="on").open(PRESENT))
    log.cast(yes=PRESENT[:8])

    assert log.then("vote", member="X1", choice="yes") == {"ok": True}


def test_chair_votes_once_with_everyone_when_voting_by_ballot():
    log = Log(ordered_method="ballot").open(PRESENT)
    voting_on_main(log, method="ballot")
    log.cast(yes=["X1"])

    assert log.then("vote", member="X1", choice="no") == {
        "ok": False,
        "error": ALREADY_VOTED,
    }


def test_ballot_record_hides_choices_when_announced():
    log = Log(ordered_method="ballot").open(PRESENT)
    voting_on_main(log, method="ballot")
    log.cast(yes=PRESENT[:6], no=PRESENT[6:9])
    log.add("vote", member=PRESENT[9], choice="illegal")
    log.add("announce")

    decision = log.outcome()["decisions"][-1]

    assert set(decision["voters"].values()) == {"ballot"}
    assert (decision["yes"], decision["no"], decision["illegal"]) == (6, 3, 1)


def test_non_member_chair_is_refused_a_vote_when_presiding():
    log = Log(
        members=[*COUNCILLORS, "X1"],
    )
    log.setup["members"][-1]["voting"] = False
    log.open(PRESENT + ["c12"])
    voting_on_main(log)
    log.cast(yes=PRESENT[:5], no=PRESENT[5:])

    assert log.then("vote", member="X1", choice="yes") == {
        "ok": False,
        "error": CHAIR_NOT_MEMBER,
    }


def test_recused_member_is_refused_a_move_when_the_motion_is_about_p():  # C3
    log = Log().open()

    result = log.then_move("c7", "main", proposal="P", text="fund P")

    assert result == {"ok": False, "error": RECUSED}


def test_recused_member_is_refused_a_second_when_the_motion_is_about_p():  # C3
    log = Log().open()
    log.move("c2", "main", proposal="P", text="fund P")

    assert log.then("second", member="c7") == {"ok": False, "error": RECUSED}


def test_recused_member_may_speak_when_presenting_the_proposal():  # C3
    log = Log().open()
    log.main()

    assert log.then("speak", member="c7") == {"ok": True}


def test_recusal_covers_an_amendment_when_the_main_motion_is_about_p():  # C1
    log = Log().open()
    log.main()

    assert log.then_move("c7", "amend", amount="1000") == {
        "ok": False,
        "error": RECUSED,
    }


def test_recused_member_counts_for_quorum_but_is_not_eligible_when_present():  # C2
    present = ["c7"] + PRESENT
    log = Log().open(present)
    voting_on_main(log)
    log.cast(yes=PRESENT[:6], no=PRESENT[6:])
    log.add("announce")

    outcome = log.outcome()

    assert outcome["meeting"]["state"] == "IN_SESSION"
    assert "c7" not in outcome["decisions"][-1]["voters"]
    assert "c7" in outcome["meeting"]["present"]


def test_recused_chair_must_vacate_when_a_motion_about_p_is_made():  # C4
    log = Log(recusals={"P": ["X1"]}).open()

    refused = log.then_move("c2", "main", proposal="P", text="fund P")
    log.add("yield", member="c2")
    log.add("chair", member="c1")
    accepted = log.then_move("c2", "main", proposal="P", text="fund P")

    assert refused == {"ok": False, "error": CHAIR_MUST_VACATE}
    assert accepted == {"ok": True}


def test_recused_member_cannot_take_the_chair_when_p_is_pending():  # C4
    log = Log().open()
    log.main()

    assert log.then("chair", member="c7") == {
        "ok": False,
        "error": CHAIR_MUST_VACATE,
    }


def test_recused_member_cannot_move_to_reconsider_when_p_was_decided():  # C5
    log = Log().open(["c7"] + PRESENT)
    voting_on_main(log)
    log.cast(yes=PRESENT[:6], no=PRESENT[6:])
    log.add("announce")

    assert log.then_move("c7", "reconsider", applies_to=0) == {
        "ok": False,
        "error": RECUSED,
    }


def test_conflict_of_interest_rule_cannot_be_suspended_when_moved():  # C5
    log = Log().open()

    result = log.then_move("c4", "suspend_rules", rule="recusal")
    log.add("yield", member="c4")
    by_text = log.then_move("c4", "suspend_rules", text="let c7 vote: suspend recusal")

    assert result == {"ok": False, "error": NOT_SUSPENDABLE}
    assert by_text == {"ok": False, "error": NOT_SUSPENDABLE}
