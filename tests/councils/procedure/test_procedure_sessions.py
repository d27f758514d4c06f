"""Sessions, not meetings, bound business (§1c `session`, §2.3 B1, §3.1 M14).

Each regular meeting is its own session; an adjourned meeting set by *Fix the
time to which to adjourn* (P1) continues the session of the meeting that set
it. A question laid on the table may be taken from it until the end of the
next regular session (RONR 17:8, 34:3), and the other rules that run "in the
same session" (reconsider, renewal, the previous question) use the same
notion.
"""

from councils.procedure.errors import (
    OUT_OF_ORDER_RANK,
    PREVIOUS_QUESTION_ORDERED,
    RENEWAL_SAME_SESSION,
)
from tests.councils.procedure.meetings import Log, refused

YES = ["c1", "c2", "c3", "c4"]
NO = ["c5", "c6"]


def end_meeting(log: Log, fix_time: bool = False) -> None:
    """Adjourn; with `fix_time`, first set the adjourned meeting (P1)."""
    if fix_time:
        log.motion("c4", "fix_time_to_adjourn", "c5")
        log.vote(yes=YES, no=NO)
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=YES, no=NO)


def next_meeting(log: Log, kind: str) -> None:
    log.add("new_meeting", kind=kind)
    log.open()


def tabled_at_a_regular_meeting() -> tuple[Log, int]:
    """Meeting 1 (regular) lays the motion on Q on the table and sets an
    adjourned meeting; meeting 2 (that adjourned meeting) does not take it
    up; meeting 3 is the next regular meeting."""
    log = Log().open()
    main = log.main(proposal="Q", text="fund Q")
    log.motion("c4", "lay_on_table", "c5")
    log.vote(yes=YES, no=NO)
    end_meeting(log, fix_time=True)
    next_meeting(log, "adjourned_regular")
    end_meeting(log)
    next_meeting(log, "regular")
    return log, main


def test_question_tabled_at_a_regular_meeting_is_taken_from_the_table_at_the_next():
    log, main = tabled_at_a_regular_meeting()

    result = log.then_move("c2", "take_from_table", applies_to=main)
    log.add("second", member="c3")
    log.add("state")
    log.vote(yes=YES, no=NO)
    outcome = log.outcome()

    assert result == {"ok": True}
    assert outcome["meeting"]["number"] == 3
    assert outcome["pending"] == [
        {"id": main, "motion": "main", "text": "fund Q", "state": "PENDING"}
    ]


def test_question_tabled_is_alive_at_the_adjourned_meeting_of_its_own_session():
    log = Log().open()
    main = log.main(proposal="Q", text="fund Q")
    log.motion("c4", "lay_on_table", "c5")
    log.vote(yes=YES, no=NO)
    end_meeting(log, fix_time=True)
    next_meeting(log, "adjourned_regular")

    result = log.then_move("c2", "take_from_table", applies_to=main)

    assert result == {"ok": True}


def test_question_tabled_is_dead_after_the_next_regular_session_without_it():
    log, main = tabled_at_a_regular_meeting()
    end_meeting(log)

    next_meeting(log, "regular")
    result = log.then_move("c2", "take_from_table", applies_to=main)
    outcome = log.outcome()

    assert outcome["meeting"]["number"] == 4
    assert outcome["motions"][main]["state"] == "DIED"
    assert outcome["unfinished"] == []
    assert refused(result, OUT_OF_ORDER_RANK)


def test_question_tabled_is_alive_at_the_adjourned_meeting_of_the_next_session():
    log, main = tabled_at_a_regular_meeting()
    end_meeting(log, fix_time=True)

    next_meeting(log, "adjourned_regular")
    result = log.then_move("c2", "take_from_table", applies_to=main)

    assert result == {"ok": True}


def test_question_tabled_at_an_adjourned_meeting_lives_through_the_next_session():
    log = Log().open()
    end_meeting(log, fix_time=True)
    next_meeting(log, "adjourned_regular")  # meeting 2, session 1
    main = log.main(proposal="Q", text="fund Q")
    log.motion("c4", "lay_on_table", "c5")
    log.vote(yes=YES, no=NO)
    end_meeting(log)
    next_meeting(log, "regular")  # meeting 3, session 2
    alive = log.outcome()["motions"][main]["state"]
    end_meeting(log)

    next_meeting(log, "regular")  # meeting 4, session 3

    assert alive == "LAID_ON_TABLE"
    assert log.outcome()["motions"][main]["state"] == "DIED"


def test_special_session_between_does_not_end_the_life_of_a_tabled_question():
    log = Log().open()
    main = log.main(proposal="Q", text="fund Q")
    log.motion("c4", "lay_on_table", "c5")
    log.vote(yes=YES, no=NO)
    end_meeting(log)
    next_meeting(log, "special")
    end_meeting(log)
    next_meeting(log, "regular")

    result = log.then_move("c2", "take_from_table", applies_to=main)

    assert result == {"ok": True}


def test_unfinished_says_whether_the_tabled_question_lives_to_the_next_meeting():
    log, main = tabled_at_a_regular_meeting()
    at_the_last_regular_session = log.outcome()["unfinished"]
    log.motion("c4", "fix_time_to_adjourn", "c5")
    log.vote(yes=YES, no=NO)

    with_an_adjourned_meeting_set = log.outcome()["unfinished"]

    assert at_the_last_regular_session == [
        {"id": main, "kind": "tabled", "meeting": 1, "alive_next_meeting": False}
    ]
    assert with_an_adjourned_meeting_set == [
        {"id": main, "kind": "tabled", "meeting": 1, "alive_next_meeting": True}
    ]


def test_take_from_table_says_where_and_in_which_session_it_was_laid_there():
    log, main = tabled_at_a_regular_meeting()

    take = log.move("c2", "take_from_table", applies_to=main)
    outcome = log.outcome()

    assert outcome["meeting"]["session"] == 2
    assert outcome["motions"][take]["tabled_at"] == {"meeting": 1, "session": 1}


def test_lost_main_motion_is_not_renewed_at_the_adjourned_meeting_of_its_session():
    log = Log().open()
    log.main(proposal="Q", text="fund Q")
    log.vote(yes=NO, no=YES)
    end_meeting(log, fix_time=True)
    next_meeting(log, "adjourned_regular")

    result = log.then_move("c2", "main", proposal="Q", text="fund Q", amount="2000")

    assert refused(result, RENEWAL_SAME_SESSION)


def test_previous_question_holds_at_the_adjourned_meeting_and_is_exhausted_after():
    log = Log().open()
    log.main(proposal="Q", text="fund Q")
    log.motion("c4", "previous_question", "c5")
    log.vote(yes=YES, no=NO, method="rising")
    end_meeting(log, fix_time=True)
    next_meeting(log, "adjourned_regular")
    log.add("state")  # the chair takes up the question pending at adjournment
    at_the_adjourned_meeting = log.then("speak", member="c9")
    end_meeting(log)
    next_meeting(log, "regular")
    log.add("state")

    in_the_next_session = log.then("speak", member="c9")

    assert refused(at_the_adjourned_meeting, PREVIOUS_QUESTION_ORDERED)
    assert in_the_next_session == {"ok": True}
