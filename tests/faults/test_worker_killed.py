"""The Celery worker killed (SIGKILL, the whole worker) while it stores a
report: once a worker runs again the version is made, once, with its files.

The task is acknowledged late and rejected when its worker is lost
(fundapp/settings.py, reports.services.versions.report_make_task), so the
broker hands it out again; the version's row is its outbox and lock, so the
run that finds it made does nothing.
"""

import hashlib
import time

import pytest
from django.conf import settings

from reports import services
from reports.models import ReportFile, ReportVersion, report_version_folder
from tests.factories import key
from tests.faults.processes import celery_worker, stop, wait_for
from tests.reports.reporting import YEAR, make_reporting_community

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def status(pk):
    return ReportVersion.objects.values_list("status", flat=True).get(pk=pk)


def log_of(tmp_path, name):
    return (tmp_path / f"worker-{name}.log").read_text(errors="replace")[-3000:]


def test_a_worker_killed_mid_report_makes_one_report_once_a_worker_runs_again(
    private_redis, celery_on, tmp_path
):
    community, worker, _department, _viewer = make_reporting_community()
    celery_on(private_redis.url())
    broker = {
        "CELERY_BROKER_URL": private_redis.url(),
        # A message taken by a worker that died goes back after 3 s.
        "CELERY_VISIBILITY_TIMEOUT": "3",
    }
    paused = tmp_path / "paused"
    first = celery_worker(
        tmp_path, name="first", pool="prefork",
        LINLI_FAULT_PAUSE_FILE=str(paused), **broker,
    )  # fmt: skip
    second = None
    try:
        version = services.report_request(
            kind="annual", year=YEAR, language="zh-hans", requested_by=worker,
            idempotency_key=key(), fund=community.fund,
        )  # fmt: skip
        # The worker has rendered and stored the files and inserted their
        # rows, and waits before committing: it dies there.
        assert wait_for(paused.exists, 90), log_of(tmp_path, "first")
        stop(first, kill=True)
        killed = (status(version.pk), ReportFile.objects.count())
        folder = settings.MEDIA_ROOT / report_version_folder(version.pk)
        killed_files = len(list(folder.iterdir()))

        # kombu looks for messages to hand out again when a worker starts,
        # then only every 10th round (about 100 s): the dead worker's message
        # must be past its 3 s of visibility when the new worker first looks.
        time.sleep(4)
        second = celery_worker(tmp_path, name="second", **broker)
        made = wait_for(lambda: status(version.pk) == "done", 90)
        assert made, log_of(tmp_path, "second")
    finally:
        stop(first, kill=True)
        stop(second)

    version.refresh_from_db()
    assert killed == ("running", 0)  # nothing of the dead run was committed
    assert (version.status, version.attempts) == ("done", 2)
    assert ReportVersion.objects.count() == 1
    files = list(ReportFile.objects.filter(version=version))
    assert sorted(f.part for f in files) == sorted(ReportFile.Part.values)
    for stored in files:
        with stored.file.open("rb") as content:
            assert hashlib.sha256(content.read()).hexdigest() == stored.sha256
    # What the dead run had stored before it died is gone: only these files.
    folder = settings.MEDIA_ROOT / report_version_folder(version.pk)
    assert sorted(f"{folder}/{p.name}" for p in folder.iterdir()) == sorted(
        stored.file.path for stored in files
    )
    assert killed_files == 4
