"""23 members voting in the same second, on real PostgreSQL row locks."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.urls import reverse

from councils import services
from councils.meeting_state import meeting_state, meeting_state_build
from councils.models import Meeting, Vote
from councils.selectors import meeting_outcome
from tests.factories import make_council, make_meeting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_threads(count, work):
    """Run work(i) in `count` threads released together; collect errors."""
    barrier = threading.Barrier(count)
    errors = []

    def run(index):
        try:
            barrier.wait()
            work(index)
        except Exception as error:  # noqa: BLE001 (reported to the test)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _open_vote(seats):
    council, chair, members = make_council(seats=seats)
    meeting = make_meeting(council, chair=chair)
    step = iter(range(10_000))

    def key():
        return f"k{next(step)}"

    for person in [chair, *members]:
        services.meeting_check_in(meeting=meeting, member=person, idempotency_key=key())
    services.meeting_call_to_order(meeting=meeting, chair=chair, idempotency_key=key())
    services.motion_move(
        meeting=meeting,
        member=members[0],
        motion="main",
        text="Fund the reading room",
        idempotency_key=key(),
    )
    services.motion_second(meeting=meeting, member=members[1], idempotency_key=key())
    services.motion_state(meeting=meeting, chair=chair, idempotency_key=key())
    services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=key()
    )
    return meeting, chair, members, key


def test_23_votes_in_the_same_second_are_each_counted_once():
    meeting, chair, members, key = _open_vote(seats=23)
    choices = ["yes" if i % 3 else "no" for i in range(23)]

    def vote(index):
        close_old_connections()
        services.vote_cast(
            meeting=meeting,
            member=members[index],
            choice=choices[index],
            idempotency_key=f"vote-{index}",
        )
        # The same click arriving twice (a network retry): applied once.
        services.vote_cast(
            meeting=meeting,
            member=members[index],
            choice=choices[index],
            idempotency_key=f"vote-{index}",
        )

    errors = _in_threads(23, vote)
    services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())

    assert errors == []
    meeting = Meeting.objects.get(pk=meeting.pk)
    decision = meeting_outcome(meeting)["decisions"][-1]
    stored = Vote.objects.filter(question__meeting=meeting)
    assert stored.count() == 23
    assert meeting.events.filter(type="vote").count() == 23
    assert (
        decision["yes"] == stored.filter(choice="yes").count() == choices.count("yes")
    )
    assert decision["no"] == stored.filter(choice="no").count() == choices.count("no")
    sequences = list(meeting.events.values_list("sequence", flat=True))
    assert sorted(sequences) == list(range(1, len(sequences) + 1))


def test_23_votes_at_once_leave_the_kept_state_and_the_live_version_current(client):
    """Each vote applies to the kept state on commit, whatever order the
    commits and their stores come in; the chair's poll from before the votes
    renders afresh (a vote moves the chair's own version)."""
    meeting, chair, members, key = _open_vote(seats=23)
    client.force_login(chair)
    url = reverse("councils:live", args=[meeting.pk])
    etag = client.get(url, HTTP_HX_REQUEST="true")["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    def vote(index):
        close_old_connections()
        services.vote_cast(
            meeting=meeting,
            member=members[index],
            choice="yes",
            idempotency_key=f"vote-{index}",
        )

    errors = _in_threads(23, vote)

    assert errors == []
    meeting = Meeting.objects.get(pk=meeting.pk)
    replayed = meeting_state_build(meeting, meeting.setup)
    assert meeting_state(meeting, meeting.setup).outcome() == replayed.outcome()
    assert len(replayed.engine.vote.choices) == 23
    polled = client.get(url, HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=etag)
    assert polled.status_code == 200
    assert polled["ETag"] != etag


def test_two_chairs_racing_on_announce_give_one_announcement():
    meeting, chair, members, key = _open_vote(seats=5)
    services.vote_cast(
        meeting=meeting, member=members[0], choice="yes", idempotency_key=key()
    )
    outcomes = []

    def announce(index):
        close_old_connections()
        try:
            services.vote_announce(
                meeting=meeting, chair=chair, idempotency_key=f"announce-{index}"
            )
            outcomes.append("announced")
        except ValidationError:
            outcomes.append("refused")

    errors = _in_threads(2, announce)

    assert errors == []
    assert sorted(outcomes) == ["announced", "refused"]
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.events.filter(type="announce").count() == 1
    assert len(meeting_outcome(meeting)["decisions"]) == 1
