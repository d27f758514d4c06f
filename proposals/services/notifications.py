"""In-site notifications and the email that follows each one.

The Celery task that sends the email is declared here, beside its service,
so that `notify_team` enqueues it without importing upward;
`proposals.tasks` names it for the worker.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fundapp.models import User
from fundapp.outbox import enqueue, enqueue_on_commit
from proposals.models import Notification, Proposal
from proposals.selectors import proposal_team_ids


def notify_team(
    proposal: Proposal, *, kind: str, actor: User, reason: str = ""
) -> list[Notification]:
    """Tell the proposer and co-proposers (except whoever acted) what happened,
    and why (`reason`: what to revise, for a return).

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
            reason=reason,
        )
        for user_id in recipients
    )
    for notification in notifications:
        if notification.pk is None:  # backends without RETURNING
            continue
        enqueue_on_commit(notification_email_task, notification_id=notification.pk)
    return notifications


def notification_text(notification: Notification) -> str:
    """The sentence a notification says, in the active language."""
    if notification.kind == Notification.Kind.COMMENT:
        return _("Someone commented on your proposal “%(title)s”.") % {
            "title": notification.proposal.title
        }
    if notification.status == Proposal.Status.RETURNED and notification.reason:
        return _("Your proposal “%(title)s” was returned for revision: %(reason)s") % {
            "title": notification.proposal.title,
            "reason": notification.reason,
        }
    return _("Your proposal “%(title)s” is now %(status)s.") % {
        "title": notification.proposal.title,
        "status": Proposal.Status(notification.status).label,
    }


@transaction.atomic
def notification_email_send(*, notification_id: int) -> Notification:
    """Email one notification to its recipient, once.

    Locks the notification's row alone (`FOR UPDATE` of the joined rows
    locked the proposal and the person too, for as long as the mail took:
    supports and comments on the proposal waited for it, and deadlocked with
    it); returns at once if it was already emailed or the recipient gave no
    email address.
    """
    notification = (
        Notification.objects.select_for_update(of=("self",))
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


# A notification still unsent after this long was not handed over (the broker
# was down, or the mail server refused it): the sweep hands it over again.
PENDING_AFTER = timedelta(minutes=2)
# Older news is no longer worth an email.
PENDING_UNTIL = timedelta(days=7)


def notifications_send_pending() -> list[int]:
    """Hand every notification whose email is still owed to the broker again
    (run by beat every five minutes); the ids handed over."""
    now = timezone.now()
    pending = list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__lte=now - PENDING_AFTER,
            created_at__gte=now - PENDING_UNTIL,
        )
        .exclude(recipient__email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [
        notification_id
        for notification_id in pending
        if enqueue(notification_email_task, notification_id=notification_id)
    ]


@shared_task(name="proposals.tasks.notifications_send_pending")
def notifications_send_pending_task() -> list[int]:
    return notifications_send_pending()


def notification_mark_read(
    *,
    actor: User,
    notification_ids: list[int] | None = None,
    proposal: Proposal | None = None,
) -> int:
    """Mark the user's notifications (all, these, or those about `proposal`,
    which they are reading) as read; returns how many."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    if proposal is not None:
        unread = unread.filter(proposal=proposal)
    return unread.update(read_at=timezone.now())
