"""The meeting's event log (the named actions that feed it are in actions.py).

Every action taken in a meeting goes through `meeting_event_append`: in one
transaction it locks the meeting row, applies the new event to the engine's
state kept for the meeting (councils/meeting_state.py), and stores the event
only if the engine accepts it. Decisions on proposals take
effect in that same transaction (`decisions_apply`).
"""

import datetime
import json

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fundapp import clock
from fundapp.idempotency import REUSED, require_key_shape
from fundapp.models import User

from ..actions import EVENT_GIVERS
from ..live_version import (
    ROOM_KEEPING_EVENTS,
    live_own_bump_on_commit,
    live_version_bump_on_commit,
)
from ..meeting_state import MeetingState, meeting_state, meeting_state_store
from ..models import Attendance, FloorRequest, Meeting, MeetingEvent, Minutes, Vote
from ..permissions import require_may_give
from ..refusals import refusal_message
from ..selectors import (
    OUTCOME_CACHE_SECONDS,
    meeting_after,
    meeting_locked,
    outcome_cache_key,
)
from .decisions import decisions_apply
from .meetings import agenda_carry_unfinished, meeting_log_begin


def meeting_event_append(
    *, meeting: Meeting, actor: User, event: dict, idempotency_key: str
) -> MeetingEvent:
    """Store one event if the engine accepts it; apply decisions it makes.

    Locks the meeting row, so events are sequenced one at a time: two racing
    "announce" clicks give one announcement (the engine refuses the second).
    A retry with the same idempotency key (same person, same action) returns
    the stored event unchanged; the key with anything else is refused.
    Raises ValidationError (code = the engine's code) when the engine refuses.

    The key is looked up before the lock, so that the lock is held only for
    new events: a retry of a committed request is answered at once. A retry
    racing its first request (a double click) waits for the lock, then the
    event's unique key (or the engine, or who may give it) refuses it and the
    key is looked up again: it returns the first request's event too.
    """
    require_key_shape(idempotency_key)
    stored = as_stored(event)
    existing = _event_with_key(idempotency_key)
    if existing is not None:
        return _replayed(existing, meeting=meeting, actor=actor, event=stored)
    try:
        return _event_append(
            meeting=meeting, actor=actor, event=stored, idempotency_key=idempotency_key
        )
    except (ValidationError, PermissionDenied, IntegrityError):
        existing = _event_with_key(idempotency_key)
        if existing is None:
            raise
        return _replayed(existing, meeting=meeting, actor=actor, event=stored)


def _event_with_key(idempotency_key: str) -> MeetingEvent | None:
    # By its unique key alone (the model's ordering would join the meeting).
    return (
        MeetingEvent.objects.filter(idempotency_key=idempotency_key)
        .order_by("pk")
        .first()
    )


def _replayed(
    existing: MeetingEvent, *, meeting: Meeting, actor: User, event: dict
) -> MeetingEvent:
    """A retry of the same action by the same person returns it; the key
    with anything else (another meeting, person or action) is refused."""
    if (
        existing.meeting_id != meeting.pk
        or existing.actor_id != actor.pk
        or existing.payload != event
    ):
        raise ValidationError(REUSED, code="idempotency_key_reused")
    return existing


@transaction.atomic
def _event_append(
    *, meeting: Meeting, actor: User, event: dict, idempotency_key: str
) -> MeetingEvent:
    """`meeting_event_append` of a key not stored yet, under the row lock.

    Everything between the lock and the commit is kept short (every vote of
    a busy meeting waits for it): the engine's kept state takes the one new
    event (councils/meeting_state.py) and knows the question a vote is on.
    """
    meeting = meeting_locked(meeting.pk)
    if meeting.later_begun:
        raise ValidationError(
            _("A later meeting of the council has begun; this one is closed.")
        )
    begins = meeting.setup is None
    if begins:
        meeting_log_begin(meeting)
    state = meeting_state(meeting, meeting.setup)
    before = state.outcome(results=False)
    require_may_give(actor, meeting, EVENT_GIVERS.get(event.get("type")), event, before)
    code = state.apply(event)
    if code is not None:
        raise ValidationError(refusal_message(code), code=code)
    after = state.outcome(results=False)
    now = clock.now()
    row = MeetingEvent.objects.create(
        meeting=meeting,
        sequence=state.count,
        type=event["type"],
        payload=event,
        actor=actor,
        idempotency_key=idempotency_key,
        created_at=now,
    )
    if row.type == "put_question":
        state.question_stored(row.pk)
    row.warnings = []
    meeting.event_count = row.sequence
    meeting.save(
        update_fields=["event_count", "setup", "log_from", "log_offset"]
        if begins
        else ["event_count"]
    )
    _side_records(meeting=meeting, row=row, actor=actor, now=now, state=state)
    decisions_apply(meeting=meeting, before=before, after=after, row=row, actor=actor)
    if after["meeting"]["state"] == "ADJOURNED":
        Minutes.objects.get_or_create(meeting=meeting)
        if before["meeting"]["state"] != "ADJOURNED":
            upcoming = meeting_after(meeting)
            if upcoming is not None and not upcoming.event_count:
                agenda_carry_unfinished(
                    meeting=upcoming, previous=meeting, actor=actor, outcome=after
                )
    # The next reader of the live page finds the new outcome ready, and the
    # next event the state; stored only once committed, so a rolled-back
    # event never leaves either behind.
    key = outcome_cache_key(meeting, row.sequence)
    transaction.on_commit(lambda: cache.set(key, after, OUTCOME_CACHE_SECONDS))
    transaction.on_commit(lambda: meeting_state_store(meeting, state))
    seen_by = None if begins else _seen_only_by(row, before, after)
    if seen_by is not None:
        live_own_bump_on_commit(meeting.pk, seen_by)
    else:
        live_version_bump_on_commit(
            meeting.pk, room=begins or row.type not in ROOM_KEEPING_EVENTS
        )
    return row


def _seen_only_by(row: MeetingEvent, before: dict, after: dict) -> set[int] | None:
    """Who sees a vote that changed nothing but the votes cast: the voter
    (their own choice) and the chair (whose own vote may have become
    decisive, or stopped being); None for any other event, whose change
    everyone's live fragment shows (councils/live_version.py)."""
    if row.type not in ROOM_KEEPING_EVENTS:
        return None
    if {**before, "cast": None} != {**after, "cast": None}:
        return None
    seen_by = {row.actor_id}
    for member in (row.payload.get("member"), after["meeting"]["chair"]):
        if member is None:
            continue
        if not str(member).isdigit():  # not a person's id: everyone renders
            return None
        seen_by.add(int(member))
    return seen_by


def as_stored(event: dict) -> dict:
    """The event as its JSON column gives it back."""
    return json.loads(json.dumps(event, cls=DjangoJSONEncoder))


def _side_records(
    *,
    meeting: Meeting,
    row: MeetingEvent,
    actor: User,
    now: datetime.datetime,
    state: MeetingState,
) -> None:
    """Keep the attendance, votes and speakers' queue tables in step with the log."""
    event = row.payload
    if row.type == "vote":
        # The question put last, as the kept state knows it (else read).
        if state.question_known:
            question_id = state.question
        else:
            question_id = (
                meeting.events.filter(type="put_question", sequence__lt=row.sequence)
                .order_by("-sequence")
                .values_list("pk", flat=True)
                .first()
            )
        # One statement under the lock: a change of vote updates the row.
        Vote.objects.bulk_create(
            [
                Vote(
                    question_id=question_id,
                    member=actor,
                    choice=event["choice"],
                    event=row,
                    cast_at=now,
                )
            ],
            update_conflicts=True,
            unique_fields=["question", "member"],
            update_fields=["choice", "event", "cast_at"],
        )
    elif row.type == "arrive":
        Attendance.objects.update_or_create(
            meeting=meeting, member=actor, defaults={"arrived_at": now, "left_at": None}
        )
    elif row.type == "leave":
        Attendance.objects.filter(meeting=meeting, member=actor).update(left_at=now)
    elif row.type == "floor":
        FloorRequest.objects.filter(
            meeting=meeting, member_id=int(event["member"]), closed_at__isnull=True
        ).update(closed_at=now)
