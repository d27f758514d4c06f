"""The reports' Celery tasks, named here for the worker and beat.

Each is declared beside the service it runs (reports.services), which
enqueues it: a thin wrapper that takes ids and decides only its retries.
"""

from .services import report_make_task as report_make
from .services import reports_prepare_annual_task as reports_prepare_annual
from .services import reports_queue_waiting_task as reports_queue_waiting
from .services import reports_remind_deadlines_task as reports_remind_deadlines
from .services import submission_email_task as submission_email

__all__ = [
    "report_make",
    "reports_prepare_annual",
    "reports_queue_waiting",
    "reports_remind_deadlines",
    "submission_email",
]
