"""Putting the question, voting, announcing, and unanimous consent (§1.4, §4,
§3.1 M9–M10, U1): each refusal with its code, and what each step records."""

from councils.procedure.errors import (
    ALREADY_VOTED,
    CHAIR_MUST_VACATE,
    CHAIR_NOT_MEMBER,
    CHAIR_VOTE_NOT_DECISIVE,
    FLOOR_OCCUPIED,
    METHOD_NOT_ALLOWED,
    NOT_PRESENT,
    NOT_RECONSIDERABLE,
    RECUSED,
    UNTIMELY,
    VOTING_IN_PROGRESS,
)
from tests.councils.procedure.meetings import COUNCILLORS, Log, refused

YES = ["c1", "c2", "c3", "c4"]
NO = ["c5", "c6"]


def main_pending(**setup) -> tuple[Log, int]:
    log = Log(**setup).open()
    return log, log.main(proposal="Q", text="fund Q")


def chair_recused_from_a_question_before_the_council() -> Log:
    """A motion about P referred at meeting 1; at meeting 2 the chair X1 is
    recused from P, and the committee's report brings the motion back."""
    log = Log(recusals={}).open()
    main = log.main()
    log.motion("c4", "refer", "c5")
    log.vote(yes=YES, no=NO)
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=YES, no=NO)
    setup = {**log.setup, "recusals": {"P": ["X1"]}}
    log.add("new_meeting", kind="regular", setup=setup)
    log.open()
    log.add("committee_report", applies_to=main)
    return log


# -- putting the question (M9) ---------------------------------------------


def test_question_is_not_put_again_while_a_vote_is_being_taken():
    log, _ = main_pending()
    log.add("put_question", method="counted")

    assert refused(log.then("put_question", method="counted"), VOTING_IN_PROGRESS)


def test_question_is_put_by_voice_when_no_method_is_named():
    log, _ = main_pending()
    log.add("put_question")
    log.cast(yes=YES, no=NO)
    log.add("announce")

    assert log.outcome()["decisions"][-1]["method"] == "voice"


def test_question_is_refused_when_the_method_is_unknown():
    log, _ = main_pending()

    assert refused(log.then("put_question", method="acclamation"), METHOD_NOT_ALLOWED)


def test_question_is_not_put_while_a_member_holds_the_floor():
    log, _ = main_pending()
    log.add("floor", member="c8")

    assert refused(log.then("put_question", method="counted"), FLOOR_OCCUPIED)


def test_chair_rules_on_a_point_of_order_instead_of_putting_it_to_a_vote():
    log, _ = main_pending()
    log.move("c8", "point_of_order")
    log.add("state")

    assert refused(log.then("put_question", method="counted"), UNTIMELY)


def test_question_put_is_voting_and_recorded_with_its_wording_as_amended():
    log, main = main_pending()
    log.motion("c4", "amend", "c5", text="fund Q for ¥1,500", amount="1500")
    log.vote(yes=YES, no=NO)
    log.add("put_question", method="counted")
    voting = log.outcome()["pending"]
    log.cast(yes=YES, no=NO)
    log.add("announce")

    assert voting == [
        {"id": main, "motion": "main", "text": "fund Q for ¥1,500", "state": "VOTING"}
    ]
    assert log.outcome()["decisions"][-1]["text"] == "fund Q for ¥1,500"


def test_adjournment_is_put_and_announced_without_a_quorum():  # §3.2
    log = Log().open()
    log.motion("c4", "adjourn", "c5")
    for member in COUNCILLORS[4:11]:
        log.add("leave", member=member)

    log.vote(yes=["c1", "c2", "c3"], no=["c4"])
    outcome = log.outcome()

    assert all(result["ok"] for result in outcome["results"])
    assert outcome["meeting"]["state"] == "ADJOURNED"


def test_question_is_not_put_while_the_chair_is_recused_from_it():  # C4
    log = chair_recused_from_a_question_before_the_council()

    assert refused(log.then("put_question", method="counted"), CHAIR_MUST_VACATE)


def test_consent_is_not_asked_while_the_chair_is_recused_from_the_question():
    log = chair_recused_from_a_question_before_the_council()

    assert refused(log.then("unanimous_consent"), CHAIR_MUST_VACATE)


def test_general_order_is_not_taken_up_while_the_chair_is_recused_from_it():
    log = Log(recusals={}).open()
    log.main()
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=YES, no=NO)
    setup = {**log.setup, "recusals": {"P": ["X1"]}}
    log.add("new_meeting", kind="regular", setup=setup)
    log.open()

    refused_state = log.then("state")
    log.add("chair", member="c10")
    taken_up = log.then("state")

    assert refused(refused_state, CHAIR_MUST_VACATE)
    assert taken_up == {"ok": True}


def test_vote_taken_under_the_previous_question_makes_it_not_reconsiderable():
    log, _ = main_pending()
    log.motion("c4", "previous_question", "c5")
    log.vote(yes=YES, no=NO, method="rising")  # decision 0: ordered
    log.vote(yes=YES, no=NO)  # the main question is voted on under it

    result = log.then_move("c1", "reconsider", applies_to=0)

    assert refused(result, NOT_RECONSIDERABLE)


def test_grant_of_exactly_the_special_rules_amount_needs_only_a_majority():
    # §0: main motions to fund *more than* the set amount need two thirds.
    def basis(amount: str) -> str:
        log = Log(main_motion_two_thirds_above="2000").open()
        log.main(amount=amount)
        log.vote(yes=YES, no=NO)
        return log.outcome()["decisions"][-1]["basis"]

    assert basis("2000") == "majority"
    assert basis("2000.01") == "two_thirds"


def test_postponement_that_makes_a_special_order_needs_two_thirds():  # S4
    log, _ = main_pending()
    log.motion("c4", "postpone_definitely", "c5", special_order=True)

    by_voice = log.then("put_question", method="voice")
    log.vote(yes=YES, no=NO, method="rising")

    assert refused(by_voice, METHOD_NOT_ALLOWED)
    assert log.outcome()["decisions"][-1]["basis"] == "two_thirds"


def test_postponement_to_a_general_order_needs_a_majority():
    log, _ = main_pending()
    log.motion("c4", "postpone_definitely", "c5")
    log.vote(yes=YES, no=NO, method="voice")

    assert log.outcome()["decisions"][-1]["basis"] == "majority"


# -- votes (V2, V3, §4.4) ----------------------------------------------------


def test_vote_is_untimely_when_no_question_is_being_voted_on():
    log, _ = main_pending()

    assert refused(log.then("vote", member="c1", choice="yes"), UNTIMELY)


def test_vote_is_untimely_while_unanimous_consent_is_asked():
    log, _ = main_pending()
    log.add("unanimous_consent")

    assert refused(log.then("vote", member="c1", choice="yes"), UNTIMELY)


def test_ballot_only_choices_are_refused_in_an_open_vote():
    log, _ = main_pending()
    log.add("put_question", method="counted")

    assert refused(log.then("vote", member="c1", choice="illegal"), METHOD_NOT_ALLOWED)
    assert refused(log.then("vote", member="c1", choice="maybe"), METHOD_NOT_ALLOWED)


def test_recused_member_present_when_the_question_is_put_is_refused_a_vote():  # C1
    log = Log().open()
    log.main()
    log.add("put_question", method="counted")

    assert refused(log.then("vote", member="c7", choice="yes"), RECUSED)


def test_member_who_left_after_the_question_was_put_is_refused_a_vote():  # V2
    log, _ = main_pending()
    log.add("put_question", method="counted")
    log.add("leave", member="c1")

    assert refused(log.then("vote", member="c1", choice="yes"), NOT_PRESENT)


def test_non_voting_presiding_officer_is_refused_a_vote_on_a_tie():
    log = Log()
    log.setup["members"][-1]["voting"] = False
    log.open(COUNCILLORS[:12])
    log.main()
    log.add("put_question", method="counted")
    log.cast(yes=["c1", "c2"], no=["c3", "c4"])

    assert refused(log.then("vote", member="X1", choice="yes"), CHAIR_NOT_MEMBER)


def test_chair_does_not_vote_twice_when_an_open_vote_is_decisive_once():
    log, _ = main_pending()
    log.add("put_question", method="counted")
    log.cast(yes=["c1", "c2"], no=["c3", "c4"])
    log.add("vote", member="X1", choice="yes")

    assert refused(log.then("vote", member="X1", choice="no"), ALREADY_VOTED)


def test_chair_votes_in_a_ballot_even_when_the_vote_changes_nothing():  # §4.4
    log = Log(ordered_method="ballot").open()
    log.main()
    log.add("put_question", method="ballot")
    log.cast(yes=["c1", "c2", "c3", "c4", "c5", "c6", "c8", "c9"], no=["c10"])

    assert log.then("vote", member="X1", choice="yes") == {"ok": True}


def test_chair_breaks_a_tie_on_rescind_only_with_previous_notice():  # §35, §4.4
    def rescind(notice: bool) -> dict:
        log = Log().open(COUNCILLORS[:19])
        log.main(proposal="Q", text="fund Q")
        log.vote(yes=YES, no=NO)
        log.motion("c1", "rescind", "c2", applies_to=0, previous_notice=notice)
        log.add("put_question", method="counted")
        log.cast(yes=COUNCILLORS[:9], no=COUNCILLORS[9:18])
        return log.then("vote", member="X1", choice="yes")

    assert rescind(notice=True) == {"ok": True}
    assert refused(rescind(notice=False), CHAIR_VOTE_NOT_DECISIVE)


def test_chair_carries_a_rescind_by_a_majority_of_the_entire_membership():
    # 21 members: 10–9 is short of two thirds, 11–9 is 11 of 21 (§35).
    log = Log().open(COUNCILLORS)
    log.main(proposal="Q", text="fund Q")
    log.vote(yes=YES, no=NO)
    log.motion("c1", "rescind", "c2", applies_to=0)
    log.add("put_question", method="counted")
    log.cast(yes=COUNCILLORS[:10], no=COUNCILLORS[10:19])

    assert log.then("vote", member="X1", choice="yes") == {"ok": True}
    log.add("announce")
    assert log.outcome()["decisions"][-1]["result"] == "adopted"


# -- announcing (M10) -----------------------------------------------------


def test_announcement_is_untimely_when_no_vote_is_being_taken():
    log, _ = main_pending()

    assert refused(log.then("announce"), UNTIMELY)


def test_point_of_order_raised_during_a_vote_is_ruled_on_before_the_announcement():
    log, _ = main_pending()
    log.add("put_question", method="counted")
    log.cast(yes=YES, no=NO)
    log.move("c8", "point_of_order")
    log.add("state")

    before_the_ruling = log.then("announce")
    log.add("rule", well_taken=False)
    after_the_ruling = log.then("announce")

    assert refused(before_the_ruling, UNTIMELY)
    assert after_the_ruling == {"ok": True}


def test_illegal_ballots_count_in_the_base_when_the_ballot_is_announced():
    log = Log(ordered_method="ballot").open()
    log.main()
    log.add("put_question", method="ballot")
    log.cast(yes=["c1", "c2", "c3", "c4", "c5"], no=["c6", "c8", "c9", "c10"])
    log.add("vote", member="c11", choice="illegal")
    log.add("announce")

    decision = log.outcome()["decisions"][-1]

    assert (decision["yes"], decision["no"], decision["illegal"]) == (5, 4, 1)
    assert decision["result"] == "lost"


def test_decision_records_the_meeting_of_the_log_it_was_taken_at():
    log = Log().open()
    log.motion("c4", "adjourn", "c5")
    log.vote(yes=YES, no=NO)
    log.add("new_meeting", kind="regular")
    log.open()
    log.main()
    log.vote(yes=YES, no=NO)

    assert [d["meeting"] for d in log.outcome()["decisions"]] == [1, 2]


def test_appeal_is_lost_when_the_chair_is_sustained_and_adopted_when_reversed():
    def appeal(yes, no) -> dict:
        log = Log().open()
        log.main()
        amendment = log.move("c4", "amend", text="and also fund R")
        log.add("second", member="c5")
        log.add("rule_out_of_order", code="NOT_GERMANE")
        appeal_id = log.motion("c4", "appeal", "c5", applies_to=amendment)
        log.vote(yes=yes, no=no)
        return log.outcome()["motions"][appeal_id]

    assert appeal(YES, NO)["state"] == "LOST"
    assert appeal(NO, YES)["state"] == "ADOPTED"


def test_division_is_in_order_after_a_voice_vote_on_an_amendment_that_carried():
    log, _ = main_pending()
    log.motion("c4", "amend", "c5", amount="1500")
    log.vote(yes=YES, no=NO, method="voice")

    assert log.then_move("c8", "division_of_assembly") == {"ok": True}


def test_division_is_untimely_after_another_motion_carried_by_voice():
    log, _ = main_pending()
    log.motion("c4", "voting_method", "c5", method="roll_call")
    log.vote(yes=YES, no=NO, method="voice")

    assert refused(log.then_move("c8", "division_of_assembly"), UNTIMELY)


def test_division_is_untimely_after_a_motion_to_reconsider_was_lost():
    log = Log().open()
    log.main()
    log.vote(yes=YES, no=NO)
    log.motion("c1", "reconsider", "c2", applies_to=0)
    log.vote(yes=NO, no=YES, method="voice")

    assert refused(log.then_move("c8", "division_of_assembly"), UNTIMELY)


def earlier_vote_then_another_question() -> tuple[Log, int]:
    """Q adopted (motion `first`), then R pending."""
    log = Log().open()
    first = log.main(proposal="Q", text="fund Q")
    log.vote(yes=YES, no=NO, method="voice")
    log.main(proposal="R", text="fund R")
    return log, first


def test_point_about_an_earlier_vote_is_untimely_once_another_is_being_taken():
    log, first = earlier_vote_then_another_question()
    log.add("put_question", method="counted")

    result = log.then("move", member="c8", motion="point_of_order", applies_to=first)

    assert refused(result, UNTIMELY)


# -- unanimous consent (U1) ---------------------------------------------------


def test_consent_is_not_asked_while_a_vote_is_being_taken():
    log, _ = main_pending()
    log.add("put_question", method="counted")

    assert refused(log.then("unanimous_consent"), VOTING_IN_PROGRESS)


def test_consent_is_not_asked_while_a_motion_awaits_statement():
    log, _ = main_pending()
    log.move("c4", "amend", amount="1500")

    assert refused(log.then("unanimous_consent"), UNTIMELY)


def test_consent_is_not_asked_on_a_point_the_chair_rules_on():
    log, _ = main_pending()
    log.move("c8", "point_of_order")
    log.add("state")

    assert refused(log.then("unanimous_consent"), UNTIMELY)


def test_consent_on_the_pending_question_records_its_wording_and_basis():
    log, main = main_pending()
    log.add("unanimous_consent")
    asked = log.outcome()["pending"]
    log.add("announce")

    decision = log.outcome()["decisions"][-1]

    assert asked == [
        {"id": main, "motion": "main", "text": "fund Q", "state": "VOTING"}
    ]
    assert (decision["text"], decision["basis"]) == ("fund Q", "unanimous")


def test_consent_with_nothing_pending_needs_what_it_is_about():
    log = Log().open()

    without_text = log.then("unanimous_consent")
    blank = log.then("unanimous_consent", text="   ")

    assert refused(without_text, UNTIMELY)
    assert refused(blank, UNTIMELY)


def test_point_about_an_earlier_vote_is_untimely_while_consent_is_asked():
    log, first = earlier_vote_then_another_question()
    log.add("unanimous_consent")

    result = log.then("move", member="c8", motion="point_of_order", applies_to=first)

    assert refused(result, UNTIMELY)


def test_objection_must_come_from_a_voting_member_present_and_not_recused():
    log = Log()
    log.setup["members"].append({"id": "G1", "voting": False})
    log.open([*COUNCILLORS[:11], "G1"])
    log.main()
    log.add("unanimous_consent")

    absent = log.then("object", member="c15")
    guest = log.then("object", member="G1")
    recused = log.then("object", member="c7")

    assert refused(absent, NOT_PRESENT)
    assert refused(guest, CHAIR_NOT_MEMBER)
    assert refused(recused, RECUSED)


def test_objection_ends_the_request_so_the_question_can_be_put():
    log, _ = main_pending()
    log.add("unanimous_consent")
    log.add("object", member="c9")

    assert log.then("put_question", method="counted") == {"ok": True}
