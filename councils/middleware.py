"""The council's middleware: the live meeting's unchanged poll (live_version)."""

from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers

from .live_version import (
    LiveVersion,
    live_etag,
    live_etag_member,
    live_versions_current,
)

LIVE_VIEW = "councils:live"
# What the live fragment's answers vary by: the session and the language.
LIVE_VARY = ("Cookie", "Accept-Language", "HX-Request")


def live_headers(response, etag: str):
    """The headers of every answer of the live fragment, changed or not."""
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, LIVE_VARY)
    return response


class LivePollUnchanged:
    """Answer a poll of the live fragment that names its current version at once.

    Placed before anything that reads the session or the user: while the
    client's `If-None-Match` is the meeting's current ETag, the answer is 204
    (htmx keeps what it shows) or 304, with no query and no template. Anything
    else goes on to the view, which renders and sends the new ETag.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get("If-None-Match")
        if sent and request.method in ("GET", "HEAD"):
            meeting_pk = _live_meeting(request.path_info)
            # The fragment's poll sends the one tag it was given.
            tag = sent.split(",")[0].strip()
            member_pk = live_etag_member(tag)
            if meeting_pk is not None and member_pk is not None:
                meeting, own = live_versions_current(meeting_pk, member_pk)
                if meeting is not None and own is not None:
                    # The log's version is not in the tag: no need to read it.
                    version = LiveVersion(meeting, log="", own=own, member=member_pk)
                    etag = live_etag(version, request)
                    if etag == tag:
                        htmx = request.headers.get("HX-Request") == "true"
                        return live_headers(
                            HttpResponse(status=204 if htmx else 304), etag
                        )
        return self.get_response(request)


def _live_meeting(path: str) -> int | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name != LIVE_VIEW:
        return None
    return match.kwargs.get("pk")
