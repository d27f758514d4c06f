"""Incidental motions (§2.2): points, appeals, objections, divisions, withdrawal."""

from councils.procedure.errors import (
    NO_RULING,
    RENEWAL_SAME_SESSION,
    UNTIMELY,
)
from tests.councils.procedure.meetings import Log

YES = ["c1", "c2", "c3", "c4"]
NO = ["c5", "c6"]


def test_point_of_order_well_taken_rules_the_named_motion_out_when_ruled():
    log = Log().open()
    log.main(proposal="Q")
    amendment = log.motion("c4", "amend", "c5", text="fund R instead")
    log.motion("c6", "point_of_order", None, applies_to=amendment)

    log.add("rule", well_taken=True, reasons="not germane")
    outcome = log.outcome()

    assert outcome["motions"][amendment]["state"] == "RULED_OUT_OF_ORDER"
    assert [p["motion"] for p in outcome["pending"]] == ["main"]


def test_appeal_reverses_the_chair_when_a_majority_votes_no():
    log = Log().open()
    log.main(proposal="Q")
    amendment = log.move("c4", "amend", text="fund R instead")
    log.add("second", member="c5")
    log.add("rule_out_of_order", code="NOT_GERMANE", reasons="another proposal")
    log.motion("c4", "appeal", "c5", applies_to=amendment)

    log.vote(yes=["c1"], no=["c2", "c3"])
    outcome = log.outcome()

    assert outcome["decisions"][-1]["result"] == "reversed"
    assert outcome["motions"][amendment]["state"] == "PENDING"
    assert outcome["pending"][-1]["id"] == amendment


def test_appeal_sustains_the_chair_when_the_vote_is_tied():
    log = Log().open()
    log.main(proposal="Q")
    amendment = log.move("c4", "amend", text="fund R instead")
    log.add("second", member="c5")
    log.add("rule_out_of_order", code="NOT_GERMANE")
    log.motion("c4", "appeal", "c5", applies_to=amendment)

    log.vote(yes=["c1", "c2"], no=["c3", "c4"])

    assert log.outcome()["decisions"][-1]["result"] == "sustained"


def test_appeal_is_refused_as_no_ruling_when_the_chair_only_answered():
    log = Log().open()
    inquiry = log.motion("c4", "inquiry", None)
    log.add("rule", well_taken=True)

    result = log.then_move("c4", "appeal", applies_to=inquiry)

    assert result == {"ok": False, "error": NO_RULING}


def test_appeal_is_refused_as_untimely_when_business_followed_the_ruling():
    log = Log().open()
    log.main(proposal="Q")
    amendment = log.move("c4", "amend", text="fund R")
    log.add("second", member="c5")
    log.add("rule_out_of_order", code="NOT_GERMANE")
    log.add("speak", member="c8")

    result = log.then_move("c4", "appeal", applies_to=amendment)

    assert result == {"ok": False, "error": UNTIMELY}


def test_objection_to_consideration_removes_the_motion_when_two_thirds_object():
    log = Log().open()
    main = log.main(proposal="Q")
    log.motion("c4", "objection_to_consideration", None)

    log.vote(yes=["c1"], no=["c2", "c3", "c5"], method="rising")
    outcome = log.outcome()

    assert outcome["motions"][main]["state"] == "NOT_CONSIDERED"
    assert outcome["pending"] == []


def test_objection_to_consideration_is_untimely_when_debate_has_begun():
    log = Log().open()
    log.main(proposal="Q")
    log.add("speak", member="c5")

    result = log.then_move("c4", "objection_to_consideration")

    assert result == {"ok": False, "error": UNTIMELY}


def test_division_of_the_assembly_retakes_a_voice_vote_when_demanded():
    log = Log().open()
    main = log.main(proposal="Q")
    log.vote(yes=YES, no=NO, method="voice")
    log.motion("c5", "division_of_assembly", None)

    log.cast(yes=["c1"], no=["c2", "c3", "c5"])
    log.add("announce")
    outcome = log.outcome()

    assert [d["method"] for d in outcome["decisions"]] == ["voice", "rising"]
    assert outcome["motions"][main]["state"] == "LOST"


def test_division_of_the_assembly_is_untimely_when_no_vote_was_just_taken():
    log = Log().open()
    log.main(proposal="Q")

    result = log.then_move("c5", "division_of_assembly")

    assert result == {"ok": False, "error": UNTIMELY}


def test_motion_is_withdrawn_freely_when_not_yet_stated():
    log = Log().open()
    main = log.move("c2", "main", text="fund Q")

    log.add("withdraw", member="c2")

    assert log.outcome()["motions"][main]["state"] == "WITHDRAWN"


def test_stated_motion_is_withdrawn_when_request_to_withdraw_is_granted():
    log = Log().open()
    main = log.main(proposal="Q")
    refused = log.then("withdraw", member="c2")
    log.motion("c2", "request_to_withdraw", None, applies_to=main)

    log.add("unanimous_consent")
    log.add("announce")
    outcome = log.outcome()

    assert refused == {"ok": False, "error": UNTIMELY}
    assert outcome["motions"][main]["state"] == "WITHDRAWN"
    assert outcome["pending"] == []


def test_motion_dies_when_no_second_comes():
    log = Log().open()
    main = log.move("c2", "main", text="fund Q")

    log.add("no_second")

    assert log.outcome()["motions"][main]["state"] == "DIED_NO_SECOND"


def test_suspend_rules_cannot_be_renewed_when_it_failed_at_this_meeting():
    log = Log().open()
    log.motion("c4", "suspend_rules", "c5", text="take item 7 first")
    log.vote(yes=["c1"], no=["c2"], method="rising")

    result = log.then_move("c4", "suspend_rules", text="take item 7 first")

    assert result == {"ok": False, "error": RENEWAL_SAME_SESSION}


def test_question_of_privilege_is_ruled_on_when_raised():
    log = Log().open()
    log.main(proposal="Q")
    privilege = log.motion("c9", "question_of_privilege", None)

    log.add("rule", well_taken=True, reasons="the window will be closed")

    assert log.outcome()["motions"][privilege]["state"] == "ADOPTED"


def test_outcome_lists_a_ruling_out_of_order_with_its_code_reasons_and_appeal():
    log = Log().open()
    log.main(proposal="Q")
    amendment = log.move("c4", "amend", text="fund R instead")
    log.add("second", member="c5")
    ruling_event = log.add(
        "rule_out_of_order", code="NOT_GERMANE", reasons="  another proposal "
    )
    appeal = log.motion("c4", "appeal", "c5", applies_to=amendment)

    log.vote(yes=["c1"], no=["c2", "c3"])
    rulings = log.outcome()["rulings"]

    assert rulings == [
        {
            "event": ruling_event,
            "kind": "out_of_order",
            "motion_id": amendment,
            "motion": "amend",
            "applies_to": None,
            "well_taken": True,
            "code": "NOT_GERMANE",
            "reasons": "another proposal",
            "meeting": 1,
            "appeal": {
                "motion_id": appeal,
                "mover": "c4",
                "result": "reversed",
                "yes": 1,
                "no": 2,
            },
        }
    ]


def test_outcome_lists_a_point_of_order_ruling_sustained_on_appeal():
    log = Log().open()
    log.main(proposal="Q")
    amendment = log.motion("c4", "amend", "c5", text="fund R instead")
    point = log.motion("c6", "point_of_order", None, applies_to=amendment)
    log.add("rule", well_taken=False, reasons="the amendment is germane")
    log.motion("c6", "appeal", "c2", applies_to=point)

    log.vote(yes=["c1", "c2", "c3"], no=["c6"])
    (ruling,) = log.outcome()["rulings"]

    assert ruling["kind"] == "point"
    assert ruling["motion_id"] == point and ruling["applies_to"] == amendment
    assert ruling["well_taken"] is False
    assert ruling["reasons"] == "the amendment is germane"
    assert ruling["appeal"]["result"] == "sustained"


def test_an_answered_inquiry_is_not_a_ruling_in_the_outcome():
    log = Log().open()
    log.motion("c4", "inquiry", None)
    log.add("rule", well_taken=True, reasons="a majority is needed")

    assert log.outcome()["rulings"] == []


def test_a_refused_ruling_leaves_no_entry():
    log = Log().open()
    log.add("rule_out_of_order", code="NOT_GERMANE", reasons="nothing to rule on")

    outcome = log.outcome()

    assert outcome["results"][-1] == {"ok": False, "error": UNTIMELY}
    assert outcome["rulings"] == []


def test_point_of_order_on_the_vote_just_announced_is_timely():
    log = Log().open()
    main = log.main(proposal="Q")
    log.vote(yes=YES, no=NO)

    result = log.then_move("c6", "point_of_order", applies_to=main)

    assert result == {"ok": True}


def test_point_of_order_on_a_decided_motion_is_untimely_once_another_is_stated():
    log = Log().open()
    main = log.main(proposal="Q")
    log.vote(yes=YES, no=NO)
    log.main(proposal="R", text="fund R")

    result = log.then_move("c6", "point_of_order", applies_to=main)

    assert result == {"ok": False, "error": UNTIMELY}


def test_point_of_order_on_a_decided_amendment_is_untimely_once_debate_resumes():
    log = Log().open()
    log.main(proposal="Q")
    amendment = log.motion("c4", "amend", "c5", amount="1500")
    log.vote(yes=YES, no=NO)
    log.add("speak", member="c8")

    result = log.then_move("c6", "point_of_order", applies_to=amendment)

    assert result == {"ok": False, "error": UNTIMELY}


def test_point_of_order_on_a_continuing_breach_is_timely_at_any_time():
    log = Log().open()
    main = log.main(proposal="Q")
    log.vote(yes=YES, no=NO)
    log.main(proposal="R", text="fund R")
    point = log.move("c6", "point_of_order", applies_to=main, continuing=True)
    log.add("state")

    log.add("rule", well_taken=True, reasons="the grant exceeds the bylaws' cap")
    outcome = log.outcome()

    assert outcome["results"][point] == {"ok": True}
    assert outcome["rulings"][-1]["applies_to"] == main
    assert outcome["rulings"][-1]["well_taken"] is True
    assert outcome["motions"][main]["state"] == "ADOPTED"
    assert [p["motion"] for p in outcome["pending"]] == ["main"]


def test_point_of_order_naming_no_motion_is_timely_at_any_time():
    log = Log().open()
    log.main(proposal="Q")
    log.vote(yes=YES, no=NO)
    log.main(proposal="R", text="fund R")
    log.add("speak", member="c8")

    result = log.then_move("c6", "point_of_order")

    assert result == {"ok": True}
