"""Declared interests (§4.6 C1): a member who declares an interest in a
proposal is recused from its questions, as its proposers are."""

from councils.procedure.errors import NOT_IN_SESSION, NOT_PRESENT, RECUSED
from tests.councils.procedure.meetings import COUNCILLORS, Log, refused

PRESENT = [c for c in COUNCILLORS if c != "c7"][:12]


def test_an_interest_declared_before_the_meeting_recuses_the_member_from_the_vote():
    log = Log()
    declared = log.then(
        "declare_interest", member="c4", proposal="P", text="my son is on the team"
    )
    log.open(PRESENT)
    log.main()
    log.add("put_question", method="counted")

    assert declared == {"ok": True}
    assert refused(log.then("vote", member="c4", choice="yes"), RECUSED)
    assert log.then("vote", member="c5", choice="yes") == {"ok": True}


def test_an_interest_declared_during_the_meeting_recuses_from_seconding_it():
    log = Log().open(PRESENT)
    log.add("declare_interest", member="c3", proposal="P")

    log.move("c2", "main", text="fund P", proposal="P", amount="2000")

    assert refused(log.then("second", member="c3"), RECUSED)
    assert log.then("second", member="c4") == {"ok": True}


def test_a_vote_cast_before_the_declaration_is_taken_back():
    log = Log().open(PRESENT)
    log.main()
    log.add("put_question", method="counted")
    log.cast(yes=PRESENT[:8], no=PRESENT[8:10])

    declared = log.then("declare_interest", member=PRESENT[0], proposal="P")
    log.add("announce")

    decision = log.outcome()["decisions"][-1]
    assert declared == {"ok": True}
    assert (decision["yes"], decision["no"]) == (7, 2)


def test_an_interest_in_one_proposal_leaves_the_member_free_on_others():
    log = Log().open(PRESENT)
    log.add("declare_interest", member="c4", proposal="Q")
    log.main()
    log.add("put_question", method="counted")

    assert log.then("vote", member="c4", choice="yes") == {"ok": True}


def test_the_outcome_lists_each_declared_interest_with_its_words():
    log = Log().open(PRESENT)

    index = log.add(
        "declare_interest", member="c4", proposal="P", text="I supply the wool"
    )

    assert log.outcome()["interests"] == [
        {"member": "c4", "proposal": "P", "text": "I supply the wool", "event": index}
    ]


def test_a_declaration_is_refused_from_a_non_member_twice_or_after_adjournment():
    log = Log().open(PRESENT)
    log.add("declare_interest", member="c4", proposal="P")

    assert refused(log.then("declare_interest", member="z9", proposal="P"), NOT_PRESENT)
    assert refused(log.then("declare_interest", member="c4", proposal="P"), RECUSED)
    assert refused(log.then("declare_interest", member="c7", proposal="P"), RECUSED)
    log.motion("c5", "adjourn", seconder="c6")
    log.vote(yes=PRESENT[:8])
    assert refused(
        log.then("declare_interest", member="c8", proposal="P"), NOT_IN_SESSION
    )
