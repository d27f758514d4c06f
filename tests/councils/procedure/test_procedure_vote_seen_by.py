"""A vote changes what two members see: the voter and the chair (issue 13).

The live page renders again only for them after a vote that changed nothing
in the engine's outcome but the votes cast (councils/live_version.py,
councils/services/events.py `_seen_only_by`); everyone else keeps what they
have. That holds only if no one else's actions changed either: this walks
meetings the engine allows and checks it at every vote."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.councils.procedure.incremental import kept
from tests.councils.procedure.test_procedure_contract import MEMBERS, SETUP
from tests.councils.procedure.test_procedure_kept_state import ONWARD, _worded


def _but_cast(outcome: dict) -> dict:
    return {**outcome, "cast": None}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_a_vote_changes_no_ones_actions_but_the_voters_and_the_chairs(data):
    state = kept(SETUP)
    for one in [{"type": "arrive", "member": m} for m in MEMBERS] + [
        {"type": "call_to_order", "chair": "X1"}
    ]:
        state.apply(one)
    for _step in range(data.draw(st.integers(1, 60), label="length")):
        member = data.draw(st.sampled_from(["X1"] * 4 + MEMBERS), label="who")
        offered = state.actions(member)
        votes = [a for a in offered if a["type"] == "vote"]
        onward = [a for a in offered if a["type"] in ONWARD]
        if votes and data.draw(st.booleans(), label="vote"):
            chosen = data.draw(st.sampled_from(votes), label="choice")
        elif onward and data.draw(st.integers(0, 3), label="onward") < 3:
            chosen = data.draw(st.sampled_from(onward), label="action")
        elif not state.engine.stack and not state.engine.awaiting:
            chosen = {"type": "move", "member": member, "motion": "main"}
        elif offered:
            chosen = data.draw(st.sampled_from(offered), label="action")
        else:
            continue
        chosen = _worded(chosen, None)
        before = state.outcome(results=False)
        others = {m: state.actions(m) for m in MEMBERS}
        if state.apply(chosen) is not None or chosen["type"] != "vote":
            continue
        after = state.outcome(results=False)
        if _but_cast(before) != _but_cast(after):
            continue  # the live page renders again for everyone
        seen_by = {chosen["member"], after["meeting"]["chair"]}
        for other in set(MEMBERS) - seen_by:
            assert state.actions(other) == others[other], (other, chosen)


def test_the_walk_reaches_votes_and_the_chairs_may_change():
    """The property above is not empty: a counted vote where the chair's own
    vote becomes possible (decisive) only after the others have voted."""
    state = kept(SETUP)
    for one in [{"type": "arrive", "member": m} for m in MEMBERS] + [
        {"type": "call_to_order", "chair": "X1"},
        {"type": "move", "member": "c1", "motion": "main", "text": "Kiln"},
        {"type": "second", "member": "c2"},
        {"type": "state"},
        {"type": "put_question", "method": "counted"},
    ]:
        assert state.apply(one) is None, one
    chair_before = state.actions("X1")
    c3_before = state.actions("c3")
    for voter, choice in [("c1", "yes"), ("c2", "yes"), ("c4", "no")]:
        assert state.apply({"type": "vote", "member": voter, "choice": choice}) is None

    # At 0–0 the chair's yes would carry it; at 2–1 only a no, which ties it,
    # decides (RONR 44:12).
    assert {"type": "vote", "member": "X1", "choice": "yes"} in chair_before
    chair_now = state.actions("X1")
    assert {"type": "vote", "member": "X1", "choice": "no"} in chair_now
    assert {"type": "vote", "member": "X1", "choice": "yes"} not in chair_now
    assert state.actions("c3") == c3_before
