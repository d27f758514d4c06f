"""A call for the orders of the day (P5, RONR §18) while business is pending."""

from councils.procedure.errors import METHOD_NOT_ALLOWED, OUT_OF_ORDER_RANK, UNTIMELY
from tests.councils.procedure.meetings import Log, refused

YES = ["c1", "c2", "c3", "c4"]
NO = ["c5", "c6"]


def second_meeting_with_a_general_order() -> tuple[Log, int]:
    """A main motion about Q pending at adjournment: a general order now."""
    log = Log().open()
    order = log.main(proposal="Q", text="fund Q")
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=YES, no=NO)
    log.add("new_meeting", kind="regular")
    log.open()
    return log, order


def new_business_taken_up_first() -> tuple[Log, int, int]:
    log, order = second_meeting_with_a_general_order()
    new = log.main(proposal="R", text="fund R")
    return log, order, new


def test_call_for_the_orders_is_in_order_when_new_business_is_pending():
    log, _, _ = new_business_taken_up_first()

    result = log.then_move("c9", "orders_of_the_day")

    assert result == {"ok": True}


def test_call_for_the_orders_interrupts_a_member_who_has_the_floor():
    log, _, _ = new_business_taken_up_first()
    log.add("floor", member="c8")

    result = log.then("move", member="c9", motion="orders_of_the_day")

    assert result == {"ok": True}


def test_chair_takes_up_the_general_order_and_sets_aside_the_pending_business():
    log, order, new = new_business_taken_up_first()
    log.move("c9", "orders_of_the_day")

    log.add("state")
    outcome = log.outcome()

    assert [p["id"] for p in outcome["pending"]] == [order]
    assert outcome["motions"][new]["state"] == "PENDING"
    assert outcome["unfinished"] == [{"id": new, "kind": "order", "meeting": 2}]


def test_business_set_aside_resumes_with_its_amendment_after_the_orders():
    log, order, new = new_business_taken_up_first()
    amendment = log.motion("c4", "amend", "c5", amount="1500")
    log.move("c9", "orders_of_the_day")
    log.add("state")
    log.vote(yes=YES, no=NO)  # the general order is adopted

    log.add("state")
    outcome = log.outcome()

    assert outcome["motions"][order]["state"] == "ADOPTED"
    assert [p["id"] for p in outcome["pending"]] == [new, amendment]
    assert outcome["unfinished"] == []


def test_call_for_the_orders_is_untimely_when_no_general_order_is_due():
    log = Log().open()
    log.main(proposal="R", text="fund R")

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
    log, _, _ = new_business_taken_up_first()
    log.motion("c4", "recess", "c5")

    result = log.then_move("c9", "orders_of_the_day")

    assert refused(result, OUT_OF_ORDER_RANK)


def test_two_thirds_against_proceeding_keep_the_pending_business():
    log, order, new = new_business_taken_up_first()
    log.move("c9", "orders_of_the_day")

    log.vote(yes=["c1"], no=["c2", "c3", "c4"], method="rising")
    renewed = log.then_move("c8", "orders_of_the_day")
    outcome = log.outcome()

    assert outcome["decisions"][-1]["basis"] == "orders_of_the_day"
    assert outcome["decisions"][-1]["result"] == "lost"
    assert [p["id"] for p in outcome["pending"]] == [new]
    assert outcome["motions"][order]["state"] == "PENDING"
    assert refused(renewed, UNTIMELY)


def test_council_proceeds_to_the_orders_when_fewer_than_two_thirds_are_against():
    log, order, _ = new_business_taken_up_first()
    log.move("c9", "orders_of_the_day")

    log.vote(yes=["c1", "c2"], no=["c3", "c4", "c5"], method="rising")
    outcome = log.outcome()

    assert outcome["decisions"][-1]["result"] == "adopted"
    assert [p["id"] for p in outcome["pending"]] == [order]


def test_vote_on_proceeding_to_the_orders_is_refused_when_taken_by_voice():
    log, _, _ = new_business_taken_up_first()
    log.move("c9", "orders_of_the_day")

    result = log.then("put_question", method="voice")

    assert refused(result, METHOD_NOT_ALLOWED)


def test_call_for_the_orders_takes_up_the_general_order_when_nothing_is_pending():
    log, order = second_meeting_with_a_general_order()
    call = log.move("c9", "orders_of_the_day")

    log.add("state")
    outcome = log.outcome()

    assert outcome["motions"][call]["state"] == "ADOPTED"
    assert [p["id"] for p in outcome["pending"]] == [order]
