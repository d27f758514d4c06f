"""In-site notifications and the email that follows each one.

The Celery task that sends the email is declared here, beside its service,
so that `notify_team` enqueues it without importing upward;
`proposals.tasks` names it for the worker.
"""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fundapp.models import User
from proposals.models import Notification, Proposal
from proposals.selectors import proposal_team_ids


def notify_team(proposal: Proposal, *, kind: str, actor: User) -> list[Notification]:
    """Tell the proposer and co-proposers (except whoever acted) what happened.

    Creates one in-site notification each and emails them through Celery
    after the transaction commits.
    """
    recipients = sorted(proposal_team_ids(proposal) - {getattr(actor, "pk", None)})
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient_id=user_id,
            proposal=proposal,
            kind=kind,
            status=proposal.status if kind == Notification.Kind.STATUS else "",
        )
        for user_id in recipients
    )
    for notification in notifications:
        if notification.pk is None:  # backends without RETURNING
            continue
        notification_email_task.delay_on_commit(notification_id=notification.pk)
    return notifications


def notification_text(notification: Notification) -> str:
    """The sentence a notification says, in the active language."""
    if notification.kind == Notification.Kind.COMMENT:
        return _("Someone commented on your proposal “%(title)s”.") % {
            "title": notification.proposal.title
        }
    return _("Your proposal “%(title)s” is now %(status)s.") % {
        "title": notification.proposal.title,
        "status": Proposal.Status(notification.status).label,
    }


@transaction.atomic
def notification_email_send(*, notification_id: int) -> Notification:
    """Email one notification to its recipient, once.

    Locks the notification; returns at once if it was already emailed or the
    recipient gave no email address.
    """
    notification = (
        Notification.objects.select_for_update()
        .select_related("recipient", "proposal")
        .get(pk=notification_id)
    )
    if notification.emailed_at is not None or not notification.recipient.email:
        return notification
    with translation.override(settings.LANGUAGE_CODE):
        body = notification_text(notification)
        send_mail(
            subject=_("Linli: news about your proposal"),
            message=body,
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return notification


@shared_task(
    name="proposals.tasks.notification_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def notification_email_task(notification_id: int) -> None:
    notification_email_send(notification_id=notification_id)


def notification_mark_read(
    *, actor: User, notification_ids: list[int] | None = None
) -> int:
    """Mark the user's notifications (all, or these) as read; returns how many."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
