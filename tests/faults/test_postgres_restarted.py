"""PostgreSQL restarted in the middle of a meeting, as the app (gunicorn,
persistent connections) lives it: its connections are cut in the middle of a
transaction and new ones refused for a while, then it is back.

The machine's PostgreSQL is shared, so it is not restarted: the app reaches
it through a proxy of the test's own, which is stopped (every connection cut,
new ones refused) and started again, while the server side of the cut
transaction is ended with pg_terminate_backend; then it holds connections
without answering (a host that hangs). Readers get the friendly 503 page,
within the connection's 5 s timeout when the host hangs, a decision cut
halfway leaves nothing of itself, and the same app process answers again once
the database is back."""

import threading
import time

import psycopg
import pytest
from django.db import connection

from councils.models import MeetingEvent, Vote
from fundapp.models import Commitment
from proposals.models import Notification, Proposal
from tests.faults.meeting import (
    act_url,
    announce,
    live_url,
    meeting_voting_on_a_grant,
    session_of,
    vote,
)
from tests.faults.processes import App, Browser, TcpProxy, database_url, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def direct_connection():
    """A connection of the test's own, not through the proxy."""
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
        user=db["USER"] or "postgres", password=db["PASSWORD"] or None,
        dbname=db["NAME"], autocommit=True, connect_timeout=5,
    )  # fmt: skip


def blocked_backend(admin, own_pid) -> int | None:
    """The app's backend waiting for the lock the test holds."""
    row = admin.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND pid <> %s",
        [own_pid],
    ).fetchone()
    return row[0] if row else None


def unavailable(answer) -> bool:
    return (
        answer.status == 503
        and answer.headers.get("Retry-After") == "60"
        and "Briefly unavailable" in answer.text
        and "Traceback" not in answer.text
        and answer.headers.get("X-Error-Reference", "").startswith("E-")
    )


def test_postgres_restarted_mid_meeting_shows_503_writes_nothing_half_and_recovers(
    tmp_path,
):
    meeting, chair, members, proposal = meeting_voting_on_a_grant()
    voters = members[:4]
    db = connection.settings_dict
    proxy = TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)).start()
    app = App(
        tmp_path,
        DATABASE_URL=database_url(port=proxy.port),
        LINLI_LIVE_CACHE_URL=f"file://{tmp_path / 'live'}",
    )
    admin = direct_connection()
    locker = direct_connection()
    try:
        app.wait_healthy()
        master = app.process.pid
        watcher = Browser(app.base_url, session_of(members[4]))
        chairs = Browser(app.base_url, session_of(chair))
        for member in voters[:3]:
            voted = Browser(app.base_url, session_of(member)).post(
                act_url(meeting), vote(member, meeting)
            )
            assert voted.status == 200, voted
        last_voter = Browser(app.base_url, session_of(voters[3]))
        assert watcher.get(live_url(meeting)).status == 200
        events_before = MeetingEvent.objects.filter(meeting=meeting).count()
        status_before = Proposal.objects.get(pk=proposal.pk).status

        # The announcement's transaction has stored its event and the
        # meeting's count, and waits for the proposal's row: there the
        # database restarts.
        locker.execute("BEGIN")
        locker.execute(
            "SELECT 1 FROM proposals_proposal WHERE id = %s FOR UPDATE", [proposal.pk]
        )
        answers = {}
        announcing = threading.Thread(
            target=lambda: answers.update(
                announced=chairs.post(act_url(meeting), announce(chair, meeting))
            )
        )
        announcing.start()
        pid = wait_for(lambda: blocked_backend(admin, locker.info.backend_pid), 15)
        assert pid, "the announcement never waited for the proposal's row"
        proxy.stop()  # every connection of the app cut, new ones refused
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        announcing.join(30)
        locker.execute("ROLLBACK")

        while_down = [
            watcher.get(live_url(meeting)),
            last_voter.post(act_url(meeting), vote(voters[3], meeting)),
        ]

        assert unavailable(answers["announced"]), answers["announced"]
        assert all(unavailable(answer) for answer in while_down), while_down
        # Nothing of the cut announcement nor of the vote sent meanwhile.
        assert MeetingEvent.objects.filter(meeting=meeting).count() == events_before
        assert Vote.objects.filter(question__meeting=meeting).count() == 3
        proposal.refresh_from_db()
        assert proposal.status == status_before
        assert not Commitment.objects.filter(fund=proposal.community.fund).exists()
        assert not Notification.objects.filter(
            proposal=proposal, status=Proposal.Status.APPROVED
        ).exists()

        # Its host hangs (connections accepted, never answered): a reader
        # waits the connection's timeout, not the worker's.
        proxy.start(hold=True)
        started = time.monotonic()
        hung = watcher.get(live_url(meeting))
        waited = time.monotonic() - started
        proxy.stop()

        assert unavailable(hung), hung
        assert waited < 15

        proxy.start()  # the database is back, on the same address
        seen = watcher.get(live_url(meeting))
        voted = last_voter.post(act_url(meeting), vote(voters[3], meeting))
        announced = chairs.post(act_url(meeting), announce(chair, meeting))

        assert seen.status == 200, seen
        assert voted.status == 200, voted
        assert announced.status == 200, announced
        assert app.process.poll() is None and app.process.pid == master
    finally:
        app.stop()
        proxy.stop()
        locker.close()
        admin.close()

    assert Vote.objects.filter(question__meeting=meeting).count() == 4
    assert MeetingEvent.objects.filter(meeting=meeting).count() == events_before + 2
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    assert Commitment.objects.filter(fund=proposal.community.fund).count() == 1
