"""A broker or mail server that is down never fails the request that saved a
change; the notification it owed is sent later by the sweep, exactly once."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from fundapp import outbox
from fundapp.celery import app as celery_app
from proposals.models import Comment, Notification
from proposals.services import notifications
from tests.factories import make_member, make_proposal

pytestmark = pytest.mark.django_db

# A port where nothing listens: connecting is refused at once.
BROKER_DOWN = "redis://127.0.0.1:9/0"


@pytest.fixture
def broker_down(monkeypatch):
    """Tasks go to a broker that refuses connections, tried once."""
    # Celery's settings prefer the environment's broker (CI's Redis) to conf.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.broker_write_url)
    pools = (celery_app._pool, celery_app.amqp._producer_pool)
    conf.task_always_eager, conf.broker_url, conf.broker_write_url = (
        False,
        BROKER_DOWN,
        None,
    )
    celery_app._pool, celery_app.amqp._producer_pool = None, None
    monkeypatch.setattr(outbox, "BROKER_RETRY_POLICY", {"max_retries": 0})
    yield
    conf.task_always_eager, conf.broker_url, conf.broker_write_url = saved
    celery_app._pool, celery_app.amqp._producer_pool = pools


def _proposal_with_an_emailed_proposer():
    proposal = make_proposal()
    proposal.proposer.email = "wang@example.org"
    proposal.proposer.save(update_fields=["email"])
    return proposal


def _comment(client, proposal, capture):
    neighbour = make_member(proposal.community)
    client.force_login(neighbour)
    with capture(execute=True):
        return client.post(
            reverse("proposals:comment", args=[proposal.pk]), {"body": "建议加上老人"}
        )


def _sweep_later():
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    return notifications.notifications_send_pending()


def test_a_comment_is_saved_and_answered_when_the_broker_is_down(
    client, broker_down, django_capture_on_commit_callbacks, caplog
):
    proposal = _proposal_with_an_emailed_proposer()

    response = _comment(client, proposal, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert Comment.objects.filter(proposal=proposal).count() == 1
    notification = Notification.objects.get(recipient=proposal.proposer)
    assert notification.emailed_at is None
    assert "waits for the broker" in caplog.text


def test_the_sweep_sends_what_was_owed_once_the_broker_is_back(
    client, broker_down, django_capture_on_commit_callbacks
):
    proposal = _proposal_with_an_emailed_proposer()
    _comment(client, proposal, django_capture_on_commit_callbacks)
    celery_app.conf.task_always_eager = True  # the broker is back

    handed = _sweep_later()
    again = _sweep_later()

    notification = Notification.objects.get(recipient=proposal.proposer)
    assert handed == [notification.pk]
    assert again == []
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wang@example.org"]


def test_a_mail_server_that_is_down_fails_nothing_and_the_sweep_sends_later(
    client, django_capture_on_commit_callbacks
):
    proposal = _proposal_with_an_emailed_proposer()
    refused = ConnectionRefusedError("mail server down")

    with mock.patch.object(notifications, "send_mail", side_effect=refused):
        response = _comment(client, proposal, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert Notification.objects.get(recipient=proposal.proposer).emailed_at is None
    assert len(mail.outbox) == 0
    _sweep_later()
    assert len(mail.outbox) == 1


def test_the_sweep_leaves_fresh_old_and_addressless_notifications(client):
    fresh = _proposal_with_an_emailed_proposer()
    make_member(fresh.community)
    notifications.notify_team(fresh, kind="comment", actor=None)
    old = _proposal_with_an_emailed_proposer()
    notifications.notify_team(old, kind="comment", actor=None)
    Notification.objects.filter(proposal=old).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    nobody = make_proposal()
    notifications.notify_team(nobody, kind="comment", actor=None)
    Notification.objects.filter(proposal=nobody).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )

    assert notifications.notifications_send_pending() == []
