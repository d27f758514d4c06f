"""An event applies to the engine's state kept for the meeting; a state missing,
behind the log or made for another setup is caught up or rebuilt (issue 13).

The council's tests keep the state at once after each event and check every
append against a replay (tests/councils/conftest.py); these tests take the
other paths on purpose.
"""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from councils import meeting_state as kept
from councils import services
from councils.meeting_state import state_key
from councils.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """How many times the whole log was replayed."""
    calls = []
    build = kept.meeting_state_build

    def counted(meeting, setup):
        calls.append(meeting.event_count)
        return build(meeting, setup)

    monkeypatch.setattr(kept, "meeting_state_build", counted)
    return calls


@pytest.fixture
def unchecked(monkeypatch):
    """Appends as in production, without the test suite's replay beside each."""
    from councils.services import events

    monkeypatch.setattr(events, "meeting_state", kept.meeting_state)


def _floor_and_yield(meeting, chair, member, key, times):
    for _ in range(times):
        services.floor_recognise(
            meeting=meeting, chair=chair, member=member, idempotency_key=key()
        )
        services.floor_yield(meeting=meeting, member=member, idempotency_key=key())


def test_a_vote_applies_to_the_kept_state_without_replaying_the_log(
    in_session, key, builds, move_and_state, unchecked
):
    meeting, chair, members = in_session
    _floor_and_yield(meeting, chair, members[2], key, 20)
    move_and_state(meeting, chair, members[0], members[1], motion="main", text="Kiln")
    services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=key()
    )
    builds.clear()

    with CaptureQueriesContext(connection) as queries:
        services.vote_cast(
            meeting=meeting, member=members[3], choice="yes", idempotency_key=key()
        )

    assert builds == []
    log_reads = [
        q["sql"]
        for q in queries
        if "ORDER BY" in q["sql"]
        and ('"councils_meetingevent"."sequence" ASC' in q["sql"])
    ]
    assert log_reads == []
    state = cache.get(state_key(Meeting.objects.get(pk=meeting.pk)))
    assert state.count == Meeting.objects.get(pk=meeting.pk).event_count


@pytest.mark.parametrize("extra", [4, 120])
def test_an_event_costs_the_same_queries_however_long_the_log(in_session, key, extra):
    meeting, chair, members = in_session
    _floor_and_yield(meeting, chair, members[2], key, extra)

    with CaptureQueriesContext(connection) as queries:
        services.floor_recognise(
            meeting=meeting, chair=chair, member=members[1], idempotency_key=key()
        )

    assert len(queries) == 8  # the lock reads whether a later meeting began


def test_a_state_behind_the_log_catches_up_with_the_events_it_lacks(
    in_session, key, builds
):
    """Another process committed events whose state is not kept yet (or an
    older state was kept after a newer one): the state reads only those."""
    meeting, chair, members = in_session
    behind = cache.get(state_key(meeting))
    assert behind is not None
    _floor_and_yield(meeting, chair, members[2], key, 3)
    cache.set(state_key(meeting), behind)
    builds.clear()

    services.floor_recognise(
        meeting=meeting, chair=chair, member=members[1], idempotency_key=key()
    )

    assert builds == []
    meeting.refresh_from_db()
    caught_up = cache.get(state_key(meeting))
    assert caught_up.count == meeting.event_count == behind.count + 7
    replayed = kept.meeting_state_build(meeting, meeting.setup)
    assert caught_up.outcome() == replayed.outcome()
    assert caught_up.outcome()["floor"] == str(members[1].pk)


def test_a_missing_state_is_rebuilt_by_replay(in_session, key, builds):
    meeting, chair, members = in_session
    cache.delete(state_key(meeting))

    services.floor_recognise(
        meeting=meeting, chair=chair, member=members[1], idempotency_key=key()
    )

    assert builds == [meeting.event_count]
    meeting.refresh_from_db()
    assert cache.get(state_key(meeting)).count == meeting.event_count


def test_a_state_ahead_of_the_log_is_rebuilt(in_session, key, builds):
    """A state of events the database does not hold (restored from a backup,
    say) is not trusted."""
    meeting, chair, members = in_session
    ahead = cache.get(state_key(meeting))
    ahead.apply({"type": "floor", "member": str(members[3].pk)})
    cache.set(state_key(meeting), ahead)

    services.floor_recognise(
        meeting=meeting, chair=chair, member=members[1], idempotency_key=key()
    )

    assert builds == [meeting.event_count]
    meeting.refresh_from_db()
    assert cache.get(state_key(meeting)).outcome()["floor"] == str(members[1].pk)


def test_a_state_made_for_another_setup_is_rebuilt(in_session, key, builds):
    """A proposal put on the agenda after the meeting began adds its
    recusals to the setup: the engine must be configured with them."""
    meeting, chair, members = in_session
    meeting.setup["recusals"]["4242"] = [str(members[1].pk)]
    meeting.save(update_fields=["setup"])

    services.floor_recognise(
        meeting=meeting, chair=chair, member=members[1], idempotency_key=key()
    )

    assert builds == [meeting.event_count]
    state = cache.get(state_key(Meeting.objects.get(pk=meeting.pk)))
    assert state.engine.recusals["4242"] == frozenset({str(members[1].pk)})


def test_a_refused_event_leaves_the_kept_state_as_it_was(in_session, key):
    meeting, chair, members = in_session
    before = cache.get(state_key(meeting))

    with pytest.raises(ValidationError, match="."):
        services.vote_cast(
            meeting=meeting, member=members[0], choice="yes", idempotency_key=key()
        )

    after = cache.get(state_key(meeting))
    assert after.count == before.count
    assert after.outcome() == before.outcome()
