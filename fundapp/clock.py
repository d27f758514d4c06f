"""The time services record an action at: the real time, unless set.

The demo records past council meetings through the real services, so that
their logs, votes and minutes are what the engine would have made; inside
`clock_set` those services stamp the meeting's own time instead of the
moment the demo was loaded. Nothing else sets the clock. It lives in fundapp,
like money.py, so that any app can record through it without importing
another app.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone


class SetClock:
    """A clock that stands at `at` until it is moved on."""

    def __init__(self, at: datetime.datetime):
        if timezone.is_naive(at):
            raise ValueError("Set the clock to an aware datetime.")
        self.at = at

    def advance(self, **delta) -> datetime.datetime:
        """Move the clock on by a timedelta's keyword arguments (`seconds=30`)."""
        self.at += datetime.timedelta(**delta)
        return self.at


# A context variable, not a module global: a clock set in one thread or
# task never leaks into a request served by another.
_set_clock: ContextVar[SetClock | None] = ContextVar("set_clock", default=None)


def now() -> datetime.datetime:
    """The time to record: `timezone.now()`, or the set clock's time."""
    clock = _set_clock.get()
    return timezone.now() if clock is None else clock.at


def today() -> datetime.date:
    """The date to record, in the reader's time zone: `now()`'s local date."""
    return timezone.localdate(now())


@contextmanager
def clock_set(at: datetime.datetime) -> Iterator[SetClock]:
    """Make `now()` answer `at`, and what the clock is moved on to, inside."""
    clock = SetClock(at)
    token = _set_clock.set(clock)
    try:
        yield clock
    finally:
        _set_clock.reset(token)
