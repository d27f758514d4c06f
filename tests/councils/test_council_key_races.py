"""Issue 14: one request sent twice at the same moment with one key (a double
click, a retry racing its first attempt) is applied once, on real PostgreSQL.

`meeting_event_append` looks the key up before the meeting's row lock; the
second request waits for the lock, then the event's unique key, the engine
or who may give it refuses it, and the key, looked up again, answers it: the
first request's event, or `idempotency_key_reused` for another request.
Each race is run in several rounds so that both orders of arrival happen.
"""

import pytest

from councils import services
from councils.models import MeetingEvent, Vote
from tests.councils.test_council_concurrency import _open_vote
from tests.races import applied_and_refused, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def _act(meeting, actor, action, key, **values):
    """One sending of an action of the meeting, with its key."""
    return lambda: services.meeting_act(
        meeting=meeting, actor=actor, action=action, idempotency_key=key, **values
    )


def _next_motion(meeting, chair, members, key, turn):
    """A new main motion, moved, seconded and stated (the question not put)."""
    services.motion_move(
        meeting=meeting,
        member=members[0],
        motion="main",
        text=f"Motion {turn}",
        idempotency_key=key(),
    )
    services.motion_second(meeting=meeting, member=members[1], idempotency_key=key())
    services.motion_state(meeting=meeting, chair=chair, idempotency_key=key())


def test_a_vote_sent_twice_at_once_is_counted_once_and_both_get_its_event():
    """The engine takes the second vote (a member may change it): the
    event's unique key refuses it."""
    meeting, _chair, members, _key = _open_vote(seats=ROUNDS + 1)

    for voter in members[:ROUNDS]:
        key = f"vote-{voter.pk}"

        answers = race(*[_act(meeting, voter, "vote", key, choice="yes")] * 2)

        stored = MeetingEvent.objects.get(idempotency_key=key)
        assert answers == [stored.pk, stored.pk]
        assert meeting.events.filter(type="vote", actor=voter).count() == 1
        assert Vote.objects.get(member=voter, question__meeting=meeting).event == stored
    assert meeting.events.filter(type="vote").count() == ROUNDS


def test_a_chairs_announcement_sent_twice_at_once_is_made_once():
    """The engine refuses the second (no vote is left to announce)."""
    meeting, chair, members, key = _open_vote(seats=3)

    for turn in range(ROUNDS):
        if turn:
            _next_motion(meeting, chair, members, key, turn)
            services.question_put(
                meeting=meeting, chair=chair, method="counted", idempotency_key=key()
            )
        services.vote_cast(
            meeting=meeting, member=members[2], choice="yes", idempotency_key=key()
        )
        announce = f"announce-{turn}"

        answers = race(*[_act(meeting, chair, "announce", announce)] * 2)

        stored = MeetingEvent.objects.get(idempotency_key=announce)
        assert answers == [stored.pk, stored.pk]
    assert meeting.events.filter(type="announce").count() == ROUNDS


def test_a_question_put_twice_at_once_is_put_once():
    meeting, chair, members, key = _open_vote(seats=3)

    for turn in range(ROUNDS):
        services.vote_cast(
            meeting=meeting, member=members[2], choice="yes", idempotency_key=key()
        )
        services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())
        _next_motion(meeting, chair, members, key, turn)
        put = f"put-{turn}"

        answers = race(*[_act(meeting, chair, "put_question", put, method="voice")] * 2)

        stored = MeetingEvent.objects.get(idempotency_key=put)
        assert answers == [stored.pk, stored.pk]
    assert meeting.events.filter(type="put_question").count() == ROUNDS + 1


def test_one_key_sent_at_once_with_two_choices_applies_one_and_refuses_the_other():
    meeting, _chair, members, _key = _open_vote(seats=ROUNDS + 1)
    choices = ("yes", "no")

    for voter in members[:ROUNDS]:
        key = f"vote-{voter.pk}"

        answers = race(*[_act(meeting, voter, "vote", key, choice=c) for c in choices])

        applied, refused = applied_and_refused(answers)
        assert refused == ["idempotency_key_reused"]
        stored = MeetingEvent.objects.get(idempotency_key=key)
        assert applied == stored.pk
        vote = Vote.objects.get(member=voter, question__meeting=meeting)
        chosen = choices[answers.index(applied)]
        assert vote.choice == stored.payload["choice"] == chosen
        assert meeting.events.filter(type="vote", actor=voter).count() == 1


def test_one_key_sent_at_once_by_the_chair_with_two_methods_puts_one_question():
    meeting, chair, members, key = _open_vote(seats=3)
    methods = ("counted", "voice")

    for turn in range(ROUNDS):
        services.vote_cast(
            meeting=meeting, member=members[2], choice="yes", idempotency_key=key()
        )
        services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())
        _next_motion(meeting, chair, members, key, turn)
        put = f"put-{turn}"

        answers = race(
            *[_act(meeting, chair, "put_question", put, method=m) for m in methods]
        )

        applied, refused = applied_and_refused(answers)
        assert refused == ["idempotency_key_reused"]
        stored = MeetingEvent.objects.get(idempotency_key=put)
        assert applied == stored.pk
        assert stored.payload["method"] == methods[answers.index(applied)]
    assert meeting.events.filter(type="put_question").count() == ROUNDS + 1
