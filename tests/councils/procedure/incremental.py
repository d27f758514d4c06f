"""The kept state of a meeting against the replay of its log (issue 13)."""

import pickle

from councils.meeting_state import MeetingState
from councils.procedure import Engine, actions_in_order, replay

# Logs already checked in this process (a scenario asks for its outcome often).
_checked: set[str] = set()


def floor_holder(events: list) -> str | None:
    """Who holds the floor after these events (as the live page said before
    the state was kept: over the whole list at once)."""
    holder = None
    for event in events:
        kind = event.get("type") if isinstance(event, dict) else None
        if kind == "floor":
            holder = event.get("member")
        elif kind in ("yield", "move", "leave") and event.get("member") == holder:
            holder = None
        elif kind in ("announce", "new_meeting"):
            holder = None
    return holder


def votes_cast(setup: dict, events: list) -> dict:
    """The votes cast on the question being voted on, by a fresh replay."""
    engine = Engine(setup)
    for index, event in enumerate(events):
        engine.apply(index, event)
    vote = engine.vote
    return dict(vote.choices) if vote is not None and not vote.consent else {}


def kept(setup: dict) -> MeetingState:
    return MeetingState(engine=Engine(setup), offset=0, setup="")


def through_the_cache(state: MeetingState) -> MeetingState:
    """The state as another request reads it back from the cache."""
    return pickle.loads(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))


def assert_incremental_equals_replay(
    setup: dict, events: list, *, members: tuple = ()
) -> None:
    """Apply `events` one at a time to a kept state, through the cache between
    events; after each, its outcome is the replay's of the log so far (and the
    actions of `members` are `actions_in_order`'s). The outcome taken before
    an event is not changed by applying it."""
    marker = repr((setup, events, members))
    if marker in _checked:
        return
    state = kept(setup)
    for index, event in enumerate(events):
        before = state.outcome()
        before_copy = pickle.loads(pickle.dumps(before))
        state = through_the_cache(state)
        state.apply(event)
        assert before == before_copy, f"applying event {index} changed the outcome"
        expected = {**replay(setup, events[: index + 1]), "log_offset": 0}
        found = state.outcome()
        assert found.pop("floor") == floor_holder(events[: index + 1])
        assert found.pop("cast") == votes_cast(setup, events[: index + 1])
        assert found == expected, f"the kept state differs after event {index}"
        for member in members:
            assert state.actions(member) == actions_in_order(
                setup, events[: index + 1], member
            ), f"{member}'s actions differ after event {index}"
    _checked.add(marker)
