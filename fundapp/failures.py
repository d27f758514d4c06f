"""What a reader sees when the server fails, and what the operator reads.

Django calls `server_error` (the root URLconf's `handler500`) for every
exception that no view answered, when `DEBUG` is off. The reader gets a short
page in their language with a reference; the log line of the failure (Django's
`django.request` logger, with its traceback) carries the same reference, so a
social worker who reads it out over the phone leads the operator to the entry.

A database that cannot be reached (restarting, or its connections used up) is
answered 503 "try again in a minute": nothing was written, since a request's
writes are one transaction. The page reads nothing from the database, so it can
be shown when the database is the fault.
"""

import logging
import secrets
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

# The exceptions of a database that went away or is refusing connections.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def error_reference() -> str:
    """A reference short enough to read out: 8 letters and digits, e.g. 'E-3F9A0C7B'."""
    return "E-" + secrets.token_hex(4).upper()


def server_error(request, *args, **kwargs):
    exception = sys.exc_info()[1]
    reference = error_reference()
    request.error_reference = reference
    unavailable = isinstance(exception, DATABASE_UNAVAILABLE)
    page = render_to_string(
        "500.html", {"reference": reference, "unavailable": unavailable}
    )
    response = HttpResponse(page, status=503 if unavailable else 500)
    response["X-Error-Reference"] = reference
    if unavailable:
        response["Retry-After"] = "60"
    return response


class ErrorReference(logging.Filter):
    """Adds the reference of the page the reader saw to `django.request`'s
    record of the failure: "Internal Server Error: /c/JMJY/ [E-3F9A0C7B]"."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        reference = getattr(request, "error_reference", None)
        if reference and not getattr(record, "error_reference", None):
            record.error_reference = reference
            record.msg = f"{record.msg} [%s]"
            record.args = (*(record.args or ()), reference)
        return True
