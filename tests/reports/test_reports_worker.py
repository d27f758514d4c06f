"""A real Celery worker on Redis makes reports (killed mid-report:
tests/faults/test_worker_killed.py)."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from reports import services
from reports.models import ReportFile, ReportVersion
from tests.factories import key
from tests.reports.reporting import YEAR, make_reporting_community

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker():
    if settings.CELERY_BROKER_URL.startswith("memory"):
        pytest.skip(
            "needs a real broker: set CELERY_BROKER_URL=redis://... as .ci/run does"
        )
    from fundapp.celery import app

    app.conf.task_always_eager = False
    with app.connection_for_write() as conn:
        conn.default_channel.client.delete("celery")  # nothing left from other runs
    yield app
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    return predicate()


def worker_process(media_root):
    """`celery -A fundapp worker` in its own process, on the test database."""
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "LINLI_MEDIA_ROOT": str(media_root),
    }
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "fundapp", "worker", "--pool=solo",
         "--concurrency=1", "--loglevel=WARNING", "--without-gossip",
         "--without-mingle", "--without-heartbeat"],
        env=env, cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def status(pk):
    return ReportVersion.objects.values_list("status", flat=True).get(pk=pk)


def test_a_real_worker_on_redis_makes_the_report(broker, settings):
    community, worker, _department, _viewer = make_reporting_community()
    process = worker_process(settings.MEDIA_ROOT)
    try:
        version = services.report_request(
            kind="annual", year=YEAR, language="zh-hans", requested_by=worker,
            idempotency_key=key(), fund=community.fund,
        )  # fmt: skip
        wait_for(lambda: status(version.pk) == "done", 120)
    finally:
        process.terminate()
        process.wait(30)

    version.refresh_from_db()
    assert version.status == "done" and version.enqueued_at is not None
    assert ReportFile.objects.filter(version=version).count() == 4
