"""The beat job that sends meeting notices at their lead time."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from councils import tasks
from councils.models import Meeting, Notice
from tests.factories import make_council, make_meeting

pytestmark = pytest.mark.django_db


def test_beat_runs_the_notices_job_every_quarter_hour():
    (entry,) = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "councils.tasks.meeting_notices_due"
    ]

    assert entry["schedule"].minute == {0, 15, 30, 45}
    assert entry["task"] in tasks.meeting_notices_due.app.tasks


def test_the_job_sends_each_due_notice_once(django_capture_on_commit_callbacks):
    council, _chair, members = make_council(seats=3)
    for member in members:
        member.email = f"{member.username}@example.org"
        member.save(update_fields=["email"])
    soon = make_meeting(
        council, scheduled_at=timezone.now() + datetime.timedelta(hours=24)
    )
    make_meeting(council, scheduled_at=timezone.now() + datetime.timedelta(days=30))

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.meeting_notices_due.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.meeting_notices_due.delay().get()

    assert first == [soon.pk] and second == []
    assert Notice.objects.filter(meeting=soon).count() == 4
    assert len(mail.outbox) == 3
    assert Meeting.objects.get(pk=soon.pk).notice_sent_at is not None
