"""Making a version: requested once per key, made once, failures recorded."""

import hashlib
from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from kombu.exceptions import OperationalError as BrokerDown

from fundapp.models import Role
from reports import services
from reports.models import ReportFile, ReportVersion
from tests.factories import key, make_community, make_member
from tests.reports.reporting import YEAR, make_reporting_community

pytestmark = pytest.mark.django_db


def request(community, worker, **overrides):
    fields = {
        "kind": "annual",
        "year": YEAR,
        "language": "zh-hans",
        "requested_by": worker,
        "idempotency_key": key(),
        "fund": community.fund,
    }
    fields.update(overrides)
    return services.report_request(**fields)


def test_a_version_is_made_with_each_files_sha256(django_capture_on_commit_callbacks):
    community, worker, _department, _viewer = make_reporting_community()

    with django_capture_on_commit_callbacks(execute=True):
        version = request(community, worker)

    version.refresh_from_db()
    assert (version.status, version.progress, version.reconciles) == ("done", 100, True)
    files = {row.part: row for row in version.files.all()}
    assert set(files) == {"report.pdf", "statement.pdf", "report.xlsx", "report.csv"}
    for row in files.values():
        content = row.file.read()
        assert hashlib.sha256(content).hexdigest() == row.sha256
        assert len(content) == row.size


def test_a_double_click_makes_one_version(django_capture_on_commit_callbacks):
    community, worker, _department, _viewer = make_reporting_community()
    same = key()

    with django_capture_on_commit_callbacks(execute=True):
        first = request(community, worker, idempotency_key=same)
        second = request(community, worker, idempotency_key=same)

    assert first.pk == second.pk
    assert ReportVersion.objects.count() == 1


def test_a_key_used_for_another_request_is_refused(django_capture_on_commit_callbacks):
    community, worker, _department, _viewer = make_reporting_community()
    same = key()
    with django_capture_on_commit_callbacks(execute=False):
        request(community, worker, idempotency_key=same)

    with pytest.raises(ValidationError, match="already used") as refused:
        request(community, worker, idempotency_key=same, language="en")

    assert refused.value.code == "idempotency_key_reused"


def test_making_again_makes_a_new_version_and_keeps_the_old(
    django_capture_on_commit_callbacks,
):
    community, worker, _department, _viewer = make_reporting_community()

    with django_capture_on_commit_callbacks(execute=True):
        first = request(community, worker)
        second = request(community, worker, narrative="更正")

    assert (first.number, second.number) == (1, 2)
    assert ReportFile.objects.filter(version=first).count() == 4
    assert ReportFile.objects.filter(version=second).count() == 4


def test_a_redelivered_task_returns_the_version_already_made(
    django_capture_on_commit_callbacks,
):
    community, worker, _department, _viewer = make_reporting_community()
    with django_capture_on_commit_callbacks(execute=True):
        version = request(community, worker)
    files = list(version.files.values_list("pk", "sha256"))

    again = services.report_version_make(version_id=version.pk)

    assert again.status == "done"
    assert list(again.files.values_list("pk", "sha256")) == files


def test_of_two_runs_of_one_version_only_one_stores_its_files(
    django_capture_on_commit_callbacks,
):
    community, worker, _department, _viewer = make_reporting_community()
    with django_capture_on_commit_callbacks(execute=False):
        version = request(community, worker)
    render = services.versions.report_files_render
    nested = []

    def render_while_another_run_finishes(**kwargs):
        if not nested:
            nested.append(True)
            services.report_version_make(version_id=version.pk)
        return render(**kwargs)

    with (
        mock.patch.object(
            services.versions, "report_files_render", render_while_another_run_finishes
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.report_version_make(version_id=version.pk)

    version.refresh_from_db()
    assert version.status == "done" and version.attempts == 2
    assert ReportFile.objects.filter(version=version).count() == 4


def test_a_failure_is_recorded_with_its_reason(django_capture_on_commit_callbacks):
    community, worker, _department, _viewer = make_reporting_community()

    with (
        mock.patch.object(
            services.versions, "report_figures", side_effect=ValueError("no ink")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        request(community, worker)

    version = ReportVersion.objects.get()
    assert version.status == "failed"
    assert version.failure_reason == "ValueError: no ink"


def test_a_transient_error_is_retried_and_the_version_made(
    django_capture_on_commit_callbacks,
):
    community, worker, _department, _viewer = make_reporting_community()
    figures = services.versions.report_figures
    calls = []

    def flaky(version):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("the database went away")
        return figures(version)

    with (
        mock.patch.object(services.versions, "report_figures", flaky),
        django_capture_on_commit_callbacks(execute=True),
    ):
        request(community, worker)

    version = ReportVersion.objects.get()
    assert (version.status, version.attempts, version.failure_reason) == ("done", 2, "")


def test_the_task_is_acknowledged_late_and_retried_with_backoff():
    task = services.report_make_task

    assert task.acks_late and task.reject_on_worker_lost
    assert OperationalError in task.autoretry_for
    assert task.retry_backoff and task.max_retries == 5


@pytest.fixture
def with_a_broker():
    """Tasks go through the broker, not in process."""
    conf = services.report_make_task.app.conf
    conf.task_always_eager = False
    yield
    conf.task_always_eager = True


def test_a_request_while_the_broker_is_down_is_saved_and_queued_later(
    django_capture_on_commit_callbacks, with_a_broker
):
    community, worker, _department, _viewer = make_reporting_community()

    with (
        mock.patch.object(
            services.report_make_task, "apply_async", side_effect=BrokerDown("down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        version = request(community, worker)
    version.refresh_from_db()
    waiting = (version.status, version.enqueued_at)
    services.report_make_task.app.conf.task_always_eager = True  # the broker is back
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.reports_queue_waiting()

    version.refresh_from_db()
    assert waiting == ("queued", None)
    assert queued == [version.pk]
    assert version.status == "done" and version.enqueued_at is not None


@pytest.mark.parametrize(
    ("year", "code", "words"),
    [
        (2099, "future_year", "has not begun"),
        (2010, "no_data", "no money recorded"),
        (1999, "year_out_of_range", "between 2000 and 2100"),
    ],
)
def test_a_year_that_cannot_be_reported_is_refused_in_words(year, code, words):
    community, worker, _department, _viewer = make_reporting_community()

    with pytest.raises(ValidationError, match=words) as refused:
        request(community, worker, year=year)

    assert refused.value.code == code
    assert not ReportVersion.objects.exists()


def test_a_community_without_a_fund_has_no_report():
    with pytest.raises(ValidationError, match="has no fund") as refused:
        services.report_check(kind="annual", year=YEAR, fund=None)

    assert refused.value.code == "no_fund"


def test_only_the_communitys_social_workers_and_fund_committee_make_reports():
    community, _worker, _department, viewer = make_reporting_community()
    resident = make_member(community, Role.RESIDENT)
    other_worker = make_member(make_community(), Role.SOCIAL_WORKER)

    for person in (resident, other_worker, viewer):
        with pytest.raises(Exception, match="right to do this"):
            request(community, person)


def test_the_scheduler_prepares_last_years_reports_once(
    django_capture_on_commit_callbacks,
):
    community, _worker, _department, _viewer = make_reporting_community()
    empty = make_community()

    with django_capture_on_commit_callbacks(execute=False):
        first = services.reports_prepare_annual(today=date(YEAR + 1, 1, 2))
        second = services.reports_prepare_annual(today=date(YEAR + 1, 1, 2))

    assert first == second and len(first) == 1
    version = ReportVersion.objects.get()
    assert version.report.fund == community.fund and version.requested_by is None
    assert not ReportVersion.objects.filter(report__fund=empty.fund).exists()
