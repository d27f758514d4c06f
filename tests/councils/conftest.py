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
