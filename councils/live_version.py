"""The live meeting's version: a poll of an unchanged meeting costs no query.

Whatever the live fragment shows changes with the meeting's log (an event
appended), its speakers' queue or its agenda; each of those writes gives the
meeting a new version once committed (`live_version_bump_on_commit`). The
version is a random token kept in the `live` cache, which every process sees:
the shared cache (Redis) in production, files on this machine in the embedded
default (settings: `LINLI_LIVE_CACHE_URL`).

A client sends back the ETag it was given (`If-None-Match`); while it names
the current version, `councils.middleware.LivePollUnchanged` answers 204 to
htmx (which then swaps nothing) and 304 to anyone else, before the session,
the user or the database are read and without a template. Otherwise the view
renders the fragment with its new ETag.

A reader takes the version before reading what it versions, so the data
rendered under a version is never older than it.

The room (councils/live.py: the meeting, the names, the agenda's proposals,
the speakers' queue) has a version of its own, which every change bumps
except an event that changes only the log (`ROOM_KEEPING_EVENTS`: a vote).
So the 23 votes of a counted vote read the room's parts once, not once each:
each new version of the meeting takes the room's parts kept under the room's
version, with the meeting's event count read again. A writer bumps the room's
version before the meeting's, and a reader reads them in the other order.

A vote changes what two people see: the voter ("You voted yes") and the
chair, whose own vote may become decisive; everyone else's fragment is as it
was (the engine's outcome differs only in the votes cast, of which each member
sees their own). So a vote that changes nothing else leaves the meeting's
version alone and moves three others: the log's, which the room is kept
under with the meeting's (so whoever renders next reads the new outcome), and
the voter's and the chair's own, which their ETags name. Twenty-three votes
in a second then cost the room's other members no render at all. A writer
moves the log's version before the own ones, a reader reads its own (with
the meeting's, in one read) before the log's.

A missing version (expired, evicted, a new release's key prefix) is made
afresh, and never equals one a client holds. It expires after a minute: what
changes without a bump (the fund's money behind a shortfall warning, a
person's name, a proposal's amount, the day) is shown within a minute.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import translation
from django.utils.crypto import salted_hmac

LIVE_VERSION_SECONDS = 60
# Events after which the room's parts are as they were: only the log (the
# engine's outcome) and the meeting's event count changed.
ROOM_KEEPING_EVENTS = frozenset({"vote"})
# The own version of someone not signed in, who has none.
NO_OWN_VERSION = "-"


@dataclass(frozen=True)
class LiveVersion:
    """The versions a reader takes before reading the live fragment's data:
    the meeting's (everyone's fragment), the log's (also moved by a vote)
    and the reader's own (moved by their vote, or by anyone's for the chair),
    with whose own it is (`member`: a user's pk, 0 for someone not signed in)."""

    meeting: str
    log: str
    own: str = NO_OWN_VERSION
    member: int = 0

    @property
    def room(self) -> str:
        """What the room (councils/live.py) is kept under."""
        return f"{self.meeting}.{self.log}"


def _cache():
    return caches["live"]


def _key(meeting_pk: int) -> str:
    return f"councils:live-version:{meeting_pk}"


def _room_key(meeting_pk: int) -> str:
    return f"councils:live-room-version:{meeting_pk}"


def _log_key(meeting_pk: int) -> str:
    return f"councils:live-log-version:{meeting_pk}"


def _own_key(meeting_pk: int, member_pk: int) -> str:
    return f"councils:live-own-version:{meeting_pk}:{member_pk}"


def live_versions_current(
    meeting_pk: int, member_pk: int | None
) -> tuple[str | None, str | None]:
    """The meeting's version and the member's own, if kept (one read of the
    cache, no query); the own version of someone not signed in is
    `NO_OWN_VERSION`."""
    if not member_pk:
        return _cache().get(_key(meeting_pk)), NO_OWN_VERSION
    keys = [_own_key(meeting_pk, member_pk), _key(meeting_pk)]
    found = _cache().get_many(keys)
    return found.get(keys[1]), found.get(keys[0])


def live_version(meeting_pk: int, member_pk: int | None = None) -> LiveVersion:
    """The versions of the meeting's fragment for this reader (`member_pk`:
    a signed-in person's), made where there are none: read them before the
    data."""
    meeting, own = live_versions_current(meeting_pk, member_pk)
    return LiveVersion(
        meeting=meeting or _version(_key(meeting_pk)),
        own=own or _version(_own_key(meeting_pk, member_pk)),
        log=_version(_log_key(meeting_pk)),
        member=member_pk or 0,
    )


def live_room_version(meeting_pk: int) -> str:
    """The version of the room's parts, made if there is none: read it after
    the meeting's version and before the parts."""
    return _version(_room_key(meeting_pk))


def _version(key: str) -> str:
    cache = _cache()
    version = cache.get(key)
    if version is None:
        fresh = secrets.token_hex(6)
        if cache.add(key, fresh, LIVE_VERSION_SECONDS):
            return fresh
        version = cache.get(key) or fresh
    return version


def _fresh() -> str:
    return secrets.token_hex(6)


def live_version_bump(meeting_pk: int, *, room: bool = True) -> None:
    """Give the meeting a new version: every client renders afresh. Unless
    `room` is False (only the log changed), the room's parts are read again."""
    cache = _cache()
    if room:
        cache.set(_room_key(meeting_pk), _fresh(), LIVE_VERSION_SECONDS)
    cache.set(_key(meeting_pk), _fresh(), LIVE_VERSION_SECONDS)


def live_version_bump_on_commit(meeting_pk: int, *, room: bool = True) -> None:
    """Give the meeting a new version once the current transaction commits
    (at once outside one): a rolled-back change leaves the version alone."""
    transaction.on_commit(lambda: live_version_bump(meeting_pk, room=room))


def live_own_bump(meeting_pk: int, member_pks) -> None:
    """The log changed and only these members see it: a new log version
    (the room is read again by whoever renders next), then theirs."""
    cache = _cache()
    cache.set(_log_key(meeting_pk), _fresh(), LIVE_VERSION_SECONDS)
    cache.set_many(
        {_own_key(meeting_pk, pk): _fresh() for pk in member_pks},
        LIVE_VERSION_SECONDS,
    )


def live_own_bump_on_commit(meeting_pk: int, member_pks) -> None:
    """`live_own_bump` once the current transaction commits."""
    pks = frozenset(member_pks)
    transaction.on_commit(lambda: live_own_bump(meeting_pk, pks))


def live_etag(version: LiveVersion, request) -> str:
    """The ETag of the fragment rendered at `version` for this request.

    The fragment is rendered for one person in one language: the tag names the
    meeting's version, the reader's own, the language, the reader (a member's
    pk, which the poll's middleware reads its own version by) and a keyed
    digest of the session cookie with that pk, so that a sign-in or a
    sign-out, which change the cookie, render afresh, and a tag naming someone
    else's pk never matches. No query.
    """
    member = version.member
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    reader = (
        salted_hmac("councils.live_etag", f"{session}:{member}").hexdigest()[:16]
        if session
        else "anonymous"
    )
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    return f'"{version.meeting}.{version.own}.{language}.{member}.{reader}"'


def live_etag_member(etag: str) -> int | None:
    """The member pk a tag `live_etag` made names (0: nobody signed in), or
    None for anything else."""
    parts = etag.strip().strip('"').split(".")
    if len(parts) != 5 or not parts[3].isdigit() or len(parts[3]) > 12:
        return None
    return int(parts[3])
