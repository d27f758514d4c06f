"""What a load run records and how it is summed up: the standard library only.

The locustfile imports this module (it must not import Django: locust patches
the standard library with gevent first), the checker and the runner too, and
tests/load/test_load.py tests it.

- The record: one JSON line per action the server confirmed, written by the
  locust users as they go (`support`, `comment`, `vote`, `report`).
- The timings: every request's kind, name, milliseconds and failure, summed
  up by `summarise` into requests, errors and p50/p95/p99 per kind.
"""

import base64
import html
import json
import re
import zlib

# The kinds of request, in the table's order; a request's name starts with
# its kind and a colon ("support: POST /proposals/[pk]/support/").
KINDS = ("browse", "support", "comment", "vote", "live poll", "meeting", "report")
# django.contrib.messages' levels.
SUCCESS, ERROR = 25, 40


# The version the live fragment shows (its `data-version`), which the page's
# next poll sends back (councils/static/councils/live_version.js).
SHOWN_VERSION = re.compile(r'class="council-live" data-version="([^"]*)"')


def shown_version(page: str) -> str | None:
    """The ETag of the live fragment in a page or an action's answer, as the
    browser's next poll sends it (the attribute's text, unescaped)."""
    shown = SHOWN_VERSION.search(page)
    return html.unescape(shown.group(1)) if shown else None


def kind_of(name: str) -> str:
    return name.split(":", 1)[0]


def message_levels(cookie: str | None) -> list[int]:
    """The levels of the messages in Django's `messages` cookie (its
    CookieStorage: signed JSON, zlib-compressed when that is shorter, in
    URL-safe base64 with a leading "." when compressed)."""
    if not cookie:
        return []
    value = cookie.strip('"').replace("\\054", ",").replace('\\"', '"')
    payload = value.split(":", 1)[0]
    compressed = payload.startswith(".")
    if compressed:
        payload = payload[1:]
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if compressed:
        data = zlib.decompress(data)
    levels = []
    for message in json.loads(data):
        # ["__json_message", is_safe, level, text(, extra_tags)]
        if isinstance(message, list) and message[:1] == ["__json_message"]:
            levels.append(int(message[2]))
    return levels


def percentile(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted values (0 when there are none)."""
    if not ordered:
        return 0.0
    rank = max(1, -(-share * len(ordered) // 1))  # ceil(share * n), at least 1
    return ordered[min(len(ordered), int(rank)) - 1]


def summarise(timings: list[tuple[str, float, bool]], key_of=kind_of) -> dict:
    """{kind or "all": requests, errors, p50, p95, p99, max} from (name, ms,
    failed) tuples (per name with `key_of=str`)."""
    by_kind: dict[str, list] = {}
    for name, ms, failed in timings:
        for key in (key_of(name), "all"):
            by_kind.setdefault(key, []).append((ms, failed))
    found = {}
    for key, rows in by_kind.items():
        times = sorted(ms for ms, _failed in rows)
        found[key] = {
            "requests": len(rows),
            "errors": sum(1 for _ms, failed in rows if failed),
            "p50": percentile(times, 0.50),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
            "max": times[-1] if times else 0.0,
        }
    return found


def read_record(path: str) -> list[dict]:
    """The confirmed actions, one per JSON line (a torn last line is skipped)."""
    found = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                found.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return found
