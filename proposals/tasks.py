"""Celery tasks: thin wrappers over services, taking ids."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notification_email(notification_id: int) -> None:
    from proposals.services import notification_email_send  # avoids an import cycle

    notification_email_send(notification_id=notification_id)
