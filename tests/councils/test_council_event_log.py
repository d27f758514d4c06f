"""The meeting's event log: only what the engine accepts is stored, once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from councils import services
from councils.models import MeetingEvent, Vote
from councils.selectors import meeting_outcome
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_a_refused_event_is_not_stored_and_says_why_in_words(in_session, key):
    meeting, chair, members = in_session
    count = meeting.events.count()

    with pytest.raises(ValidationError, match="needs a second") as refused:
        services.motion_move(
            meeting=meeting,
            member=members[0],
            motion="main",
            text="Buy chairs",
            idempotency_key=key(),
        )
        services.motion_state(meeting=meeting, chair=chair, idempotency_key=key())

    assert refused.value.code == "NEEDS_SECOND"
    assert meeting.events.count() == count + 1  # the move, not the refused state


def test_the_refusal_is_in_the_readers_language(in_session, key):
    meeting, chair, members = in_session

    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="not in order") as refused,
    ):
        services.motion_second(
            meeting=meeting, member=members[0], idempotency_key=key()
        )

    assert refused.value.code == "UNTIMELY"
    assert "not in order" in refused.value.messages[0]


def test_a_retry_with_the_same_key_is_applied_once(in_session):
    meeting, chair, members = in_session
    count = meeting.events.count()

    first = services.motion_move(
        meeting=meeting,
        member=members[0],
        motion="main",
        text="Buy chairs",
        idempotency_key="retry-1",
    )
    again = services.motion_move(
        meeting=meeting,
        member=members[0],
        motion="main",
        text="Buy chairs",
        idempotency_key="retry-1",
    )

    assert first.pk == again.pk
    assert meeting.events.count() == count + 1


def test_events_are_numbered_in_order_with_who_and_when(in_session):
    meeting, chair, members = in_session

    rows = list(MeetingEvent.objects.filter(meeting=meeting).order_by("sequence"))

    assert [row.sequence for row in rows] == list(range(1, len(rows) + 1))
    assert rows[0].actor == chair and rows[0].type == "arrive"
    assert rows[-1].type == "call_to_order" and rows[-1].created_at is not None


def test_only_the_chair_gives_the_chairs_events(in_session, key):
    meeting, chair, members = in_session

    with pytest.raises(PermissionDenied, match="Only the chair"):
        services.motion_state(meeting=meeting, chair=members[0], idempotency_key=key())


def test_a_member_cannot_act_for_someone_else(in_session, key):
    meeting, chair, members = in_session

    with pytest.raises(PermissionDenied, match="for yourself"):
        services.meeting_event_append(
            meeting=meeting,
            actor=members[0],
            idempotency_key=key(),
            event={"type": "second", "member": str(members[1].pk)},
        )


def _vote_open(meeting, chair, members, move_and_state, key):
    move_and_state(
        meeting, chair, members[0], members[1], motion="main", text="Buy chairs"
    )
    services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=key()
    )


def test_a_vote_by_someone_not_on_the_council_is_refused(
    in_session, key, move_and_state
):
    meeting, chair, members = in_session
    _vote_open(meeting, chair, members, move_and_state, key)
    outsider = make_member(meeting.council.community)

    with pytest.raises(PermissionDenied, match="Only members of the council"):
        services.vote_cast(
            meeting=meeting, member=outsider, choice="yes", idempotency_key=key()
        )


def test_a_vote_by_an_absent_member_is_refused(council_meeting, key, move_and_state):
    meeting, chair, members = council_meeting
    for person in [chair, *members[:4]]:
        services.meeting_check_in(meeting=meeting, member=person, idempotency_key=key())
    services.meeting_call_to_order(meeting=meeting, chair=chair, idempotency_key=key())
    _vote_open(meeting, chair, members, move_and_state, key)

    with pytest.raises(ValidationError, match="present") as refused:
        services.vote_cast(
            meeting=meeting, member=members[4], choice="yes", idempotency_key=key()
        )

    assert refused.value.code == "NOT_PRESENT"
    assert not Vote.objects.filter(member=members[4]).exists()


def test_a_vote_after_the_announcement_is_refused(in_session, key, move_and_state):
    meeting, chair, members = in_session
    _vote_open(meeting, chair, members, move_and_state, key)
    services.vote_cast(
        meeting=meeting, member=members[0], choice="yes", idempotency_key=key()
    )
    services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())

    with pytest.raises(ValidationError, match="not in order at this time") as refused:
        services.vote_cast(
            meeting=meeting, member=members[2], choice="no", idempotency_key=key()
        )

    assert refused.value.code == "UNTIMELY"


def test_a_changed_vote_keeps_one_row_and_the_tally_equals_the_rows(
    in_session, key, move_and_state
):
    meeting, chair, members = in_session
    _vote_open(meeting, chair, members, move_and_state, key)
    services.vote_cast(
        meeting=meeting, member=members[0], choice="no", idempotency_key=key()
    )
    services.vote_cast(
        meeting=meeting, member=members[0], choice="yes", idempotency_key=key()
    )
    services.vote_cast(
        meeting=meeting, member=members[1], choice="yes", idempotency_key=key()
    )
    services.vote_cast(
        meeting=meeting, member=members[2], choice="no", idempotency_key=key()
    )

    services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())

    meeting.refresh_from_db()
    decision = meeting_outcome(meeting)["decisions"][-1]
    rows = Vote.objects.filter(question__meeting=meeting)
    assert rows.count() == 3
    assert decision["yes"] == rows.filter(choice="yes").count() == 2
    assert decision["no"] == rows.filter(choice="no").count() == 1
    assert decision["result"] == "adopted"


def test_a_second_announce_is_refused_so_there_is_one_announcement(
    in_session, key, move_and_state
):
    meeting, chair, members = in_session
    _vote_open(meeting, chair, members, move_and_state, key)
    services.vote_cast(
        meeting=meeting, member=members[0], choice="yes", idempotency_key=key()
    )
    services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())

    with pytest.raises(ValidationError, match="not in order at this time") as refused:
        services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())

    assert refused.value.code == "UNTIMELY"

    meeting.refresh_from_db()
    assert len(meeting_outcome(meeting)["decisions"]) == 1
    assert meeting.events.filter(type="announce").count() == 1


def test_the_setup_is_frozen_at_the_first_event(council_meeting, key):
    meeting, chair, members = council_meeting

    services.meeting_check_in(meeting=meeting, member=members[0], idempotency_key=key())

    meeting.refresh_from_db()
    assert meeting.setup["quorum"] is None
    assert {entry["id"] for entry in meeting.setup["members"]} == {
        str(person.pk) for person in [chair, *members]
    }


def test_adjournment_opens_draft_minutes(in_session, key, move_and_state):
    meeting, chair, members = in_session
    move_and_state(meeting, chair, members[0], members[1], motion="adjourn")
    services.question_put(
        meeting=meeting, chair=chair, method="voice", idempotency_key=key()
    )
    services.vote_cast(
        meeting=meeting, member=members[0], choice="yes", idempotency_key=key()
    )

    services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())

    meeting.refresh_from_db()
    assert meeting_outcome(meeting)["meeting"]["state"] == "ADJOURNED"
    assert meeting.minutes.status == "draft"


@pytest.mark.parametrize("action", ["vote", "announce"])
def test_a_retry_racing_its_first_request_returns_the_first_event(
    in_session, key, move_and_state, monkeypatch, action
):
    """A double click: the retry looked for its key before the first request
    committed, then waited for the lock. The unique key (a vote) or the
    engine (a second announcement) refuses it, and it returns the first
    request's event, as a retry after the commit does."""
    from councils.services import events

    meeting, chair, members = in_session
    _vote_open(meeting, chair, members, move_and_state, key)
    if action == "vote":

        def act():
            return services.vote_cast(
                meeting=meeting, member=members[0], choice="yes", idempotency_key="dc"
            )
    else:
        services.vote_cast(
            meeting=meeting, member=members[0], choice="yes", idempotency_key=key()
        )

        def act():
            return services.vote_announce(
                meeting=meeting, chair=chair, idempotency_key="dc"
            )

    first = act()
    looked_up = events._event_with_key
    misses = []

    def before_the_commit(idempotency_key):
        if not misses:  # the lookup before the lock: not committed yet
            misses.append(idempotency_key)
            return None
        return looked_up(idempotency_key)

    monkeypatch.setattr(events, "_event_with_key", before_the_commit)
    again = act()

    assert misses == ["dc"]
    assert again.pk == first.pk
    assert meeting.events.filter(type=action).count() == 1
    assert Vote.objects.filter(question__meeting=meeting).count() == 1
