"""The examples of the contract, ROBERTS_RULES.md §1a (T46–T53)."""

from councils.procedure.errors import (
    OUT_OF_ORDER_RANK,
    RECUSED,
    SECOND_PRIMARY_PENDING,
    TERTIARY_AMENDMENT,
)
from tests.councils.procedure.meetings import COUNCILLORS, Log

PRESENT = [c for c in COUNCILLORS if c != "c7"][:11]
YES6 = PRESENT[:6]
NO5 = PRESENT[6:11]


def meeting_with_main() -> tuple[Log, int]:
    log = Log().open(PRESENT)
    return log, log.main()


def test_main_motion_is_adopted_six_to_five_when_counted():
    log, main = meeting_with_main()

    log.vote(yes=YES6, no=NO5)
    outcome = log.outcome()

    decision = outcome["decisions"][-1]
    assert decision["result"] == "adopted"
    assert (decision["yes"], decision["no"], decision["abstain"]) == (6, 5, 0)
    assert decision["motion_id"] == main
    assert decision["basis"] == "majority"
    assert decision["method"] == "counted"
    assert decision["voters"]["c1"] == "yes"
    assert outcome["motions"][main]["state"] == "ADOPTED"
    assert all(result["ok"] for result in outcome["results"])


def test_vote_is_refused_as_recused_when_c7_votes_on_p():
    log, _ = meeting_with_main()
    log.add("put_question", method="counted")

    assert log.then("vote", member="c7", choice="yes") == {
        "ok": False,
        "error": RECUSED,
    }


def test_motion_id_is_the_index_of_its_move_event_when_made():
    log, main = meeting_with_main()

    assert log.events[main]["type"] == "move"
    assert main in log.outcome()["motions"]


def test_primary_amendment_is_in_order_when_main_is_pending():  # T46
    log, main = meeting_with_main()

    amendment = log.motion("c4", "amend", "c5", text="strike ¥2,000, insert ¥1,500")
    outcome = log.outcome()

    assert all(r["ok"] for r in outcome["results"])
    assert [p["id"] for p in outcome["pending"]] == [main, amendment]


def test_secondary_amendment_is_in_order_when_primary_is_pending():  # T47
    log, main = meeting_with_main()
    primary = log.motion("c4", "amend", "c5", amount="1500")

    secondary = log.motion("c6", "amend", "c8", amount="1800")
    outcome = log.outcome()

    assert all(r["ok"] for r in outcome["results"])
    assert [p["id"] for p in outcome["pending"]] == [main, primary, secondary]


def test_amendment_of_a_secondary_is_refused_as_tertiary_when_made():  # T48
    log, _ = meeting_with_main()
    log.motion("c4", "amend", "c5", amount="1500")
    secondary = log.motion("c6", "amend", "c8", amount="1800")

    result = log.then_move("c9", "amend", applies_to=secondary, amount="1700")

    assert result == {"ok": False, "error": TERTIARY_AMENDMENT}


def test_second_primary_is_refused_while_one_pending_then_in_order():  # T49
    log, main = meeting_with_main()
    log.motion("c4", "amend", "c5", amount="1500")

    refused = log.then_move("c6", "amend", applies_to=main, text="in Ward 2")
    log.add("yield", member="c6")
    log.vote(yes=YES6, no=NO5)
    accepted = log.then_move("c6", "amend", applies_to=main, text="in Ward 2")

    assert refused == {"ok": False, "error": SECOND_PRIMARY_PENDING}
    assert accepted == {"ok": True}


def test_votes_are_taken_secondary_then_primary_then_main_when_all_pending():  # T50
    log, main = meeting_with_main()
    primary = log.motion("c4", "amend", "c5", amount="1500")
    log.motion("c6", "amend", "c8", amount="1800")

    wrong = log.then("put_question", method="counted", applies_to=primary)
    log.vote(yes=YES6, no=NO5)  # the secondary: 1,800 replaces 1,500
    log.vote(yes=YES6, no=NO5)  # the primary as amended
    log.vote(yes=YES6, no=NO5)  # the main motion as amended
    outcome = log.outcome()

    assert wrong == {"ok": False, "error": OUT_OF_ORDER_RANK}
    assert [d["motion"] for d in outcome["decisions"]] == ["amend", "amend", "main"]
    assert outcome["motions"][main]["amount"] == "1800"
    assert outcome["motions"][main]["original_amount"] == "2000"
    assert outcome["motions"][main]["state"] == "ADOPTED"


def test_chair_rules_a_non_germane_amendment_out_of_order_and_it_is_appealable():
    log, _ = meeting_with_main()  # T51
    amendment = log.move("c4", "amend", text="and also fund proposal Q")
    log.add("second", member="c5")

    log.add("rule_out_of_order", code="NOT_GERMANE", reasons="another proposal")
    appeal = log.move("c4", "appeal", applies_to=amendment)
    log.add("second", member="c5")
    log.add("state")
    outcome = log.outcome()

    assert outcome["motions"][amendment]["state"] == "RULED_OUT_OF_ORDER"
    assert outcome["results"][appeal] == {"ok": True}
    assert outcome["pending"][-1]["motion"] == "appeal"


def test_amendment_needs_only_a_majority_when_main_needs_two_thirds():  # T52
    log = Log(main_motion_two_thirds_above="1000").open(PRESENT)
    main = log.main()
    amendment = log.motion("c4", "amend", "c5", amount="1500")

    log.vote(yes=YES6, no=NO5)
    outcome = log.outcome()

    assert outcome["motions"][amendment]["state"] == "ADOPTED"
    assert outcome["decisions"][-1]["basis"] == "majority"
    log.vote(yes=YES6, no=NO5, method="rising")
    main_decision = log.outcome()["decisions"][-1]
    assert main_decision["motion_id"] == main
    assert (main_decision["basis"], main_decision["result"]) == ("two_thirds", "lost")


def test_postpone_indefinitely_is_refused_when_an_amendment_is_pending():  # T53
    log, _ = meeting_with_main()
    log.motion("c4", "amend", "c5", amount="1500")

    result = log.then_move("c6", "postpone_indefinitely")

    assert result == {"ok": False, "error": OUT_OF_ORDER_RANK}


def test_chair_breaks_a_five_five_tie_when_eleven_are_present():
    present = [c for c in COUNCILLORS if c != "c7"][:10]
    log = Log().open(present)
    log.main()
    log.add("put_question", method="counted")
    log.cast(yes=present[:5], no=present[5:])

    log.add("vote", member="X1", choice="yes")
    log.add("announce")
    decision = log.outcome()["decisions"][-1]

    assert (decision["yes"], decision["no"], decision["result"]) == (6, 5, "adopted")
