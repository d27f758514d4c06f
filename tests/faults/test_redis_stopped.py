"""Redis stopped in the middle of a meeting: the app (gunicorn) keeps its
cache and broker there. Votes are still recorded and answered, the live
fragment is rendered without it, live updates resume when it is back, and the
notification emails owed are sent by the sweep once it is back, once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import MeetingEvent, Vote
from proposals.models import Notification, Proposal
from proposals.services.notifications import notifications_send_pending
from tests.faults.meeting import (
    act_url,
    announce,
    live_url,
    meeting_voting_on_a_grant,
    session_of,
    vote,
)
from tests.faults.processes import App, Browser, celery_worker, stop, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_redis_stopped_mid_meeting_loses_no_vote_and_sends_the_emails_later(
    private_redis, celery_on, tmp_path
):
    meeting, chair, members, proposal = meeting_voting_on_a_grant()
    voters = members[:4]  # the fifth is the recused proposer
    redis = {
        "DJANGO_CACHE_URL": private_redis.url(0),
        "LINLI_LIVE_CACHE_URL": private_redis.url(0),
        "CELERY_BROKER_URL": private_redis.url(1),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    app = App(tmp_path, **redis)
    sweeper = None
    try:
        app.wait_healthy()
        watcher = Browser(app.base_url, session_of(members[4]))
        browsers = {m.pk: Browser(app.base_url, session_of(m)) for m in voters}
        chairs = Browser(app.base_url, session_of(chair))
        seen = watcher.get(live_url(meeting))
        assert seen.status == 200, seen
        unchanged = watcher.get(
            live_url(meeting), **{"If-None-Match": seen.headers["ETag"]}
        )
        assert unchanged.status == 204  # the live version is kept in Redis

        private_redis.stop()
        answers = [
            browsers[m.pk].post(act_url(meeting), vote(m, meeting)) for m in voters
        ]
        polled = watcher.get(
            live_url(meeting), **{"If-None-Match": seen.headers["ETag"]}
        )
        announced = chairs.post(act_url(meeting), announce(chair, meeting))

        assert [a.status for a in answers] == [200] * 4, answers
        assert polled.status == 200 and "Traceback" not in polled.text, polled
        assert announced.status == 200, announced
        assert Vote.objects.filter(question__meeting=meeting).count() == 4
        assert (
            MeetingEvent.objects.filter(meeting=meeting, type="announce").count() == 1
        )
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.APPROVED
        owed = Notification.objects.filter(proposal=proposal, emailed_at__isnull=True)
        assert owed.get().status == Proposal.Status.APPROVED

        private_redis.start()  # back, empty, on the same port
        etags = [seen.headers["ETag"]]
        for _ in range(3):
            polled = watcher.get(live_url(meeting), **{"If-None-Match": etags[-1]})
            if polled.status == 204:
                break
            assert polled.status == 200, polled
            etags.append(polled.headers["ETag"])
        assert polled.status == 204  # kept in Redis again: live updates resume

        # Beat's sweep, run by a worker once the broker is back.
        owed_pk = owed.get().pk
        owed.update(created_at=timezone.now() - timedelta(minutes=5))
        sweeper = celery_worker(tmp_path, name="sweeper", **redis)
        celery_on(private_redis.url(1)).send_task(
            "proposals.tasks.notifications_send_pending"
        )
        emailed = Notification.objects.filter(pk=owed_pk, emailed_at__isnull=False)
        sent = wait_for(emailed.exists, 30)
        assert sent, (tmp_path / "worker-sweeper.log").read_text()[-3000:]

        # The app hands new work to the broker again, without a restart.
        commented = browsers[voters[0].pk].post(
            reverse("proposals:comment", args=[proposal.pk]), {"body": "建议加上老人"}
        )
        assert commented.status == 302, commented
        news = Notification.objects.filter(proposal=proposal, kind="comment")
        assert wait_for(news.filter(emailed_at__isnull=False).exists, 30)
    finally:
        stop(sweeper, kill=True)
        app.stop()

    assert notifications_send_pending() == []  # nothing owed any more
    emails = (tmp_path / "worker-sweeper.log").read_text()
    assert emails.count("To: wang@example.org") == 2
