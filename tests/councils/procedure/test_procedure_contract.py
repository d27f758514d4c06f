"""The shape of `replay`'s outcome (§1), the in-order actions, and properties."""

import ast
import json
import pathlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from councils.procedure import ERROR_CODES, MOTIONS, actions_in_order, replay
from tests.bench.replay import benchmark_events, benchmark_setup, replay_benchmark
from tests.councils.procedure.meetings import COUNCILLORS, Log

PACKAGE = pathlib.Path(__file__).parents[3] / "councils" / "procedure"


def test_outcome_has_the_five_documented_keys_and_six_of_its_own_when_replayed():
    """§1's five keys, plus `rulings` that the minutes need (§6),
    `unfinished` that the next meeting's agenda needs (§2.5), `divisions`
    of questions (I5), the open `consent_calendar` (U2),
    `reconsiderations` that may be called up (B4) and the `interests`
    members declared (§4.6 C1)."""
    log = Log().open()
    log.main()

    assert set(log.outcome()) == {
        "results",
        "meeting",
        "pending",
        "motions",
        "decisions",
        "rulings",
        "unfinished",
        "divisions",
        "consent_calendar",
        "reconsiderations",
        "interests",
    }


def test_outcome_is_json_serialisable_when_a_long_meeting_is_replayed():
    outcome = replay(benchmark_setup(), benchmark_events(600))

    assert json.loads(json.dumps(outcome))["meeting"]["state"] == "IN_SESSION"


def test_replay_is_deterministic_when_run_twice():
    setup, events = benchmark_setup(), benchmark_events(400)

    assert replay(setup, events) == replay(setup, events)


def test_every_event_is_accepted_when_the_benchmark_meeting_is_replayed():
    outcome = replay(benchmark_setup(), benchmark_events(2000))

    assert all(result["ok"] for result in outcome["results"])
    assert len(outcome["decisions"]) > 50


def test_replay_of_two_thousand_events_is_well_under_fifty_ms_when_timed():
    assert replay_benchmark(2000) < 50


def test_package_imports_nothing_from_django_when_read():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.startswith("django") for name in names), path


def test_unknown_event_is_refused_when_replayed():
    outcome = replay({}, [{"type": "dance"}, "not a dict", {}])

    assert [r.get("error") for r in outcome["results"]] == ["UNTIMELY"] * 3


def test_actions_offer_second_and_amend_when_a_main_motion_was_just_stated():
    log = Log().open()
    log.main()

    actions = actions_in_order(log.setup, log.events, "c5")

    kinds = {(a["type"], a.get("motion")) for a in actions}
    assert ("move", "amend") in kinds
    assert ("move", "main") not in kinds
    assert ("speak", None) in kinds


def test_actions_offer_only_voting_when_a_vote_is_being_taken():
    log = Log().open()
    log.main()
    log.add("put_question", method="counted")

    actions = actions_in_order(log.setup, log.events, "c5")

    assert {a["type"] for a in actions} <= {"vote", "move", "leave"}
    assert {a["choice"] for a in actions if a["type"] == "vote"} == {
        "yes",
        "no",
        "abstain",
    }


def test_actions_offer_no_vote_when_the_member_is_recused():
    log = Log().open(["c7", *COUNCILLORS[:10]])
    log.main()
    log.add("put_question", method="counted")

    actions = actions_in_order(log.setup, log.events, "c7")

    assert not [a for a in actions if a["type"] == "vote"]


def test_actions_offer_the_chair_put_question_when_debate_is_over():
    log = Log().open()
    log.main()

    actions = actions_in_order(log.setup, log.events, "X1")

    assert {"type": "put_question", "method": "counted"} in actions
    assert {"type": "put_question", "method": "ballot"} not in actions


def test_every_accepted_action_is_accepted_when_appended():
    """Once the page adds the wording an action needs (a division's parts)."""
    log = Log().open()
    log.main()
    log.motion("c4", "amend", "c5", amount="1500")

    for action in actions_in_order(log.setup, log.events, "c9"):
        if action.get("motion") == "division_of_question":
            action = {**action, "parts": ["in Ward 1", "in Ward 2"]}
        assert replay(log.setup, [*log.events, action])["results"][-1]["ok"], action


def test_actions_offer_a_division_of_the_question_without_its_parts():
    log = Log().open()
    log.main()

    actions = actions_in_order(log.setup, log.events, "c9")

    division = {"type": "move", "member": "c9", "motion": "division_of_question"}
    assert division in actions


MEMBERS = ["X1", "c1", "c2", "c3", "c4", "c5", "c7"]
event = st.one_of(
    st.builds(lambda m: {"type": "arrive", "member": m}, st.sampled_from(MEMBERS)),
    st.builds(lambda m: {"type": "leave", "member": m}, st.sampled_from(MEMBERS)),
    st.just({"type": "call_to_order", "chair": "X1"}),
    st.builds(lambda m: {"type": "floor", "member": m}, st.sampled_from(MEMBERS)),
    st.builds(
        lambda m, kind, target, proposal: {
            "type": "move",
            "member": m,
            "motion": kind,
            "applies_to": target,
            "proposal": proposal,
            "amount": "100",
        },
        st.sampled_from(MEMBERS),
        st.sampled_from(sorted(MOTIONS)),
        st.one_of(st.none(), st.integers(0, 40)),
        st.sampled_from([None, "P", "Q"]),
    ),
    st.builds(lambda m: {"type": "second", "member": m}, st.sampled_from(MEMBERS)),
    st.sampled_from(
        [
            {"type": "state"},
            {"type": "no_second"},
            {"type": "announce"},
            {"type": "unanimous_consent", "text": "x"},
            {"type": "rule", "well_taken": True},
            {"type": "rule_out_of_order", "code": "NOT_GERMANE"},
            {"type": "reconvene"},
            {"type": "new_meeting", "kind": "regular"},
            {"type": "put_question", "method": "counted"},
            {"type": "put_question", "method": "voice"},
        ]
    ),
    st.builds(
        lambda m, c: {"type": "vote", "member": m, "choice": c},
        st.sampled_from(MEMBERS),
        st.sampled_from(["yes", "no", "abstain"]),
    ),
    st.builds(lambda m: {"type": "speak", "member": m}, st.sampled_from(MEMBERS)),
    st.builds(lambda m: {"type": "object", "member": m}, st.sampled_from(MEMBERS)),
    st.builds(
        lambda proposal: {
            "type": "consent_calendar",
            "text": "x",
            "proposal": proposal,
        },
        st.sampled_from([None, "P", "Q"]),
    ),
    st.builds(
        lambda m, item: {"type": "remove_from_calendar", "member": m, "item": item},
        st.sampled_from(MEMBERS),
        st.integers(0, 40),
    ),
    st.builds(
        lambda m, target: {"type": "call_up", "member": m, "applies_to": target},
        st.sampled_from(MEMBERS),
        st.integers(0, 40),
    ),
    st.builds(
        lambda m, target, parts: {
            "type": "move",
            "member": m,
            "motion": "division_of_question",
            "applies_to": target,
            "parts": parts,
        },
        st.sampled_from(MEMBERS),
        st.one_of(st.none(), st.integers(0, 40)),
        st.sampled_from([["a", "b"], ["a", "b", "c"], ["a"]]),
    ),
    st.builds(
        lambda m, target: {
            "type": "move",
            "member": m,
            "motion": "point_of_order",
            "applies_to": target,
            "continuing": True,
        },
        st.sampled_from(MEMBERS),
        st.integers(0, 40),
    ),
)
SETUP = {
    "members": [{"id": m, "voting": True} for m in MEMBERS],
    "quorum": 3,
    "recusals": {"P": ["c7"]},
    "consent_calendar": True,
}


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(event, max_size=40))
def test_replay_never_raises_and_uses_only_documented_codes_when_events_are_random(
    events,
):
    outcome = replay(SETUP, events)

    assert len(outcome["results"]) == len(events)
    assert {r["error"] for r in outcome["results"] if not r["ok"]} <= set(ERROR_CODES)
    json.dumps(outcome)


def _state_of(outcome: dict) -> str:
    return json.dumps({k: v for k, v in outcome.items() if k != "results"})


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(event, max_size=30), st.data())
def test_refused_event_changes_nothing_when_removed_from_the_log(events, data):
    outcome = replay(SETUP, events)
    refused = [i for i, r in enumerate(outcome["results"]) if not r["ok"]]
    if not refused:
        return
    index = data.draw(st.sampled_from(refused))
    # Cut the log just after the refused event, so no motion id shifts.
    prefix = events[: index + 1]

    with_refused = replay(SETUP, prefix)
    without = replay(SETUP, prefix[:-1])

    assert _state_of(with_refused) == _state_of(without)
