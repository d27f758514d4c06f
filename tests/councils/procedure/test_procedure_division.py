"""Division of a question (I5, RONR §27): separate questions, one at a time."""

from councils.procedure.errors import OUT_OF_ORDER_RANK
from tests.councils.procedure.meetings import Log, refused

YES = ["c1", "c2", "c3", "c4"]
NO = ["c5", "c6"]
PARTS = ["fund Q's playground for ¥2,000", "thank the residents' committee"]


def divided_main(**fields) -> tuple[Log, int, int]:
    """A main motion about Q, and a division into PARTS adopted."""
    log = Log().open()
    main = log.main(proposal="Q", text="fund Q's playground and thank them")
    fields.setdefault("parts", PARTS)
    division = log.motion("c4", "division_of_question", "c5", **fields)
    log.vote(yes=YES, no=NO)
    return log, main, division


def test_adopted_division_puts_the_first_part_in_place_of_the_motion():
    log, main, division = divided_main()
    announce = len(log.events) - 1

    outcome = log.outcome()

    assert outcome["motions"][main]["state"] == "DIVIDED"
    assert outcome["pending"] == [
        {"id": announce, "motion": "main", "text": PARTS[0], "state": "PENDING"}
    ]
    part = outcome["motions"][announce]
    assert (part["mover"], part["seconder"]) == ("c2", "c3")
    assert (part["proposal"], part["amount"]) == ("Q", "2000")
    assert outcome["divisions"] == [
        {"id": division, "divided": main, "parts": [announce], "waiting": PARTS[1:]}
    ]


def test_next_part_is_taken_up_when_the_one_before_is_decided():
    log, _, _ = divided_main()
    first = len(log.events) - 1

    second = log.vote(yes=YES, no=NO)
    outcome = log.outcome()

    assert outcome["pending"] == [
        {"id": second, "motion": "main", "text": PARTS[1], "state": "PENDING"}
    ]
    assert outcome["motions"][second]["amount"] is None
    assert outcome["divisions"][0]["parts"] == [first, second]
    assert outcome["divisions"][0]["waiting"] == []
    log.vote(yes=NO, no=YES)
    decisions = log.outcome()["decisions"]
    assert [(d["motion_id"], d["result"]) for d in decisions[-2:]] == [
        (first, "adopted"),
        (second, "lost"),
    ]
    assert log.outcome()["pending"] == []


def test_each_part_takes_the_amount_it_is_given():
    log, _, _ = divided_main(amounts=["1500", "300"])
    first = len(log.events) - 1
    second = log.vote(yes=YES, no=NO)

    motions = log.outcome()["motions"]

    assert (motions[first]["amount"], motions[second]["amount"]) == ("1500", "300")


def test_lost_division_leaves_the_motion_whole():
    log = Log().open()
    main = log.main(proposal="Q")
    log.motion("c4", "division_of_question", "c5", parts=PARTS)

    log.vote(yes=NO, no=YES)
    outcome = log.outcome()

    assert [p["id"] for p in outcome["pending"]] == [main]
    assert outcome["divisions"] == []


def test_division_is_refused_when_fewer_than_two_parts_are_given():
    log = Log().open()
    log.main(proposal="Q")

    one = log.then_move("c4", "division_of_question", parts=["all of it"])
    log.add("yield", member="c4")
    blank = log.then_move("c4", "division_of_question", parts=["a", "  "])
    log.add("yield", member="c4")
    amounts = log.then_move("c4", "division_of_question", parts=PARTS, amounts=["1"])

    assert refused(one, OUT_OF_ORDER_RANK)
    assert refused(blank, OUT_OF_ORDER_RANK)
    assert refused(amounts, OUT_OF_ORDER_RANK)


def test_division_of_the_main_motion_is_refused_while_an_amendment_is_pending():
    log = Log().open()
    main = log.main(proposal="Q")
    log.motion("c4", "amend", "c5", amount="1500")

    result = log.then_move("c6", "division_of_question", applies_to=main, parts=PARTS)

    assert refused(result, OUT_OF_ORDER_RANK)


def test_divided_amendment_becomes_separate_amendments_of_the_same_motion():
    log = Log().open()
    main = log.main(proposal="Q")
    amendment = log.motion("c4", "amend", "c5", amount="1500", text="two changes")
    log.motion("c6", "division_of_question", "c8", parts=["¥1,500", "in Ward 2"])
    first = log.vote(yes=YES, no=NO)
    divided = log.outcome()

    second = log.vote(yes=YES, no=NO)  # the first part, ¥1,500, adopted
    log.vote(yes=YES, no=NO)  # the second part adopted
    outcome = log.outcome()

    assert divided["motions"][amendment]["state"] == "DIVIDED"
    assert [p["id"] for p in divided["pending"]] == [main, first]
    assert divided["pending"][-1]["motion"] == "amend"
    assert outcome["motions"][second]["text"] == "in Ward 2"
    assert outcome["motions"][main]["amount"] == "1500"
    assert outcome["motions"][main]["text"] == "that the council fund P for ¥2,000"
    assert [p["id"] for p in outcome["pending"]] == [main]


def test_division_of_the_assembly_on_a_part_makes_the_next_part_wait_again():
    log, _, _ = divided_main()
    first = len(log.events) - 1
    log.vote(yes=YES, no=NO, method="voice")
    log.motion("c5", "division_of_assembly", None)
    retaken = log.outcome()

    log.cast(yes=["c1"], no=["c2", "c3", "c5"])
    second = log.add("announce")
    outcome = log.outcome()

    assert [p["id"] for p in retaken["pending"]] == [first]
    assert retaken["divisions"][0]["waiting"] == PARTS[1:]
    assert outcome["motions"][first]["state"] == "LOST"
    assert [p["id"] for p in outcome["pending"]] == [second]
    assert outcome["divisions"][0]["parts"] == [first, second]


def test_next_part_waits_for_a_part_pending_at_adjournment():
    log, _, _ = divided_main()
    first = len(log.events) - 1
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=YES, no=NO)
    log.add("new_meeting", kind="regular")
    log.open()
    waiting = log.outcome()

    log.add("state")  # the chair takes up the part as unfinished business
    second = log.vote(yes=YES, no=NO)
    outcome = log.outcome()

    assert waiting["pending"] == []
    assert [p["id"] for p in outcome["pending"]] == [second]
    assert outcome["motions"][first]["state"] == "ADOPTED"
