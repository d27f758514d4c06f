import itertools

import pytest
from django.core.cache import cache

from tests.factories import make_council, make_meeting

_keys = itertools.count(1)


def next_key() -> str:
    return f"test-{next(_keys)}"


@pytest.fixture(autouse=True)
def _clear_outcome_cache():
    cache.clear()
    yield
    cache.clear()


class _CommitsAtOnce:
    """`transaction` for councils.services.events in tests: what it does on
    commit is done at once (a test's transaction never commits)."""

    def __init__(self, module):
        self._module = module

    def __getattr__(self, name):
        return getattr(self._module, name)

    @staticmethod
    def on_commit(func, using=None, robust=False):
        func()


@pytest.fixture(autouse=True)
def every_event_checks_the_kept_state(monkeypatch, request):
    """Every event appended in the council's tests starts from the engine's
    state kept for the meeting (councils/meeting_state.py): it must equal a
    replay of the meeting's stored log. In a test whose transaction never
    commits, the state is kept and the live version changed at once after
    each event, so each append takes the kept state's path, not the
    replay's, and the live page reads the room anew; tests that commit (on
    PostgreSQL, with threads) do both on commit, as in production."""
    from councils import live_version
    from councils import meeting_state as kept
    from councils.services import events

    loaded, replay = events.meeting_state, kept.meeting_state_build

    def checked(meeting, setup):
        state = loaded(meeting, setup)
        replayed = replay(meeting, setup)
        assert state.outcome() == replayed.outcome(), "kept state is not the replay"
        assert state.count == replayed.count == meeting.event_count
        return state

    monkeypatch.setattr(events, "meeting_state", checked)
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        monkeypatch.setattr(events, "transaction", _CommitsAtOnce(events.transaction))
        # The live version too: the live page reads the room kept under it.
        monkeypatch.setattr(
            live_version, "transaction", _CommitsAtOnce(live_version.transaction)
        )


@pytest.fixture
def council_meeting(db):
    """A council of a coordinator chair and five councillors, and a meeting."""
    council, chair, members = make_council(seats=5)
    meeting = make_meeting(council, chair=chair)
    return meeting, chair, members


@pytest.fixture
def key():
    return next_key


@pytest.fixture
def in_session(council_meeting):
    """Everyone checked in and the meeting called to order."""
    from councils import services

    meeting, chair, members = council_meeting
    for person in [chair, *members]:
        services.meeting_check_in(
            meeting=meeting, member=person, idempotency_key=next_key()
        )
    services.meeting_call_to_order(
        meeting=meeting, chair=chair, idempotency_key=next_key()
    )
    meeting.refresh_from_db()
    return meeting, chair, members


@pytest.fixture
def move_and_state():
    return _move_and_state


def _move_and_state(meeting, chair, mover, seconder, **motion):
    from councils import services

    services.motion_move(
        meeting=meeting, member=mover, idempotency_key=next_key(), **motion
    )
    services.motion_second(meeting=meeting, member=seconder, idempotency_key=next_key())
    services.motion_state(meeting=meeting, chair=chair, idempotency_key=next_key())
