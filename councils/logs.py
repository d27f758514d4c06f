"""A meeting's whole log: its own events after the business carried into it.

Each meeting stores its own events. Business that an earlier meeting left
for a later one (laid on the table, postponed, pending at adjournment) can be
taken up by the engine's own rules (take from the table, general orders)
only if the engine replays the earlier log too. So a meeting into which
business was carried is replayed after the logs of the meetings it
continues, joined by `new_meeting` events that bring each meeting's own setup
(ROBERTS_RULES §1b). Motion ids and decision indexes are those of that whole
log; `Meeting.log_offset` is where the meeting's own events begin.

A meeting continues the log of the previous held meeting when that meeting
adjourned with business carried; otherwise its log starts afresh, so the log
replayed is only as long as the business really carried. The earlier logs
never change once a later meeting has begun (services refuse events for them
and record a grant paid in the latest log instead).
"""

from dataclasses import dataclass, field

from django.core.cache import cache

from .models import Meeting, MeetingEvent

PREFIX_CACHE_SECONDS = 6 * 3600


@dataclass
class MeetingLog:
    """What the engine replays for one meeting."""

    setup: dict
    events: list[dict]
    offset: int = 0
    # (index of the first event, meeting) for each meeting in the log, in order.
    segments: list[tuple[int, Meeting]] = field(default_factory=list)

    def meeting_of(self, index: int) -> tuple[Meeting, int]:
        """The meeting whose event `index` is, and the event's place in it (1-based)."""
        found = self.segments[0]
        for segment in self.segments:
            if segment[0] <= index:
                found = segment
        start, meeting = found
        return meeting, index - start + 1


def carried_meetings(meeting: Meeting) -> list[Meeting]:
    """The earlier meetings whose logs this meeting's log continues, in order."""
    if meeting.log_from_id is None:
        return []
    return list(
        Meeting.objects.filter(
            council_id=meeting.council_id,
            number__gte=meeting.log_from.number,
            number__lt=meeting.number,
            event_count__gt=0,
        ).order_by("number")
    )


def _separator(meeting: Meeting, setup: dict | None = None) -> dict:
    return {
        "type": "new_meeting",
        "kind": meeting.kind,
        "setup": setup or meeting.setup,
    }


def _prefix(meeting: Meeting) -> tuple[list[dict], list[tuple[int, Meeting]], dict]:
    """The carried meetings' events, each followed by the next one's separator.

    Cached per meeting once it has begun: from then on none of it changes
    (before, while it begins, the meeting it continues may still be
    recording an action).
    """
    key = f"councils:prefix:{meeting.pk}:{meeting.log_from_id}:{meeting.log_offset}"
    cached = cache.get(key) if meeting.event_count else None
    if cached is not None:
        return cached
    earlier = carried_meetings(meeting)
    rows = MeetingEvent.objects.filter(meeting__in=earlier).values_list(
        "meeting_id", "sequence", "payload"
    )
    by_meeting: dict[int, list] = {}
    for meeting_id, sequence, payload in rows:
        by_meeting.setdefault(meeting_id, []).append((sequence, payload))
    events: list[dict] = []
    segments = []
    for position, held in enumerate(earlier):
        if position:
            events.append(_separator(held))
        segments.append((len(events), held))
        events.extend(payload for _sequence, payload in sorted(by_meeting[held.pk]))
    result = (events, segments, earlier[0].setup)
    if meeting.event_count:
        cache.set(key, result, PREFIX_CACHE_SECONDS)
    return result


def meeting_log(meeting: Meeting, own_events: list[dict], setup: dict) -> MeetingLog:
    """The log to replay for `meeting`, given its own events and setup."""
    if meeting.log_from_id is None:
        return MeetingLog(setup=setup, events=own_events, segments=[(0, meeting)])
    events, segments, first_setup = _prefix(meeting)
    events = [*events, _separator(meeting, setup)]
    return MeetingLog(
        setup=first_setup,
        events=[*events, *own_events],
        offset=len(events),
        segments=[*segments, (len(events), meeting)],
    )


def prefix_length(meeting: Meeting) -> int:
    """How many events come before the meeting's own in its whole log."""
    if meeting.log_from_id is None:
        return 0
    events, _segments, _setup = _prefix(meeting)
    return len(events) + 1


def meeting_citation(meeting: Meeting) -> str:
    """A meeting as people cite it: community and number (e.g. "JMJY-12")."""
    return f"{meeting.council.community.code}-{meeting.number}"


def motion_reference(meeting: Meeting, motion_id: int) -> str:
    """A motion as people cite it: its meeting and its event number in that
    meeting (e.g. "JMJY-12#34"), wherever in the log it was made."""
    log = meeting_log(meeting, [], meeting.setup or {})
    held, place = log.meeting_of(motion_id)
    # (The meetings of one log are of one council: no query for `held`'s.)
    return f"{meeting.council.community.code}-{held.number}#{place}"
