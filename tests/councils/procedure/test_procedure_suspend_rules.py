"""Suspend the rules (I3): an adopted suspension allows the stated action once."""

from councils.procedure.errors import (
    NO_INTERVENING_BUSINESS,
    NOT_SUSPENDABLE,
    OUT_OF_ORDER_RANK,
    RENEWAL_SAME_SESSION,
)
from tests.councils.procedure.meetings import Log, refused

YES = ["c1", "c2", "c3", "c4"]
NO = ["c5", "c6"]
MAIN = {"proposal": "Q", "text": "fund Q", "amount": "2000"}


def lost_main() -> Log:
    log = Log().open()
    log.main(**MAIN)
    log.vote(yes=NO, no=YES)
    return log


def suspend(log: Log, yes=YES, no=("c5",), **fields) -> int:
    motion = log.motion("c4", "suspend_rules", "c5", **fields)
    log.vote(yes=yes, no=no, method="rising")
    return motion


def test_lost_main_motion_is_renewed_when_the_rules_are_suspended_for_it():
    log = lost_main()
    suspend(log, allows="main")

    result = log.then_move("c2", "main", **MAIN)

    assert result == {"ok": True}


def test_suspension_allows_the_renewal_only_once():
    log = lost_main()
    suspend(log, allows="main")
    log.main(**MAIN)
    log.vote(yes=NO, no=YES)

    result = log.then_move("c2", "main", **MAIN)

    assert refused(result, RENEWAL_SAME_SESSION)


def test_renewal_stays_refused_when_the_suspension_is_lost():
    log = lost_main()
    suspend(log, yes=["c1", "c2"], no=["c3", "c5"], allows="main")

    result = log.then_move("c2", "main", **MAIN)

    assert log.outcome()["decisions"][-1]["result"] == "lost"
    assert refused(result, RENEWAL_SAME_SESSION)


def test_motion_is_taken_from_the_table_without_intervening_business_when_allowed():
    log = Log().open()
    main = log.main(proposal="Q")
    log.motion("c6", "lay_on_table", "c5")
    log.vote(yes=YES, no=NO)
    refused_before = log.then_move("c2", "take_from_table", applies_to=main)
    log.add("yield", member="c2")
    suspend(log, allows="take_from_table")

    log.motion("c2", "take_from_table", "c3", applies_to=main)
    log.vote(yes=YES, no=NO)

    assert refused(refused_before, NO_INTERVENING_BUSINESS)
    assert [p["id"] for p in log.outcome()["pending"]] == [main]


def test_suspension_without_a_purpose_is_not_intervening_business():
    log = Log().open()
    main = log.main(proposal="Q")
    log.motion("c6", "lay_on_table", "c5")
    log.vote(yes=YES, no=NO)
    suspend(log, text="take item 7 first")

    result = log.then_move("c2", "take_from_table", applies_to=main)

    assert refused(result, NO_INTERVENING_BUSINESS)


def test_general_order_is_taken_up_out_of_its_order_when_the_rules_are_suspended():
    log = Log().open()
    log.main(proposal="Q", text="fund Q")
    log.motion("c4", "postpone_definitely", "c5")
    log.vote(yes=YES, no=NO)
    later = log.main(proposal="R", text="fund R")
    log.motion("c4", "postpone_definitely", "c5")
    log.vote(yes=YES, no=NO)

    suspend(log, allows="orders_of_the_day", applies_to=later)

    assert [p["id"] for p in log.outcome()["pending"]] == [later]


def test_suspension_is_refused_when_it_allows_nothing_the_engine_knows():
    log = Log().open()

    result = log.then_move("c4", "suspend_rules", allows="vote_twice")

    assert refused(result, OUT_OF_ORDER_RANK)


def test_suspension_for_the_orders_is_refused_when_no_general_order_is_named():
    log = Log().open()

    result = log.then_move("c4", "suspend_rules", allows="orders_of_the_day")

    assert refused(result, OUT_OF_ORDER_RANK)


def test_recusal_is_not_suspendable_whatever_the_suspension_allows():
    log = Log().open()

    result = log.then_move("c4", "suspend_rules", rule="recusal", allows="main")

    assert refused(result, NOT_SUSPENDABLE)
