"""Reconsider made now and called up later (§2.3 B4, §3.1 M19–M21, RONR §37)."""

from councils.procedure import actions_in_order
from councils.procedure.errors import (
    ALREADY_RECONSIDERED,
    FLOOR_OCCUPIED,
    MAIN_WHILE_PENDING,
    OUT_OF_ORDER_RANK,
    RECONSIDER_AVAILABLE,
    RECUSED,
    UNTIMELY,
)
from tests.councils.procedure.meetings import COUNCILLORS, Log, refused

YES = ["c1", "c2", "c3", "c4"]
NO = ["c5", "c6"]


def reconsider_made_while_r_is_pending() -> tuple[Log, int, int, int]:
    """Q adopted (decision 0); R pending; c1 moves to reconsider Q's vote."""
    log = Log().open()
    first = log.main(proposal="Q", text="fund Q")
    log.vote(yes=YES, no=NO)
    second = log.main(proposal="R", text="fund R")
    reconsider = log.motion("c1", "reconsider", "c2", applies_to=0)
    return log, first, second, reconsider


def test_reconsider_is_made_and_recorded_when_another_main_motion_is_pending():
    log, first, second, reconsider = reconsider_made_while_r_is_pending()

    outcome = log.outcome()

    assert all(result["ok"] for result in outcome["results"])
    assert outcome["motions"][first]["state"] == "RECONSIDERATION_PENDING"
    assert outcome["motions"][reconsider]["state"] == "MOVED"
    assert [p["id"] for p in outcome["pending"]] == [second]
    assert outcome["reconsiderations"] == [
        {"id": reconsider, "applies_to": 0, "meeting": 1}
    ]


def test_pending_business_goes_on_when_a_reconsider_has_been_recorded():
    log, _, second, _ = reconsider_made_while_r_is_pending()

    log.add("speak", member="c8")
    log.vote(yes=YES, no=NO)

    outcome = log.outcome()
    assert all(result["ok"] for result in outcome["results"])
    assert outcome["motions"][second]["state"] == "ADOPTED"


def test_call_up_is_refused_while_the_other_main_motion_is_pending():
    log, _, _, reconsider = reconsider_made_while_r_is_pending()

    result = log.then("call_up", member="c5", applies_to=reconsider)

    assert refused(result, MAIN_WHILE_PENDING)


def test_any_member_calls_up_the_reconsider_when_nothing_is_pending():
    log, _, _, reconsider = reconsider_made_while_r_is_pending()
    log.vote(yes=YES, no=NO)

    result = log.then("call_up", member="c5", applies_to=reconsider)
    outcome = log.outcome()

    assert result == {"ok": True}
    assert outcome["pending"] == [
        {"id": reconsider, "motion": "reconsider", "text": "", "state": "PENDING"}
    ]
    assert outcome["reconsiderations"] == []


def test_called_up_reconsider_brings_the_motion_back_when_adopted():  # M20
    log, first, _, reconsider = reconsider_made_while_r_is_pending()
    log.vote(yes=YES, no=NO)
    log.add("call_up", member="c5", applies_to=reconsider)

    log.vote(yes=YES, no=NO)
    outcome = log.outcome()

    assert outcome["motions"][reconsider]["state"] == "ADOPTED"
    assert [p["id"] for p in outcome["pending"]] == [first]
    assert outcome["motions"][first]["state"] == "PENDING"


def test_called_up_reconsider_restores_the_result_when_lost():  # M21
    log, first, _, reconsider = reconsider_made_while_r_is_pending()
    log.vote(yes=YES, no=NO)
    log.add("call_up", member="c5", applies_to=reconsider)

    log.vote(yes=NO, no=YES)
    again = log.then_move("c3", "reconsider", applies_to=0)
    outcome = log.outcome()

    assert outcome["motions"][first]["state"] == "ADOPTED"
    assert outcome["pending"] == []
    assert refused(again, ALREADY_RECONSIDERED)


def test_reconsider_never_called_up_lapses_when_a_new_session_begins():  # M21
    log, first, _, reconsider = reconsider_made_while_r_is_pending()
    log.vote(yes=YES, no=NO)
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=YES, no=NO)
    still_waiting = log.outcome()["reconsiderations"]

    log.add("new_meeting", kind="regular")
    outcome = log.outcome()

    assert [r["id"] for r in still_waiting] == [reconsider]
    assert outcome["motions"][first]["state"] == "ADOPTED"
    assert outcome["motions"][reconsider]["state"] == "DIED"
    assert outcome["reconsiderations"] == []


def test_reconsider_may_be_called_up_at_an_adjourned_meeting_of_the_session():
    log, first, _, reconsider = reconsider_made_while_r_is_pending()
    log.vote(yes=YES, no=NO)
    log.motion("c4", "fix_time_to_adjourn", "c5")
    log.vote(yes=YES, no=NO)
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=YES, no=NO)
    log.add("new_meeting", kind="adjourned")
    log.open()

    result = log.then("call_up", member="c5", applies_to=reconsider)

    assert result == {"ok": True}
    assert log.outcome()["motions"][first]["state"] == "RECONSIDERATION_PENDING"


def test_rescind_is_refused_while_a_recorded_reconsider_can_be_called_up():
    log, _, _, _ = reconsider_made_while_r_is_pending()
    log.vote(yes=YES, no=NO)

    result = log.then_move("c3", "rescind", applies_to=0)

    assert refused(result, RECONSIDER_AVAILABLE)


def test_call_up_is_refused_when_another_member_holds_the_floor():
    log, _, _, reconsider = reconsider_made_while_r_is_pending()
    log.vote(yes=YES, no=NO)
    log.add("floor", member="c8")

    result = log.then("call_up", member="c5", applies_to=reconsider)

    assert refused(result, FLOOR_OCCUPIED)


def test_call_up_is_refused_as_untimely_when_it_names_no_recorded_reconsider():
    log, first, _, _ = reconsider_made_while_r_is_pending()
    log.vote(yes=YES, no=NO)

    result = log.then("call_up", member="c5", applies_to=first)

    assert refused(result, UNTIMELY)


def test_call_up_is_refused_when_the_member_is_recused_from_the_proposal():
    log = Log().open(["c7", *COUNCILLORS[:10]])
    log.main(proposal="P", text="fund P")
    log.vote(yes=YES, no=NO)
    log.main(proposal="R", text="fund R")
    reconsider = log.motion("c1", "reconsider", "c2", applies_to=0)
    log.vote(yes=YES, no=NO)

    result = log.then("call_up", member="c7", applies_to=reconsider)

    assert refused(result, RECUSED)


def test_reconsider_interrupts_a_member_assigned_the_floor_before_they_speak():
    log = Log().open()
    log.main(proposal="Q", text="fund Q")
    log.vote(yes=YES, no=NO)
    log.main(proposal="R", text="fund R")
    log.add("floor", member="c8")

    made = log.then("move", member="c1", motion="reconsider", applies_to=0)
    log.add("second", member="c2")
    log.add("state")
    log.add("speak", member="c8")
    too_late = log.then("move", member="c3", motion="reconsider", applies_to=0)

    assert made == {"ok": True}
    assert log.outcome()["results"][-2] == {"ok": True}  # c8 speaks after all
    assert refused(too_late, FLOOR_OCCUPIED)


def test_reconsider_of_an_amendment_is_called_up_when_its_motion_is_on_top():
    log = Log().open()
    main = log.main(proposal="Q")
    log.motion("c4", "amend", "c5", amount="1500")
    log.vote(yes=YES, no=NO)  # decision 0: the amendment adopted
    log.motion("c8", "amend", "c9", text="in Ward 2")
    reconsider = log.motion("c1", "reconsider", "c2", applies_to=0)
    recorded = log.outcome()["reconsiderations"]
    blocked = log.then("call_up", member="c5", applies_to=reconsider)
    log.vote(yes=NO, no=YES)  # the second amendment lost

    result = log.then("call_up", member="c5", applies_to=reconsider)
    log.vote(yes=YES, no=NO)
    outcome = log.outcome()

    assert [r["id"] for r in recorded] == [reconsider]
    assert refused(blocked, OUT_OF_ORDER_RANK)
    assert result == {"ok": True}
    assert outcome["motions"][main]["amount"] == "2000"
    assert [p["motion"] for p in outcome["pending"]] == ["main", "amend"]


def test_reconsider_made_when_it_can_be_considered_is_stated_at_once():
    log = Log().open()
    main = log.main(proposal="Q")
    log.vote(yes=YES, no=NO)

    reconsider = log.motion("c1", "reconsider", "c2", applies_to=0)
    outcome = log.outcome()

    assert outcome["reconsiderations"] == []
    assert [p["id"] for p in outcome["pending"]] == [reconsider]
    assert outcome["motions"][main]["state"] == "RECONSIDERATION_PENDING"


def test_reconsidering_postpone_indefinitely_brings_the_main_motion_back():
    log = Log().open()
    main = log.main(proposal="Q")
    log.motion("c4", "postpone_indefinitely", "c5")
    log.vote(yes=YES, no=NO)

    log.motion("c1", "reconsider", "c2", applies_to=0)
    log.vote(yes=YES, no=NO)
    outcome = log.outcome()

    assert [p["motion"] for p in outcome["pending"]] == [
        "main",
        "postpone_indefinitely",
    ]
    assert outcome["motions"][main]["state"] == "PENDING"


def test_actions_offer_the_call_up_when_it_is_in_order():
    log, _, _, reconsider = reconsider_made_while_r_is_pending()
    before = actions_in_order(log.setup, log.events, "c5")
    log.vote(yes=YES, no=NO)

    after = actions_in_order(log.setup, log.events, "c5")

    call_up = {"type": "call_up", "member": "c5", "applies_to": reconsider}
    assert call_up not in before
    assert call_up in after


def test_reconsider_pending_at_adjournment_may_be_called_up_at_the_adjourned_meeting():
    log = Log().open()
    main = log.main(proposal="Q", text="fund Q")
    log.vote(yes=YES, no=NO)
    log.motion("c4", "fix_time_to_adjourn", "c5")
    log.vote(yes=YES, no=NO)
    reconsider = log.motion("c1", "reconsider", "c2", applies_to=0)
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=YES, no=NO)
    adjourned = log.outcome()
    log.add("new_meeting", kind="adjourned")
    log.open()

    result = log.then("call_up", member="c5", applies_to=reconsider)

    assert adjourned["motions"][main]["state"] == "RECONSIDERATION_PENDING"
    assert [r["id"] for r in adjourned["reconsiderations"]] == [reconsider]
    assert result == {"ok": True}


def test_actions_offer_reconsider_to_the_prevailing_side_while_business_is_pending():
    log = Log().open()
    log.main(proposal="Q", text="fund Q")
    log.vote(yes=YES, no=NO)
    log.main(proposal="R", text="fund R")

    actions = actions_in_order(log.setup, log.events, "c1")

    reconsider = {
        "type": "move",
        "member": "c1",
        "motion": "reconsider",
        "applies_to": 0,
    }
    assert reconsider in actions


def reconsidered_and_voted_again(amended: bool) -> tuple[Log, int, int]:
    """Q adopted (decision 0), its vote reconsidered (decision 1), Q voted on
    again (the last decision); with `amended`, Q's amount is amended between
    the reconsideration and the new vote."""
    log = Log().open()
    main = log.main(proposal="Q", text="fund Q")
    log.vote(yes=YES, no=NO)
    log.motion("c1", "reconsider", "c2", applies_to=0)
    log.vote(yes=YES, no=NO)
    if amended:
        log.motion("c4", "amend", "c5", amount="1500")
        log.vote(yes=YES, no=NO)
    log.vote(yes=YES, no=NO)
    return log, main, len(log.outcome()["decisions"]) - 1


def test_new_vote_on_a_reconsidered_question_is_not_reconsidered_again():  # B4
    log, _, again = reconsidered_and_voted_again(amended=False)

    result = log.then_move("c3", "reconsider", applies_to=again)

    assert refused(result, ALREADY_RECONSIDERED)


def test_new_vote_is_reconsidered_when_the_question_was_amended_after_reconsideration():
    log, main, again = reconsidered_and_voted_again(amended=True)

    result = log.then_move("c3", "reconsider", applies_to=again)
    outcome = log.outcome()

    assert result == {"ok": True}
    assert outcome["motions"][main]["amount"] == "1500"
    assert outcome["motions"][main]["state"] == "RECONSIDERATION_PENDING"


def test_actions_do_not_offer_a_second_reconsideration_of_the_same_question():
    log, _, again = reconsidered_and_voted_again(amended=False)

    actions = actions_in_order(log.setup, log.events, "c3")

    assert not [
        a
        for a in actions
        if a.get("motion") == "reconsider" and a["applies_to"] == again
    ]
