"""Middleware of the whole site."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import connection
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from pghistory.middleware import HistoryMiddleware

# The largest id a row can have (a 64-bit primary key).
LARGEST_ROW_ID = 2**63 - 1


class RowIdsInRange:
    """An id in a URL beyond any row's id names a page that does not exist.

    `<int:pk>` accepts any number of digits; passed to the database, a
    20-digit id overflows (SQLite) or is out of range (PostgreSQL) and the
    reader got a server error instead of "not found".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if (
                isinstance(value, int)
                and not -LARGEST_ROW_ID <= value <= LARGEST_ROW_ID
            ):
                raise Http404
        return None


class PermissionsPolicy:
    """Every answer turns off the browser features no page uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DeclaredSizeLimit:
    """A request that declares a body over `MAX_REQUEST_BYTES` is answered 413
    before a byte of it is read: a 50 MB upload is refused at once, in the
    reader's language, not read whole and then refused. (A body longer than
    it declared is cut at the declared length by the server.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.MAX_REQUEST_BYTES:
            size = round(declared / 1024 / 1024, 1)
            return render(request, "413.html", {"size": size}, status=413)
        return self.get_response(request)


# How often a session's "last seen" is written: not on every poll of a
# live meeting, which would write the session table once a second per member.
SEEN_WRITE_SECONDS = 300


class SessionLimits:
    """Sign out after `SESSION_IDLE_SECONDS` without a request, and after
    `SESSION_COOKIE_AGE` at most, whatever the activity.

    The start and the last request are kept in the session; the last
    request is written at most every five minutes, so the idle limit is kept
    to within those minutes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            since = session.get("linli_since")
            seen = session.get("linli_seen", since)
            if since is None:
                session["linli_since"] = session["linli_seen"] = now
            elif (
                now - seen > settings.SESSION_IDLE_SECONDS
                or now - since > settings.SESSION_COOKIE_AGE
            ):
                # The request goes on as a visitor's: a page that needs a
                # login sends them to it, with this message.
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after a while; sign in again to go on."),
                )
            elif now - seen > SEEN_WRITE_SECONDS:
                session["linli_seen"] = now
        return self.get_response(request)


class HistoryContext(HistoryMiddleware):
    """Each change a request makes is recorded with who made it and through
    which request (the path and the method), by the PostgreSQL triggers of
    django-pghistory (settings: PGHISTORY_*).

    The context travels as `set_config` calls prepended to the request's
    writes; SQLite knows no such function and records no history, so there
    the request goes on untouched.
    """

    def get_context(self, request):
        return {**super().get_context(request), "method": request.method}

    def __call__(self, request):
        if connection.vendor != "postgresql":
            return self.get_response(request)
        return super().__call__(request)
