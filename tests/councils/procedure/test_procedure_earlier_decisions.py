"""Decisions of earlier meetings whose logs are not replayed (setup
`earlier_decisions`): a later meeting may rescind or amend them (RONR §35)."""

import json

from councils.procedure import actions_in_order
from councils.procedure.errors import (
    IRREVERSIBLE,
    OUT_OF_ORDER_RANK,
    RECONSIDER_TIME_LIMIT,
    RECUSED,
)
from tests.councils.procedure.meetings import COUNCILLORS, Log, refused

GRANT = {
    "ref": "minutes-3/item-2",
    "motion": "main",
    "text": "that the council fund Q for ¥2,000",
    "proposal": "Q",
    "amount": "2000",
    "mover": "c4",
}
REPAIR = {
    "ref": "minutes-3/item-5",
    "motion": "main",
    "text": "that the council repair the hall",
    "proposal": None,
    "amount": None,
    "mover": None,
}


def later_meeting(*earlier, present=None) -> Log:
    log = Log(earlier_decisions=list(earlier or [GRANT]))
    return log.open(present)


def rescind_vote(log: Log, yes, no, **fields) -> dict:
    """A rescind of decision 0, seconded, stated and voted; returns motion -1."""
    log.motion("c2", "rescind", "c3", applies_to=0, **fields)
    log.vote(yes=yes, no=no, method="rising")
    return log.outcome()["motions"][-1]


def test_earlier_decisions_are_motions_with_negative_ids_and_the_first_decisions():
    log = later_meeting(GRANT, REPAIR)
    main = log.main(proposal="R", text="fund R", amount="500")
    log.vote(yes=["c1", "c2", "c3", "c4"], no=["c5"])
    outcome = log.outcome()

    assert outcome["motions"][-1] == {
        "motion": "main",
        "mover": "c4",
        "seconder": None,
        "text": "that the council fund Q for ¥2,000",
        "state": "ADOPTED",
        "original_text": "that the council fund Q for ¥2,000",
        "amount": "2000",
        "original_amount": "2000",
        "proposal": "Q",
        "applies_to": None,
        "meeting": 0,
        "ref": "minutes-3/item-2",
        "tabled_at": None,
    }
    assert outcome["motions"][-2]["ref"] == "minutes-3/item-5"
    assert outcome["motions"][main]["ref"] is None
    assert [d["motion_id"] for d in outcome["decisions"]] == [-1, -2, main]
    assert outcome["decisions"][0] == {
        "motion_id": -1,
        "motion": "main",
        "text": "that the council fund Q for ¥2,000",
        "result": "adopted",
        "yes": 0,
        "no": 0,
        "abstain": 0,
        "illegal": 0,
        "blank": 0,
        "basis": "majority",
        "method": "earlier",
        "voters": {},
        "meeting": 0,
    }


def test_the_outcome_with_earlier_decisions_is_json_serialisable():
    log = later_meeting(GRANT, REPAIR)
    rescind_vote(log, COUNCILLORS[:8], COUNCILLORS[8:11])
    outcome = log.outcome()

    again = json.loads(json.dumps(outcome))

    assert again["motions"]["-1"]["state"] == "RESCINDED"
    assert again["decisions"][0]["method"] == "earlier"


def test_entries_that_are_not_main_motions_are_skipped():
    log = Log(earlier_decisions=["grant", {**GRANT, "motion": "amend"}, REPAIR])

    outcome = log.outcome()

    assert list(outcome["motions"]) == [-1]
    assert outcome["motions"][-1]["ref"] == REPAIR["ref"]


def test_rescind_of_an_earlier_decision_is_adopted_by_two_thirds():
    log = later_meeting()

    grant = rescind_vote(log, COUNCILLORS[:8], COUNCILLORS[8:11])

    assert grant["state"] == "RESCINDED"
    assert log.outcome()["decisions"][1]["result"] == "adopted"


def test_rescind_of_an_earlier_decision_is_lost_without_two_thirds_or_notice():
    log = later_meeting()

    grant = rescind_vote(log, COUNCILLORS[:6], COUNCILLORS[6:11])

    assert grant["state"] == "ADOPTED"
    assert log.outcome()["decisions"][1]["result"] == "lost"


def test_rescind_of_an_earlier_decision_is_adopted_by_majority_with_notice():
    log = later_meeting()

    grant = rescind_vote(log, COUNCILLORS[:6], COUNCILLORS[6:11], previous_notice=True)

    assert grant["state"] == "RESCINDED"


def test_rescind_of_an_earlier_decision_is_adopted_by_the_entire_membership():
    # 21 members: 11 yes is a majority of them, though 11-9 is not 2/3.
    log = later_meeting(present=COUNCILLORS)

    grant = rescind_vote(log, COUNCILLORS[:11], COUNCILLORS[11:])

    assert grant["state"] == "RESCINDED"


def test_rescinding_an_earlier_decision_twice_is_out_of_order():
    log = later_meeting()
    rescind_vote(log, COUNCILLORS[:8], COUNCILLORS[8:11])

    assert refused(log.then_move("c2", "rescind", applies_to=0), OUT_OF_ORDER_RANK)


def test_rescind_of_an_earlier_decision_carried_out_is_irreversible():
    log = later_meeting()

    executed = log.then("executed", applies_to=0)

    assert executed == {"ok": True}
    assert refused(log.then_move("c2", "rescind", applies_to=0), IRREVERSIBLE)
    assert refused(
        log.then_move("c2", "amend_previously_adopted", applies_to=0, amount="900"),
        IRREVERSIBLE,
    )


def test_an_earlier_decision_cannot_be_reconsidered():
    log = later_meeting()

    result = log.then_move("c4", "reconsider", applies_to=0)

    assert refused(result, RECONSIDER_TIME_LIMIT)


def test_amend_previously_adopted_changes_the_amount_of_an_earlier_decision():
    log = later_meeting()

    log.motion("c2", "amend_previously_adopted", "c3", applies_to=0, amount="900")
    log.vote(yes=COUNCILLORS[:8], no=COUNCILLORS[8:11], method="rising")
    grant = log.outcome()["motions"][-1]

    assert (grant["state"], grant["amount"], grant["original_amount"]) == (
        "AMENDED_AFTER_ADOPTION",
        "900",
        "2000",
    )


def test_an_amended_earlier_decision_may_still_be_rescinded():
    log = later_meeting()
    log.motion("c2", "amend_previously_adopted", "c3", applies_to=0, amount="900")
    log.vote(yes=COUNCILLORS[:8], no=COUNCILLORS[8:11], method="rising")

    grant = rescind_vote(log, COUNCILLORS[:8], COUNCILLORS[8:11])

    assert grant["state"] == "RESCINDED"


def test_a_new_meeting_with_its_own_setup_does_not_add_earlier_decisions_again():
    log = Log(earlier_decisions=[GRANT, REPAIR])
    log.add("new_meeting", kind="regular", setup=dict(log.setup))
    log.open()
    main = log.main(proposal="R", text="fund R")
    log.vote(yes=["c1", "c2", "c3", "c4"], no=["c5"])
    outcome = log.outcome()

    assert outcome["results"][0] == {"ok": True}
    assert outcome["meeting"]["number"] == 2
    assert sorted(m for m in outcome["motions"] if m < 0) == [-2, -1]
    assert [d["motion_id"] for d in outcome["decisions"]] == [-1, -2, main]


def test_an_earlier_decision_may_be_rescinded_at_a_later_meeting_of_the_log():
    log = later_meeting()
    log.motion("c1", "adjourn", "c2")
    log.vote(yes=COUNCILLORS[:6], no=COUNCILLORS[6:11])
    log.add("new_meeting", kind="regular")
    log.open()

    grant = rescind_vote(log, COUNCILLORS[:8], COUNCILLORS[8:11])

    assert log.outcome()["meeting"]["number"] == 2
    assert grant["state"] == "RESCINDED"


def test_a_member_recused_from_its_proposal_may_not_move_or_vote_on_the_rescind():
    log = later_meeting({**GRANT, "proposal": "P"})  # c7 is recused from P

    assert refused(log.then_move("c7", "rescind", applies_to=0), RECUSED)
    rescind = log.motion("c2", "rescind", "c3", applies_to=0)
    assert [p["id"] for p in log.outcome()["pending"]] == [rescind]
    log.add("put_question", method="rising")

    assert refused(log.then("vote", member="c7", choice="yes"), RECUSED)


def test_a_member_recused_from_its_proposal_may_not_second_the_rescind():
    log = later_meeting({**GRANT, "proposal": "P"})
    log.move("c2", "rescind", applies_to=0)

    assert refused(log.then("second", member="c7"), RECUSED)


def test_actions_offer_rescind_and_amend_of_an_earlier_decision_not_reconsider():
    log = later_meeting()

    actions = actions_in_order(log.setup, log.events, "c2")
    moves = {(a["motion"], a.get("applies_to")) for a in actions if a["type"] == "move"}

    assert ("rescind", 0) in moves
    assert ("amend_previously_adopted", 0) in moves
    assert ("reconsider", 0) not in moves


def test_without_earlier_decisions_nothing_is_added():
    log = Log().open()

    outcome = log.outcome()

    assert outcome["motions"] == {}
    assert outcome["decisions"] == []
