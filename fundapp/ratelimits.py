"""How often one person, or one address, may do a thing: rate limits and the
login lockout's notion of who is trying.

A limit is a number of requests in a window of seconds, per scope (`comment`,
`register`, …), counted per signed-in person, or per address for someone not
signed in, in the default cache (shared through Redis in production). Past the
limit the answer is 429 with a sentence in the reader's language and how long
to wait; nothing is saved. `LINLI_RATE_LIMITS` changes the defaults, e.g.
`comment=10/600,api=0/60` (0: no limit).
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle

from fundapp.models import User


def client_address(request) -> str:
    """The reader's address: behind the proxy that the settings trust (one that
    sets the HTTPS header), the address it appended last to X-Forwarded-For."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _who(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"address:{client_address(request)}"


def seconds_to_wait(request, scope: str) -> int:
    """Count this request against the scope's limit; 0 when it may go on, else
    the seconds until the window ends."""
    count, seconds = settings.RATE_LIMITS[scope]
    if count == 0:
        return 0
    now = time.time()
    window = int(now // seconds)
    key = f"rate:{scope}:{_who(request)}:{window}"
    cache.add(key, 0, seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, seconds)
        used = 1
    if used <= count:
        return 0
    return max(1, int((window + 1) * seconds - now))


def rate_limited(scope: str, *, only_with_files: bool = False):
    """A view's POSTs count against `scope`; past the limit, a 429 page.

    `only_with_files`: only POSTs that carry files count (uploads)."""

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if request.method == "POST" and (not only_with_files or request.FILES):
                wait = seconds_to_wait(request, scope)
                if wait:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return limited

    return decorator


def too_many_requests(request, wait: int):
    response = render(
        request, "429.html", {"minutes": max(1, -(-wait // 60))}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


class ApiThrottle(BaseThrottle):
    """The open data API's limit, per address or person (scope `api`)."""

    def allow_request(self, request, view):
        self.wait_seconds = seconds_to_wait(request, "api")
        return self.wait_seconds == 0

    def wait(self):
        return self.wait_seconds


def login_name(request, credentials: dict) -> str:
    """Who a login attempt is for, whichever way it was typed: the account's
    username when the phone number or username names one, else what was typed.
    Failed attempts by phone and by username count against one account."""
    typed = (credentials or {}).get("username") or ""
    typed = str(typed).strip()[:150]
    user = (
        User.objects.filter(Q(phone=typed) | Q(username=typed)).only("username").first()
    )
    return user.username if user is not None else typed
