"""Requests sent at the same moment, on real PostgreSQL (issue 14)."""

import threading

from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.utils import translation

from tests.councils.test_council_concurrency import _in_threads


def race(*calls):
    """Run the calls in threads released together by a barrier.

    Returns each call's answer in order: the primary key of what it returned,
    or the code of its refusal (a ValidationError; its messages if it has no
    code). Any other exception (a 500) fails the test.
    """
    answers, lock = {}, threading.Lock()

    def work(index):
        close_old_connections()
        translation.activate("en")
        try:
            answer = calls[index]().pk
        except ValidationError as error:
            answer = getattr(error, "code", None) or f"refused: {error.messages}"
        with lock:
            answers[index] = answer

    errors = _in_threads(len(calls), work)
    assert errors == []
    return [answers[index] for index in range(len(calls))]


def applied_and_refused(answers):
    """The one answer that is a row (refusals are text), and the others."""
    applied = [answer for answer in answers if isinstance(answer, int)]
    assert len(applied) == 1, answers
    return applied[0], [answer for answer in answers if not isinstance(answer, int)]
