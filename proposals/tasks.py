"""Celery tasks of the proposals: thin wrappers over services, taking ids.

The notification email's task is declared beside its service
(`proposals.services.notifications`), which enqueues it; it is named here for
the worker.
"""

from .services.notifications import notification_email_task as notification_email
from .services.notifications import (
    notifications_send_pending_task as notifications_send_pending,
)

__all__ = ["notification_email", "notifications_send_pending"]
