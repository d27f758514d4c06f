"""The council's Celery tasks: thin, taking ids, calling one service.

The notices' tasks are declared beside their services
(`councils.services.notices`), which a service scheduling a meeting enqueues;
they are named here for the worker and beat.
"""

from celery import shared_task
from django.db import OperationalError

from . import services
from .services.notices import meeting_notices_due_task as meeting_notices_due
from .services.notices import meeting_notices_send_task as meeting_notices_send

__all__ = ["meeting_notices_due", "meeting_notices_send", "minutes_pdf_make"]


@shared_task(
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def minutes_pdf_make(minutes_id: int, language: str) -> int:
    """Render the minutes to PDF (WeasyPrint: seconds) and store it."""
    return services.minutes_pdf_make(minutes_id=minutes_id, language=language).pk
