"""The consent calendar (U2, RONR 41:32), under the council's special rule."""

from councils.procedure import actions_in_order
from councils.procedure.errors import (
    CHAIR_MUST_VACATE,
    MAIN_WHILE_PENDING,
    UNTIMELY,
)
from tests.councils.procedure.meetings import Log, refused

ITEMS = [
    {"text": "fund Q's benches for ¥300", "proposal": "Q", "amount": "300"},
    {"text": "fund R's lamps for ¥500", "proposal": "R", "amount": "500"},
    {"text": "fund S's signs for ¥100", "proposal": "S", "amount": "100"},
]


def calendar() -> tuple[Log, list[int]]:
    log = Log(consent_calendar=True).open()
    ids = [log.add("consent_calendar", **item) for item in ITEMS]
    return log, ids


def test_consent_calendar_is_refused_when_the_council_does_not_use_one():
    log = Log().open()

    result = log.then("consent_calendar", **ITEMS[0])

    assert refused(result, UNTIMELY)


def test_items_on_the_calendar_are_listed_until_adopted():
    log, ids = calendar()

    outcome = log.outcome()

    assert outcome["consent_calendar"] == [
        {"id": ids[0], "text": ITEMS[0]["text"], "proposal": "Q", "amount": "300"},
        {"id": ids[1], "text": ITEMS[1]["text"], "proposal": "R", "amount": "500"},
        {"id": ids[2], "text": ITEMS[2]["text"], "proposal": "S", "amount": "100"},
    ]
    assert outcome["motions"] == {}


def test_remaining_items_are_adopted_together_when_nobody_objects():
    log, ids = calendar()
    log.add("unanimous_consent")

    log.add("announce")
    outcome = log.outcome()

    assert outcome["consent_calendar"] == []
    assert [outcome["motions"][i]["state"] for i in ids] == ["ADOPTED"] * 3
    assert outcome["motions"][ids[1]]["amount"] == "500"
    assert [
        (d["motion_id"], d["motion"], d["text"], d["result"], d["method"])
        for d in outcome["decisions"]
    ] == [
        (i, "main", item["text"], "adopted", "unanimous_consent")
        for i, item in zip(ids, ITEMS, strict=True)
    ]


def test_one_members_request_removes_an_item_without_a_second_or_a_vote():
    log, ids = calendar()

    removed = log.then("remove_from_calendar", member="c9", item=ids[1])
    log.add("unanimous_consent")
    log.add("announce")
    outcome = log.outcome()

    assert removed == {"ok": True}
    assert [d["motion_id"] for d in outcome["decisions"]] == [ids[0], ids[2]]
    assert outcome["motions"][ids[1]]["state"] == "PENDING"
    assert outcome["unfinished"] == [{"id": ids[1], "kind": "order", "meeting": 1}]


def test_removed_item_is_taken_up_and_voted_on_as_a_main_motion():
    log, ids = calendar()
    log.add("remove_from_calendar", member="c9", item=ids[1])
    log.add("unanimous_consent")
    log.add("announce")

    log.add("state")
    log.vote(yes=["c1", "c2"], no=["c3", "c4", "c5"])
    outcome = log.outcome()

    assert outcome["motions"][ids[1]]["state"] == "LOST"
    assert outcome["decisions"][-1]["motion_id"] == ids[1]


def test_an_item_may_be_removed_while_consent_is_being_asked():
    log, ids = calendar()
    log.add("unanimous_consent")

    log.add("remove_from_calendar", member="c9", item=ids[0])
    log.add("announce")

    decisions = log.outcome()["decisions"]
    assert [d["motion_id"] for d in decisions] == [ids[1], ids[2]]


def test_objection_leaves_the_calendar_open_and_adopts_nothing():
    log, ids = calendar()
    log.add("unanimous_consent")

    log.add("object", member="c9")
    outcome = log.outcome()

    assert outcome["decisions"] == []
    assert [item["id"] for item in outcome["consent_calendar"]] == ids


def test_remove_from_calendar_is_untimely_when_the_item_is_not_on_it():
    log, ids = calendar()
    log.add("remove_from_calendar", member="c9", item=ids[0])

    result = log.then("remove_from_calendar", member="c8", item=ids[0])

    assert refused(result, UNTIMELY)


def test_main_motion_is_refused_while_the_calendar_is_open():
    log, _ = calendar()

    result = log.then_move("c2", "main", text="fund T")

    assert refused(result, MAIN_WHILE_PENDING)


def test_calendar_item_is_refused_while_a_motion_is_pending():
    log = Log(consent_calendar=True).open()
    log.main(proposal="Q")

    result = log.then("consent_calendar", **ITEMS[1])

    assert refused(result, MAIN_WHILE_PENDING)


def test_recused_chair_must_vacate_before_asking_consent_on_its_proposal():
    log = Log(consent_calendar=True, recusals={"R": ["X1"]}).open()
    log.add("consent_calendar", **ITEMS[1])

    result = log.then("unanimous_consent")

    assert refused(result, CHAIR_MUST_VACATE)


def test_items_left_on_the_calendar_at_adjournment_are_unfinished_business():
    log, ids = calendar()
    log.motion("c4", "adjourn", "c5")

    log.vote(yes=["c1", "c2"], no=["c3"])
    outcome = log.outcome()

    assert outcome["consent_calendar"] == []
    assert [item["id"] for item in outcome["unfinished"]] == ids


def test_actions_offer_the_removal_to_members_and_the_calendar_to_the_chair():
    log, ids = calendar()

    member = actions_in_order(log.setup, log.events, "c9")
    chair = actions_in_order(log.setup, log.events, "X1")

    assert {"type": "remove_from_calendar", "member": "c9", "item": ids[2]} in member
    assert {"type": "consent_calendar"} in chair
    assert {"type": "unanimous_consent"} in chair
