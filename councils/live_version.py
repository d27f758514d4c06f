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

A missing version (expired, evicted, a new release's key prefix) is made
afresh, and never equals one a client holds. It expires after a minute: what
changes without a bump (the fund's money behind a shortfall warning, a
person's name, a proposal's amount, the day) is shown within a minute.
"""

import secrets

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import translation
from django.utils.crypto import salted_hmac

LIVE_VERSION_SECONDS = 60
# Events after which the room's parts are as they were: only the log (the
# engine's outcome) and the meeting's event count changed.
ROOM_KEEPING_EVENTS = frozenset({"vote"})


def _cache():
    return caches["live"]


def _key(meeting_pk: int) -> str:
    return f"councils:live-version:{meeting_pk}"


def _room_key(meeting_pk: int) -> str:
    return f"councils:live-room-version:{meeting_pk}"


def live_version_current(meeting_pk: int) -> str | None:
    """The meeting's version if one is kept (no query)."""
    return _cache().get(_key(meeting_pk))


def live_version(meeting_pk: int) -> str:
    """The meeting's version, made if there is none: read it before the data."""
    return _version(_key(meeting_pk))


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


def live_version_bump(meeting_pk: int, *, room: bool = True) -> None:
    """Give the meeting a new version: every client renders afresh. Unless
    `room` is False (only the log changed), the room's parts are read again."""
    cache = _cache()
    if room:
        cache.set(_room_key(meeting_pk), secrets.token_hex(6), LIVE_VERSION_SECONDS)
    cache.set(_key(meeting_pk), secrets.token_hex(6), LIVE_VERSION_SECONDS)


def live_version_bump_on_commit(meeting_pk: int, *, room: bool = True) -> None:
    """Give the meeting a new version once the current transaction commits
    (at once outside one): a rolled-back change leaves the version alone."""
    transaction.on_commit(lambda: live_version_bump(meeting_pk, room=room))


def live_etag(version: str, request) -> str:
    """The ETag of the fragment rendered under `version` for this request.

    The fragment is rendered for one person in one language: the tag names the
    language and the session (a keyed digest of its cookie, so a sign-in or a
    sign-out, which change the cookie, render afresh), with no query.
    """
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    reader = (
        salted_hmac("councils.live_etag", session).hexdigest()[:16]
        if session
        else "anonymous"
    )
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    return f'"{version}.{language}.{reader}"'
