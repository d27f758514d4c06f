"""The engine's state of a meeting, kept between requests with its version.

Appending an event used to read the meeting's whole log and replay it under
the meeting's row lock, so every vote of a busy meeting waited for the votes
before it to replay the meeting. Instead the engine that has applied the log
is kept in the cache (pickled) with what it is the state of: the number of
the meeting's own events applied, where they begin in the whole log
(`log_offset`) and a digest of the setup it was configured with. Appending
applies the one new event to it, and the state is stored again once the
event is committed.

A state found with fewer events than the meeting has (another process's
commit not stored yet, or an older one stored after it) catches up with the
events it lacks; one that is missing or was made for another setup or log
(a proposal put on the agenda changes the recusals) is rebuilt by replaying
the whole log, as before. Whatever path, the engine gives what `replay` of
the whole log gives (tests/councils/test_council_meeting_state.py).
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder

from .logs import meeting_log
from .models import Meeting
from .procedure import Engine, engine_actions

STATE_CACHE_SECONDS = 6 * 3600


def floor_after(holder: str | None, event: dict) -> str | None:
    """Who holds the floor after one more (accepted) event."""
    if not isinstance(event, dict):
        return holder
    kind = event.get("type")
    if kind == "floor":
        return event.get("member")
    if kind in ("yield", "move", "leave") and event.get("member") == holder:
        return None
    if kind in ("announce", "new_meeting"):
        return None
    return holder


def setup_digest(setup: dict) -> str:
    text = json.dumps(setup, sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass
class MeetingState:
    """An engine that has applied a meeting's whole log up to its own event
    `count`; `codes` are the engine's answers to every event of the log
    (None: accepted), `floor` who holds the floor after the meeting's own."""

    engine: Engine
    offset: int
    setup: str
    count: int = 0
    codes: list = field(default_factory=list)
    floor: str | None = None
    # The row (pk) of the meeting's last `put_question` event, which a vote's
    # row names as its question; `question_known` once the state has seen
    # every event's row (a state kept before it was kept does not know it).
    question: int | None = None
    question_known: bool = False

    def apply(self, event: dict, *, pk: int | None = None) -> str | None:
        """Apply one more event of the meeting's own (`pk`: its row, once
        stored); the engine's code (None if accepted). A refused event
        changes nothing but its answer, as in `replay`."""
        code = self.engine.apply(len(self.codes), event)
        self.codes.append(code)
        self.count += 1
        self.floor = floor_after(self.floor, event)
        if isinstance(event, dict) and event.get("type") == "put_question":
            self.question_stored(pk)
        return code

    def question_stored(self, pk: int | None) -> None:
        """The row of the `put_question` event just applied."""
        self.question = pk
        self.question_known = pk is not None

    def outcome(self, *, results: bool = True) -> dict:
        """The outcome `selectors.meeting_outcome` gives: the engine's, with
        `log_offset`, `floor` and `cast` (a new object: applying more events
        later does not change it). Without `results` (an answer per event of the
        log, which the pages never read) it is a few hundred bytes whatever
        the length of the log, so the cache gives it back at once."""
        answers = [
            {"ok": True} if code is None else {"ok": False, "error": code}
            for code in (self.codes if results else ())
        ]
        vote = self.engine.vote
        outcome = {
            **self.engine.outcome(answers),
            "log_offset": self.offset,
            "floor": self.floor,
            # The votes cast so far on the question being voted on (each
            # member's own is shown to them alone, even in a ballot).
            "cast": dict(vote.choices) if vote is not None and not vote.consent else {},
        }
        if not results:
            del outcome["results"]
        return outcome

    def actions(self, member: str) -> list[dict]:
        """The events `member` may make now (`actions_in_order`)."""
        return engine_actions(self.engine, len(self.codes), member)


def state_key(meeting: Meeting) -> str:
    return f"councils:state:{meeting.pk}:{meeting.log_from_id}"


def meeting_state_build(meeting: Meeting, setup: dict) -> MeetingState:
    """Replay the meeting's whole log (its own events read here)."""
    rows = []
    if meeting.event_count:
        rows = list(
            meeting.events.filter(sequence__lte=meeting.event_count)
            .order_by("sequence")
            .values_list("pk", "payload")
        )
    own = [payload for _pk, payload in rows]
    log = meeting_log(meeting, own, setup)
    engine = Engine(log.setup)
    state = MeetingState(engine=engine, offset=log.offset, setup=setup_digest(setup))
    for index, event in enumerate(log.events[: log.offset]):
        state.codes.append(engine.apply(index, event))
    state.question_known = True  # every row is read here
    for pk, event in rows:
        state.apply(event, pk=pk)
    return state


def meeting_state(meeting: Meeting, setup: dict) -> MeetingState:
    """The engine's state after the meeting's `event_count` events.

    From the cache when it is this log's and setup's, catching up with the
    events stored since; else rebuilt by replay. The caller may apply events
    to it: it is its own copy.
    """
    return meeting_state_read(meeting, setup)[0]


def meeting_state_read(meeting: Meeting, setup: dict) -> tuple[MeetingState, bool]:
    """`meeting_state`, and whether it is news to the cache (caught up or
    rebuilt here): a state read as it was kept need not be stored again."""
    state = cache.get(state_key(meeting)) if meeting.event_count else None
    if (
        state is None
        or state.offset != (meeting.log_offset or 0)
        or state.count > meeting.event_count
        or state.setup != setup_digest(setup)
    ):
        return meeting_state_build(meeting, setup), True
    if state.count == meeting.event_count:
        return state, False
    missing = (
        meeting.events.filter(
            sequence__gt=state.count, sequence__lte=meeting.event_count
        )
        .order_by("sequence")
        .values_list("pk", "payload")
    )
    for pk, event in missing:
        state.apply(event, pk=pk)
    if state.count != meeting.event_count:  # a gap: the log is not as kept
        return meeting_state_build(meeting, setup), True
    return state, True


def meeting_state_store(meeting: Meeting, state: MeetingState) -> None:
    """Keep the state for the next request (only states of committed events)."""
    if state.count:
        cache.set(state_key(meeting), state, STATE_CACHE_SECONDS)
