"""The notices of meetings: given to each seat holder at the meeting's lead time.

The Celery tasks that run these services are declared here, beside them, so
that `meeting_schedule` can enqueue one without importing upward;
`councils.tasks` names them for the worker and beat.
"""

import datetime

from celery import shared_task
from django.core.mail import send_mail
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.outbox import enqueue_on_commit

from ..models import Meeting, Notice, Seat


def meeting_notice_due_at(meeting: Meeting) -> datetime.datetime:
    return meeting.scheduled_at - datetime.timedelta(hours=meeting.notice_lead_hours)


@transaction.atomic
def meeting_notices_send(*, meeting_id: int) -> int:
    """Give each seat holder the notice of a meeting, in the site and by email.

    Idempotent: one notice per member (unique), and each email is sent once
    (`emailed_at`). Locks the meeting row. Returns the number of emails sent.
    """
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("council")
        .get(pk=meeting_id)
    )
    holders = {
        seat.holder
        for seat in Seat.objects.filter(
            term__council=meeting.council,
            starts_on__lte=timezone.localdate(meeting.scheduled_at),
        )
        .exclude(ends_on__lt=timezone.localdate(meeting.scheduled_at))
        .select_related("holder")
    }
    sent = 0
    for holder in holders:
        notice, _created = Notice.objects.get_or_create(meeting=meeting, member=holder)
        if notice.emailed_at is None and holder.email:
            send_mail(
                _("Council meeting %(number)s") % {"number": meeting.number},
                _("%(council)s meets on %(when)s at %(place)s.")
                % {
                    "council": meeting.council.display_name,
                    "when": timezone.localtime(meeting.scheduled_at).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                    "place": meeting.place,
                },
                None,
                [holder.email],
            )
            notice.emailed_at = timezone.now()
            notice.save(update_fields=["emailed_at"])
            sent += 1
    if meeting.notice_sent_at is None:
        meeting.notice_sent_at = timezone.now()
        meeting.save(update_fields=["notice_sent_at"])
    return sent


@shared_task(
    name="councils.tasks.meeting_notices_send",
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def meeting_notices_send_task(meeting_id: int) -> int:
    return meeting_notices_send(meeting_id=meeting_id)


def meeting_notices_due() -> list[int]:
    """Enqueue the notices of meetings whose lead time has come (run by beat)."""
    now = timezone.now()
    due = [
        meeting.pk
        for meeting in Meeting.objects.filter(
            notice_sent_at__isnull=True, scheduled_at__gt=now
        )
        if meeting_notice_due_at(meeting) <= now
    ]
    for meeting_id in due:
        enqueue_on_commit(meeting_notices_send_task, meeting_id=meeting_id)
    return due


@shared_task(name="councils.tasks.meeting_notices_due")
def meeting_notices_due_task() -> list[int]:
    """Enqueue the notices that are due; beat runs it every 15 minutes."""
    return meeting_notices_due()
