"""Tabling, postponing, referring, and the motions that bring a question back."""

from councils.procedure.errors import (
    ALREADY_RECONSIDERED,
    IRREVERSIBLE,
    NO_INTERVENING_BUSINESS,
    NOT_PREVAILING_SIDE,
    POSTPONE_TOO_FAR,
    RECONSIDER_AVAILABLE,
    RECONSIDER_TIME_LIMIT,
    RENEWAL_SAME_SESSION,
)
from tests.councils.procedure.meetings import Log

YES = ["c1", "c2", "c3", "c4"]
NO = ["c5", "c6"]


def adopted_main() -> tuple[Log, int]:
    log = Log().open()
    main = log.main(proposal="Q", text="fund Q")
    log.vote(yes=YES, no=NO)
    return log, main


def test_tabled_motion_returns_with_its_amendment_when_taken_from_the_table():
    log = Log().open()
    main = log.main(proposal="Q")
    amendment = log.motion("c4", "amend", "c5", amount="1500")
    log.motion("c6", "lay_on_table", "c5")
    log.vote(yes=YES, no=NO)
    log.add("unanimous_consent", text="receive the treasurer's report")
    log.add("announce")

    log.motion("c2", "take_from_table", "c3", applies_to=main)
    log.vote(yes=YES, no=NO)
    outcome = log.outcome()

    assert [p["id"] for p in outcome["pending"]] == [main, amendment]


def test_take_from_table_is_refused_when_no_business_intervened():
    log = Log().open()
    main = log.main(proposal="Q")
    log.motion("c6", "lay_on_table", "c5")
    log.vote(yes=YES, no=NO)

    result = log.then_move("c2", "take_from_table", applies_to=main)

    assert result == {"ok": False, "error": NO_INTERVENING_BUSINESS}


def test_postponed_motion_is_taken_up_when_its_meeting_comes():
    log = Log().open()
    main = log.main(proposal="Q")
    log.motion("c4", "postpone_definitely", "c5", until="next_meeting")
    log.vote(yes=YES, no=NO)
    postponed = log.outcome()["motions"][main]["state"]
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=YES, no=NO)
    log.add("new_meeting", kind="regular")
    log.open()

    log.add("state")

    assert postponed == "POSTPONED"
    assert [p["id"] for p in log.outcome()["pending"]] == [main]


def test_postponement_is_refused_when_beyond_the_next_meeting():
    log = Log().open()
    log.main(proposal="Q")

    result = log.then_move("c4", "postpone_definitely", until=3)

    assert result == {"ok": False, "error": POSTPONE_TOO_FAR}


def test_referred_motion_is_pending_again_when_the_committee_reports():
    log = Log().open()
    main = log.main(proposal="Q")
    log.motion("c4", "refer", "c5")
    log.vote(yes=YES, no=NO)
    referred = log.outcome()["motions"][main]["state"]

    log.add("committee_report", applies_to=main)

    assert referred == "REFERRED"
    assert log.outcome()["pending"][0]["id"] == main


def test_discharge_brings_the_referred_motion_back_when_adopted_by_two_thirds():
    log = Log().open()
    main = log.main(proposal="Q")
    log.motion("c4", "refer", "c5")
    log.vote(yes=YES, no=NO)

    log.motion("c2", "discharge_committee", "c3", applies_to=main)
    log.vote(yes=YES, no=NO, method="rising")

    assert log.outcome()["pending"][0]["id"] == main


def test_rescind_is_adopted_with_notice_when_a_bare_majority_votes_for_it():
    log, main = adopted_main()

    log.motion("c2", "rescind", "c3", applies_to=0, previous_notice=True)
    log.vote(yes=YES[:3], no=NO, method="rising")

    assert log.outcome()["motions"][main]["state"] == "RESCINDED"


def test_rescind_is_lost_without_notice_when_a_bare_majority_votes_for_it():
    log, main = adopted_main()

    log.motion("c2", "rescind", "c3", applies_to=0)
    log.vote(yes=YES[:3], no=NO, method="rising")

    assert log.outcome()["motions"][main]["state"] == "ADOPTED"


def test_rescind_is_refused_as_irreversible_when_the_decision_was_executed():
    log, _ = adopted_main()
    log.add("executed", applies_to=0)

    assert log.then_move("c2", "rescind", applies_to=0) == {
        "ok": False,
        "error": IRREVERSIBLE,
    }


def test_rescind_is_refused_when_a_reconsideration_of_it_is_pending():
    log, _ = adopted_main()
    log.move("c1", "reconsider", applies_to=0)
    log.add("second", member="c2")

    result = log.then_move("c3", "rescind", applies_to=0)

    assert result == {"ok": False, "error": RECONSIDER_AVAILABLE}


def test_reconsideration_lapses_when_its_motion_is_ruled_out_of_order():
    log, main = adopted_main()
    log.move("c1", "reconsider", applies_to=0)
    suspended = log.outcome()["motions"][main]["state"]

    log.add("rule_out_of_order", code="UNTIMELY")

    assert suspended == "RECONSIDERATION_PENDING"
    assert log.outcome()["motions"][main]["state"] == "ADOPTED"


def test_amend_previously_adopted_changes_the_wording_when_adopted():
    log, main = adopted_main()

    log.motion("c2", "amend_previously_adopted", "c3", applies_to=0, amount="900")
    log.vote(yes=YES, no=NO, method="rising")
    motion = log.outcome()["motions"][main]

    assert (motion["state"], motion["amount"], motion["original_amount"]) == (
        "AMENDED_AFTER_ADOPTION",
        "900",
        "2000",
    )


def test_reconsidered_main_motion_is_pending_again_when_reconsider_is_adopted():
    log, main = adopted_main()

    log.motion("c1", "reconsider", "c2", applies_to=0)
    log.vote(yes=YES, no=NO)
    outcome = log.outcome()

    assert outcome["pending"] == [
        {"id": main, "motion": "main", "text": "fund Q", "state": "PENDING"}
    ]


def test_reconsider_is_refused_when_the_mover_was_not_on_the_prevailing_side():
    log, _ = adopted_main()

    result = log.then_move("c5", "reconsider", applies_to=0)

    assert result == {"ok": False, "error": NOT_PREVAILING_SIDE}


def test_reconsider_is_refused_when_the_member_abstained():
    log = Log().open()
    log.main(proposal="Q")
    log.vote(yes=YES, no=NO, abstain=["c8"])

    result = log.then_move("c8", "reconsider", applies_to=0)

    assert result == {"ok": False, "error": NOT_PREVAILING_SIDE}


def test_reconsider_is_refused_when_the_same_vote_was_reconsidered():
    log, _ = adopted_main()
    log.motion("c1", "reconsider", "c2", applies_to=0)
    log.vote(yes=NO, no=YES)

    result = log.then_move("c3", "reconsider", applies_to=0)

    assert result == {"ok": False, "error": ALREADY_RECONSIDERED}


def test_reconsider_is_refused_when_the_session_has_ended():
    log, _ = adopted_main()
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=YES, no=NO)
    log.add("new_meeting", kind="regular")
    log.open()

    result = log.then_move("c1", "reconsider", applies_to=0)

    assert result == {"ok": False, "error": RECONSIDER_TIME_LIMIT}


def test_reconsider_is_refused_as_irreversible_when_the_grant_was_paid():
    log, _ = adopted_main()
    log.add("executed", applies_to=0)

    result = log.then_move("c1", "reconsider", applies_to=0)

    assert result == {"ok": False, "error": IRREVERSIBLE}


def test_reconsidering_an_adopted_amendment_restores_the_old_amount():
    log = Log().open()
    main = log.main(proposal="Q")
    log.motion("c4", "amend", "c5", amount="1500")
    log.vote(yes=YES, no=NO)

    amendment_vote = len(log.outcome()["decisions"]) - 1
    log.motion("c1", "reconsider", "c2", applies_to=amendment_vote)
    log.vote(yes=YES, no=NO)
    outcome = log.outcome()

    assert outcome["motions"][main]["amount"] == "2000"
    assert [p["motion"] for p in outcome["pending"]] == ["main", "amend"]


def test_lost_main_motion_cannot_be_renewed_when_in_the_same_session():
    log = Log().open()
    log.main(proposal="Q", text="fund Q")
    log.vote(yes=NO, no=YES)

    result = log.then_move("c2", "main", proposal="Q", text="fund Q", amount="2000")

    assert result == {"ok": False, "error": RENEWAL_SAME_SESSION}


def test_lost_main_motion_may_be_renewed_when_a_new_session_begins():
    log = Log().open()
    log.main(proposal="Q", text="fund Q")
    log.vote(yes=NO, no=YES)
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=YES, no=NO)
    log.add("new_meeting", kind="regular")
    log.open()

    result = log.then_move("c2", "main", proposal="Q", text="fund Q", amount="2000")

    assert result == {"ok": True}


def test_postpone_indefinitely_kills_the_main_motion_when_adopted():
    log = Log().open()
    main = log.main(proposal="Q")
    log.motion("c4", "postpone_indefinitely", "c5")
    log.vote(yes=YES, no=NO)

    outcome = log.outcome()

    assert outcome["motions"][main]["state"] == "POSTPONED_INDEFINITELY"
    assert outcome["pending"] == []
