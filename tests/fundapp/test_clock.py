"""The clock services record actions at: the real time unless the demo sets it."""

import datetime

import pytest
from django.utils import timezone

from fundapp import clock

AT = datetime.datetime(2026, 3, 1, 19, 0, tzinfo=datetime.UTC)


def test_the_clock_tells_the_real_time_when_not_set():
    before = timezone.now()

    now = clock.now()

    assert before <= now <= timezone.now()


def test_a_set_clock_stands_still_until_moved_on():
    with clock.clock_set(AT) as held:
        first, second = clock.now(), clock.now()
        held.advance(seconds=90)
        moved = clock.now()

    assert first == second == AT
    assert moved == AT + datetime.timedelta(seconds=90)


def test_the_clock_tells_the_real_time_again_after_an_error_inside():
    with pytest.raises(RuntimeError, match="inside"), clock.clock_set(AT):
        raise RuntimeError("inside")

    assert clock.now() > AT


def test_the_clock_is_refused_a_naive_time():
    with (
        pytest.raises(ValueError, match="aware"),
        clock.clock_set(AT.replace(tzinfo=None)),
    ):
        pass
