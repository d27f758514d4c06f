"""The council's Celery tasks: thin, taking ids, calling one service."""

from celery import shared_task
from django.db import OperationalError


@shared_task(
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def meeting_notices_send(meeting_id: int) -> int:
    from councils.services import meeting_notices_send as send  # avoids a cycle

    return send(meeting_id=meeting_id)


@shared_task
def meeting_notices_due() -> list[int]:
    """Enqueue the notices that are due; beat runs it every 15 minutes."""
    from councils.services import meeting_notices_due as due

    return due()


@shared_task(
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def minutes_pdf_make(minutes_id: int, language: str) -> int:
    """Render the minutes to PDF (WeasyPrint: seconds) and store it."""
    from councils.services import minutes_pdf_make as make

    return make(minutes_id=minutes_id, language=language).pk
