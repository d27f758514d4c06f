"""A call for the orders of the day (P5, RONR §18).

A general order never interrupts a pending question: the call is in order
only with nothing pending (a motion made and not yet stated is not pending),
while a general order is due. Two thirds may decline to proceed; the call is
then not renewed until the business taken up instead is disposed of.
"""

from councils.procedure.errors import METHOD_NOT_ALLOWED, OUT_OF_ORDER_RANK, UNTIMELY
from tests.councils.procedure.meetings import Log, refused

YES = ["c1", "c2", "c3", "c4"]
NO = ["c5", "c6"]


def second_meeting_with_a_general_order(kind="regular") -> tuple[Log, int]:
    """A main motion about Q pending at adjournment: a general order now."""
    log = Log().open()
    order = log.main(proposal="Q", text="fund Q")
    if kind == "adjourned":
        log.motion("c4", "fix_time_to_adjourn", "c5")
        log.vote(yes=YES, no=NO)
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=YES, no=NO)
    log.add("new_meeting", kind=kind)
    log.open()
    return log, order


def new_business_stated_first() -> tuple[Log, int, int]:
    log, order = second_meeting_with_a_general_order()
    new = log.main(proposal="R", text="fund R")
    return log, order, new


def new_business_moved_first() -> tuple[Log, int, int]:
    """New business moved and seconded, not yet stated, a general order due."""
    log, order = second_meeting_with_a_general_order()
    new = log.move("c2", "main", proposal="R", text="fund R", amount="500")
    log.add("second", member="c3")
    return log, order, new


def test_call_for_the_orders_is_refused_when_a_stated_question_is_pending():
    log, _, new = new_business_stated_first()

    result = log.then_move("c9", "orders_of_the_day")

    assert refused(result, UNTIMELY)
    assert [p["id"] for p in log.outcome()["pending"]] == [new]


def test_call_for_the_orders_is_refused_when_pending_at_an_adjourned_meeting():
    log, _ = second_meeting_with_a_general_order(kind="adjourned")
    log.main(proposal="R", text="fund R")

    result = log.then_move("c9", "orders_of_the_day")

    assert refused(result, UNTIMELY)


def test_call_for_the_orders_is_in_order_when_new_business_is_moved_but_not_stated():
    log, _, _ = new_business_moved_first()

    result = log.then("move", member="c9", motion="orders_of_the_day")

    assert result == {"ok": True}


def test_call_for_the_orders_is_in_order_with_nothing_pending_at_an_adjourned_meeting():
    log, _ = second_meeting_with_a_general_order(kind="adjourned")

    result = log.then_move("c9", "orders_of_the_day")

    assert result == {"ok": True}


def test_call_for_the_orders_interrupts_a_member_who_has_the_floor():
    log, _ = second_meeting_with_a_general_order()
    log.add("floor", member="c8")

    result = log.then("move", member="c9", motion="orders_of_the_day")

    assert result == {"ok": True}


def test_chair_takes_up_the_general_order_instead_of_the_business_not_yet_stated():
    log, order, new = new_business_moved_first()
    log.add("move", member="c9", motion="orders_of_the_day")

    log.add("state")
    outcome = log.outcome()

    assert all(result["ok"] for result in outcome["results"])
    assert [p["id"] for p in outcome["pending"]] == [order]
    # It was never before the council: it may be made again later.
    assert outcome["motions"][new]["state"] == "DIED"
    assert outcome["unfinished"] == []


def test_business_not_yet_stated_may_be_moved_again_after_the_general_order():
    log, _, _ = new_business_moved_first()
    log.add("move", member="c9", motion="orders_of_the_day")
    log.add("state")
    log.vote(yes=YES, no=NO)

    again = log.then_move("c2", "main", proposal="R", text="fund R", amount="500")

    assert again == {"ok": True}


def test_reconsider_made_before_the_call_is_recorded_when_the_chair_complies():
    log, _ = second_meeting_with_a_general_order()
    log.main(proposal="R", text="fund R")
    log.vote(yes=YES, no=NO)
    reconsider = log.move("c1", "reconsider", applies_to=1)
    log.add("second", member="c2")
    log.add("move", member="c9", motion="orders_of_the_day")

    log.add("state")
    outcome = log.outcome()

    assert all(result["ok"] for result in outcome["results"])
    assert outcome["reconsiderations"] == [
        {"id": reconsider, "applies_to": 1, "meeting": 2}
    ]


def test_call_for_the_orders_is_untimely_when_no_general_order_is_due():
    log = Log().open()

    result = log.then_move("c9", "orders_of_the_day")

    assert refused(result, UNTIMELY)


def test_call_for_the_orders_is_untimely_when_a_general_order_is_being_taken_up():
    log, order = second_meeting_with_a_general_order()
    log.main(proposal="R", text="fund R")
    log.motion("c4", "postpone_definitely", "c5")  # R: a general order later
    log.vote(yes=YES, no=NO)
    log.add("state")  # the chair takes up the first general order, Q

    result = log.then_move("c9", "orders_of_the_day")

    assert [p["id"] for p in log.outcome()["pending"]] == [order]
    assert refused(result, UNTIMELY)


def test_call_for_the_orders_is_refused_by_rank_when_a_recess_is_pending():
    log, _, _ = new_business_stated_first()
    log.motion("c4", "recess", "c5")

    result = log.then_move("c9", "orders_of_the_day")

    assert refused(result, OUT_OF_ORDER_RANK)


def test_two_thirds_against_proceeding_take_up_the_business_moved():
    log, order, new = new_business_moved_first()
    log.add("move", member="c9", motion="orders_of_the_day")

    log.vote(yes=["c1"], no=["c2", "c3", "c4"], method="rising")
    log.add("state")
    outcome = log.outcome()

    assert outcome["decisions"][-1]["basis"] == "orders_of_the_day"
    assert outcome["decisions"][-1]["result"] == "lost"
    assert [p["id"] for p in outcome["pending"]] == [new]
    assert outcome["motions"][order]["state"] == "PENDING"


def test_call_declined_by_two_thirds_is_not_renewed_before_the_business_is_stated():
    log, _, _ = new_business_moved_first()
    log.add("move", member="c9", motion="orders_of_the_day")
    log.vote(yes=["c1"], no=["c2", "c3", "c4"], method="rising")

    renewed = log.then("move", member="c8", motion="orders_of_the_day")

    assert refused(renewed, UNTIMELY)


def test_call_declined_by_two_thirds_is_renewed_once_the_business_is_disposed_of():
    log, order, _ = new_business_moved_first()
    log.add("move", member="c9", motion="orders_of_the_day")
    log.vote(yes=["c1"], no=["c2", "c3", "c4"], method="rising")
    log.add("state")
    log.vote(yes=YES, no=NO)  # R is adopted

    renewed = log.then_move("c8", "orders_of_the_day")
    log.add("state")

    assert renewed == {"ok": True}
    assert [p["id"] for p in log.outcome()["pending"]] == [order]


def test_call_declined_with_nothing_moved_is_not_renewed_for_the_business_moved_next():
    log, _ = second_meeting_with_a_general_order()
    log.move("c9", "orders_of_the_day")
    log.vote(yes=["c1"], no=["c2", "c3", "c4"], method="rising")
    immediately = log.then_move("c8", "orders_of_the_day")
    log.move("c2", "main", proposal="R", text="fund R")

    after_a_motion = log.then("move", member="c8", motion="orders_of_the_day")

    assert refused(immediately, UNTIMELY)
    assert refused(after_a_motion, UNTIMELY)


def test_call_declined_is_spent_when_the_chair_reaches_the_general_order():
    log, _ = second_meeting_with_a_general_order()
    log.move("c9", "orders_of_the_day")
    log.vote(yes=["c1"], no=["c2", "c3", "c4"], method="rising")
    log.add("state")  # the chair takes up the general order after all
    log.motion("c4", "postpone_definitely", "c5")  # Q: a general order later
    log.vote(yes=YES, no=NO)

    result = log.then_move("c8", "orders_of_the_day")

    assert result == {"ok": True}


def test_council_proceeds_to_the_orders_when_fewer_than_two_thirds_are_against():
    log, order, new = new_business_moved_first()
    log.add("move", member="c9", motion="orders_of_the_day")

    log.vote(yes=["c1", "c2"], no=["c3", "c4", "c5"], method="rising")
    outcome = log.outcome()

    assert outcome["decisions"][-1]["result"] == "adopted"
    assert [p["id"] for p in outcome["pending"]] == [order]
    assert outcome["motions"][new]["state"] == "DIED"


def test_vote_on_proceeding_to_the_orders_is_refused_when_taken_by_voice():
    log, _, _ = new_business_moved_first()
    log.add("move", member="c9", motion="orders_of_the_day")

    result = log.then("put_question", method="voice")

    assert refused(result, METHOD_NOT_ALLOWED)


def test_call_for_the_orders_takes_up_the_general_order_when_nothing_is_pending():
    log, order = second_meeting_with_a_general_order()
    call = log.move("c9", "orders_of_the_day")

    log.add("state")
    outcome = log.outcome()

    assert outcome["motions"][call]["state"] == "ADOPTED"
    assert [p["id"] for p in outcome["pending"]] == [order]
