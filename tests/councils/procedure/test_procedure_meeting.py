"""The meeting state machine (§3.2), quorum, the floor, debate and voting."""

import pytest

from councils.procedure.errors import (
    FLOOR_OCCUPIED,
    MAIN_WHILE_PENDING,
    METHOD_NOT_ALLOWED,
    NO_QUORUM,
    NOT_IN_SESSION,
    NOT_PRESENT,
    PREVIOUS_QUESTION_ORDERED,
    SPEECH_LIMIT,
    VOTING_IN_PROGRESS,
)
from tests.councils.procedure.meetings import COUNCILLORS, Log, refused


def test_meeting_convenes_without_quorum_when_too_few_are_present():
    log = Log().open(COUNCILLORS[:9])  # ten present, quorum 11

    outcome = log.outcome()

    assert outcome["meeting"]["state"] == "CONVENED_NO_QUORUM"
    assert outcome["meeting"]["quorum"] == 11


def test_main_motion_is_refused_for_no_quorum_when_convened_without_one():
    log = Log().open(COUNCILLORS[:9])

    assert log.then_move("c2", "main", text="x") == {"ok": False, "error": NO_QUORUM}


@pytest.mark.parametrize("name", ["adjourn", "recess", "fix_time_to_adjourn"])
def test_adjourn_recess_and_fix_time_are_in_order_when_there_is_no_quorum(name):
    log = Log().open(COUNCILLORS[:9])

    assert log.then_move("c2", name) == {"ok": True}


def test_unanimous_consent_is_refused_when_there_is_no_quorum():
    log = Log().open(COUNCILLORS[:9])

    result = log.then("unanimous_consent", text="approve the minutes")

    assert result == {"ok": False, "error": NO_QUORUM}


def test_quorum_is_lost_and_regained_when_members_leave_and_return():
    log = Log().open()  # twelve present, quorum 11
    log.add("leave", member="c1")
    log.add("leave", member="c2")
    lost = log.outcome()["meeting"]["state"]

    log.add("arrive", member="c1")

    assert lost == "CONVENED_NO_QUORUM"
    assert log.outcome()["meeting"]["state"] == "IN_SESSION"


def test_default_quorum_is_a_majority_of_voting_members_when_not_fixed():
    log = Log(quorum=None).open()

    meeting = log.outcome()["meeting"]

    assert (meeting["members"], meeting["quorum"]) == (21, 11)


def test_motion_is_refused_as_not_in_session_when_not_called_to_order():
    log = Log()
    log.add("arrive", member="c2")

    assert log.then_move("c2", "main") == {"ok": False, "error": NOT_IN_SESSION}


def test_motion_is_refused_when_another_member_holds_the_floor():
    log = Log().open()
    log.add("floor", member="c5")

    result = log.then("move", member="c2", motion="main", text="x")

    assert result == {"ok": False, "error": FLOOR_OCCUPIED}


def test_point_of_order_interrupts_when_another_member_holds_the_floor():
    log = Log().open()
    log.main()
    log.add("floor", member="c5")

    assert log.then("move", member="c2", motion="point_of_order") == {"ok": True}


def test_second_main_motion_is_refused_when_one_is_pending():
    log = Log().open()
    log.main()

    result = log.then_move("c4", "main", text="another")

    assert result == {"ok": False, "error": MAIN_WHILE_PENDING}


def test_third_speech_is_refused_when_the_member_spoke_twice_today():
    log = Log().open()
    log.main()
    log.add("speak", member="c4")
    log.add("speak", member="c4")

    assert log.then("speak", member="c4") == {"ok": False, "error": SPEECH_LIMIT}


def test_speech_limit_does_not_apply_when_small_board_rules_are_on():
    log = Log(small_board_rules="on").open()
    log.main()
    for _ in range(3):
        log.add("speak", member="c4")

    assert log.then("speak", member="c4") == {"ok": True}


def test_motion_needs_no_second_when_small_board_rules_are_auto_and_few_attend():
    log = Log(small_board_rules="auto").open()
    log.move("c2", "main", text="fund P")

    assert log.then("state") == {"ok": True}


def test_debate_is_closed_when_the_previous_question_is_ordered():
    log = Log().open()
    log.main()
    log.motion("c4", "previous_question", "c5")
    log.vote(yes=COUNCILLORS[:8], no=COUNCILLORS[8:11], method="rising")

    result = log.then("speak", member="c6")

    assert result == {"ok": False, "error": PREVIOUS_QUESTION_ORDERED}
    assert log.then_move("c6", "amend", amount="1") == {
        "ok": False,
        "error": PREVIOUS_QUESTION_ORDERED,
    }


def test_speeches_are_limited_to_one_when_limit_debate_is_adopted():
    log = Log().open()
    log.main()
    log.motion("c4", "limit_debate", "c5", speeches=1)
    log.vote(yes=COUNCILLORS[:8], no=COUNCILLORS[8:11], method="rising")
    log.add("speak", member="c6")

    assert log.then("speak", member="c6") == {"ok": False, "error": SPEECH_LIMIT}


def test_vote_is_refused_as_not_present_when_the_member_arrived_after_the_put():
    log = Log().open()
    log.main()
    log.add("put_question", method="counted")
    log.add("arrive", member="c15")

    result = log.then("vote", member="c15", choice="yes")

    assert result == {"ok": False, "error": NOT_PRESENT}


def test_vote_is_changed_when_a_member_votes_again_before_the_announcement():
    log = Log().open()
    log.main()
    log.add("put_question", method="counted")
    log.cast(yes=["c1", "c2"], no=["c3"])
    log.cast(no=["c1"])
    log.add("announce")

    decision = log.outcome()["decisions"][-1]

    assert (decision["yes"], decision["no"], decision["result"]) == (1, 2, "lost")


def test_abstentions_are_recorded_but_not_counted_when_announced():
    log = Log().open()
    log.main(proposal=None)
    log.vote(yes=["c1", "c2", "c3"], no=["c4", "c5"], abstain=COUNCILLORS[5:11])

    decision = log.outcome()["decisions"][-1]

    assert (decision["abstain"], decision["result"]) == (6, "adopted")
    assert decision["voters"]["c6"] == "abstain"


def test_other_business_is_refused_when_a_vote_is_being_taken():
    log = Log().open()
    log.main()
    log.add("put_question", method="counted")

    assert log.then_move("c4", "adjourn") == {"ok": False, "error": VOTING_IN_PROGRESS}


def test_ballot_is_refused_when_no_one_ordered_it():
    log = Log().open()
    log.main()

    result = log.then("put_question", method="ballot")

    assert result == {"ok": False, "error": METHOD_NOT_ALLOWED}


def test_ballot_is_allowed_when_a_voting_method_motion_ordered_it():
    log = Log().open()
    main = log.main()
    log.motion("c4", "voting_method", "c5", method="ballot")
    log.vote(yes=["c1", "c2"], no=["c3"])

    assert log.then("put_question", method="ballot", applies_to=main) == {"ok": True}


def test_roll_call_is_ordered_by_the_method_a_voting_method_motion_names():
    log = Log().open()
    main = log.main()
    log.motion("c4", "voting_method", "c5", method="roll_call")
    log.vote(yes=["c1", "c2"], no=["c3"])

    log.vote(yes=["c1", "c2"], no=["c3"], method="roll_call")
    decision = log.outcome()["decisions"][-1]

    assert (decision["motion_id"], decision["method"]) == (main, "roll_call")
    assert decision["voters"] == {"c1": "yes", "c2": "yes", "c3": "no"}


def test_voting_method_motion_is_refused_when_it_names_no_method():
    log = Log().open()
    log.main()

    result = log.then_move("c4", "voting_method", voting_method="roll_call")

    assert result == {"ok": False, "error": METHOD_NOT_ALLOWED}


def test_unanimous_consent_adopts_the_pending_question_when_nobody_objects():
    log = Log().open()
    main = log.main()
    log.add("unanimous_consent")
    log.add("announce")

    outcome = log.outcome()

    assert outcome["motions"][main]["state"] == "ADOPTED"
    assert outcome["decisions"][-1]["method"] == "unanimous_consent"


def test_objection_sends_the_question_to_a_vote_when_consent_is_asked():
    log = Log().open()
    log.main()
    log.add("unanimous_consent")
    log.add("object", member="c9")

    outcome = log.outcome()

    assert outcome["pending"][-1]["state"] == "PENDING"
    assert outcome["decisions"] == []


def test_general_consent_is_recorded_when_nothing_is_pending():
    log = Log().open()
    log.add("unanimous_consent", text="approve the minutes of 3 May")
    log.add("announce")

    decision = log.outcome()["decisions"][-1]

    assert (decision["motion_id"], decision["result"]) == (None, "adopted")
    assert decision["text"] == "approve the minutes of 3 May"


def test_meeting_goes_into_recess_and_reconvenes_when_recess_is_adopted():
    log = Log().open()
    main = log.main()
    log.motion("c4", "recess", "c5")
    log.vote(yes=["c1", "c2"], no=["c3"])
    in_recess = log.outcome()["meeting"]["state"]

    log.add("reconvene")
    outcome = log.outcome()

    assert in_recess == "RECESS"
    assert outcome["meeting"]["state"] == "IN_SESSION"
    assert [p["id"] for p in outcome["pending"]] == [main]


def test_pending_business_is_unfinished_business_when_the_meeting_adjourns():
    log = Log().open()
    main = log.main()
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=["c1", "c2"], no=["c3"])
    adjourned = log.outcome()

    log.add("new_meeting", kind="regular")
    log.open()
    log.add("state")
    outcome = log.outcome()

    assert adjourned["meeting"]["state"] == "ADJOURNED"
    assert adjourned["pending"] == []
    assert outcome["meeting"]["number"] == 2
    assert [p["id"] for p in outcome["pending"]] == [main]


def test_new_meeting_starts_with_nobody_present_when_it_begins():
    log = Log().open()
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=["c1", "c2"], no=["c3"])
    log.add("new_meeting", kind="regular")

    meeting = log.outcome()["meeting"]

    assert (meeting["state"], meeting["present"], meeting["number"]) == (
        "SCHEDULED",
        [],
        2,
    )


def test_new_meeting_may_bring_its_own_roll_and_recusals():
    log = Log().open()
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=["c1", "c2"], no=["c3"])
    # The next term: five members, quorum 3, c2 recused from P now.
    roll = ["X1", "n1", "n2", "n3", "c2"]
    log.add(
        "new_meeting",
        kind="regular",
        setup={
            "members": [{"id": member, "voting": True} for member in roll],
            "quorum": None,
            "recusals": {"P": ["c2"]},
        },
    )
    log.open(present=["n1", "n2"])
    log.add("arrive", member="c2")
    refused_old_member = log.then("arrive", member="c9")
    log.main(member="n1", seconder="n2")
    log.add("put_question", method="counted")
    recused = log.then("vote", member="c2", choice="yes")

    meeting = log.outcome()["meeting"]
    assert (meeting["members"], meeting["quorum"], meeting["number"]) == (5, 3, 2)
    assert refused(refused_old_member, "NOT_PRESENT")
    assert refused(recused, "RECUSED")


def test_unfinished_lists_what_is_carried_to_the_next_meeting():
    log = Log().open()
    tabled = log.main()
    log.motion("c4", "lay_on_table", "c5")
    log.vote(yes=["c1", "c2"], no=["c3"])
    postponed = log.main(proposal="Q", text="that the council fund Q")
    log.motion("c4", "postpone_definitely", "c5", until="next_meeting")
    log.vote(yes=["c1", "c2"], no=["c3"])
    pending = log.main(proposal="R", text="that the council fund R")
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=["c1", "c2"], no=["c3"])

    unfinished = log.outcome()["unfinished"]

    assert unfinished == [
        {"id": pending, "kind": "order", "meeting": 1},
        {"id": postponed, "kind": "postponed", "meeting": 2},
        {"id": tabled, "kind": "tabled", "meeting": 1, "alive_next_meeting": True},
    ]


def test_question_is_not_put_while_a_motion_awaits_statement():
    log = Log().open()
    log.main()
    log.move("c4", "amend", amount="1500")
    log.add("second", member="c5")

    result = log.then("put_question", method="counted")

    assert refused(result, "UNTIMELY")
