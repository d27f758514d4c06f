"""Submitting a version: on record, emailed through a real SMTP server."""

import email
import socket
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from fundapp.models import Role
from reports import services
from reports.models import Department, Reminder, ReportVersion, Requirement, Submission
from tests.factories import key, make_community, make_member
from tests.reports.reporting import YEAR, make_reporting_community

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server in this process; Django's SMTP backend sends to it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield inbox
    controller.stop()


def made_version(community, worker, capture):
    with capture(execute=True):
        version = services.report_request(
            kind="annual", year=YEAR, language="zh-hans", requested_by=worker,
            idempotency_key=key(), fund=community.fund,
        )  # fmt: skip
    version.refresh_from_db()
    return version


def test_a_real_smtp_server_receives_the_submission_with_its_files(
    smtp_server, django_capture_on_commit_callbacks
):
    community, worker, department, _viewer = make_reporting_community()
    version = made_version(community, worker, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        submission = services.report_submit(
            version=version, department=department, submitted_by=worker,
            idempotency_key=key(),
        )  # fmt: skip

    submission.refresh_from_db()
    assert submission.email_status == "sent" and submission.emailed_at is not None
    ((recipients, content),) = smtp_server.messages
    assert sorted(recipients) == ["archive@example.org", "minzheng@example.org"]
    message = email.message_from_bytes(content)
    attachments = {
        part.get_filename(): part.get_payload(decode=True)
        for part in message.walk()
        if part.get_filename()
    }
    stored = {row.part: row.file.read() for row in version.files.all()}
    assert {
        name.split("-", 2)[-1]: body for name, body in attachments.items()
    } == stored


def test_a_failed_delivery_is_recorded_and_raised_for_the_retry(
    settings, django_capture_on_commit_callbacks
):
    community, worker, department, _viewer = make_reporting_community()
    version = made_version(community, worker, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with django_capture_on_commit_callbacks(execute=False):
        submission = services.report_submit(
            version=version, department=department, submitted_by=worker,
            idempotency_key=key(),
        )  # fmt: skip

    with pytest.raises(OSError, match="refused"):
        services.submission_email_send(submission_id=submission.pk)

    submission.refresh_from_db()
    assert submission.email_status == "failed"
    assert "ConnectionRefusedError" in submission.email_error


def test_a_version_is_submitted_once_to_a_department(
    django_capture_on_commit_callbacks,
):
    community, worker, department, _viewer = make_reporting_community()
    version = made_version(community, worker, django_capture_on_commit_callbacks)
    same = key()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.report_submit(
            version=version,
            department=department,
            submitted_by=worker,
            idempotency_key=same,
        )
        again = services.report_submit(
            version=version,
            department=department,
            submitted_by=worker,
            idempotency_key=same,
        )

    with pytest.raises(ValidationError, match="already submitted") as refused:
        services.report_submit(
            version=version, department=department, submitted_by=worker,
            idempotency_key=key(),
        )  # fmt: skip

    assert first.pk == again.pk
    assert refused.value.code == "already_submitted"


def test_a_department_that_does_not_supervise_the_community_is_refused(
    django_capture_on_commit_callbacks,
):
    community, worker, _department, _viewer = make_reporting_community()
    version = made_version(community, worker, django_capture_on_commit_callbacks)
    elsewhere = Department.objects.create(
        code="ELSEWHERE", name="别处民政局", kind=Department.Kind.CIVIL_AFFAIRS
    )

    with pytest.raises(ValidationError, match="does not supervise") as refused:
        services.report_submit(
            version=version, department=elsewhere, submitted_by=worker,
            idempotency_key=key(),
        )  # fmt: skip

    assert refused.value.code == "not_supervising"


def test_a_version_that_does_not_reconcile_cannot_be_submitted(
    django_capture_on_commit_callbacks,
):
    community, worker, department, _viewer = make_reporting_community()
    with django_capture_on_commit_callbacks(execute=False):
        version = services.report_request(
            kind="annual", year=YEAR, language="zh-hans", requested_by=worker,
            idempotency_key=key(), fund=community.fund,
        )  # fmt: skip
    ReportVersion.objects.filter(pk=version.pk).update(
        status="done", reconciles=False, figures={}, finished_at=version.requested_at
    )
    version.refresh_from_db()

    with pytest.raises(ValidationError, match="does not reconcile") as refused:
        services.report_submit(
            version=version, department=department, submitted_by=worker,
            idempotency_key=key(),
        )  # fmt: skip

    assert refused.value.code == "not_reconciled"


def test_only_the_communitys_social_worker_submits(django_capture_on_commit_callbacks):
    community, worker, department, viewer = make_reporting_community()
    version = made_version(community, worker, django_capture_on_commit_callbacks)
    keeper = make_member(community, Role.FUND_COMMITTEE)

    for person in (keeper, viewer):
        with pytest.raises(Exception, match="right to do this"):
            services.report_submit(
                version=version, department=department, submitted_by=person,
                idempotency_key=key(),
            )  # fmt: skip


@pytest.mark.postgres
def test_the_database_keeps_a_submitted_version_and_its_files_as_they_are(
    django_capture_on_commit_callbacks,
):
    community, worker, department, _viewer = make_reporting_community()
    version = made_version(community, worker, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        submission = services.report_submit(
            version=version, department=department, submitted_by=worker,
            idempotency_key=key(),
        )  # fmt: skip

    for statement in (
        f"UPDATE reports_reportversion SET narrative = 'x' WHERE id = {version.pk}",
        f"DELETE FROM reports_reportversion WHERE id = {version.pk}",
        f"UPDATE reports_reportfile SET sha256 = 'x' WHERE version_id = {version.pk}",
        f"DELETE FROM reports_reportfile WHERE version_id = {version.pk}",
        f"UPDATE reports_submission SET version_id = 0 WHERE id = {submission.pk}",
        f"DELETE FROM reports_submission WHERE id = {submission.pk}",
    ):
        with pytest.raises(IntegrityError, match="kept|on record"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement)


def test_social_workers_are_reminded_of_a_deadline_once_per_stage(mailoutbox):
    community, worker, department, _viewer = make_reporting_community()
    worker.email = "worker@example.org"
    worker.save(update_fields=["email"])
    requirement = Requirement.objects.create(
        department=department,
        community=community,
        kind="annual",
        due_month=3,
        due_day=31,
    )

    month_before = services.reports_remind_deadlines(today=date(YEAR + 1, 3, 1))
    again = services.reports_remind_deadlines(today=date(YEAR + 1, 3, 1))
    ordinary_day = services.reports_remind_deadlines(today=date(YEAR + 1, 3, 2))
    overdue = services.reports_remind_deadlines(today=date(YEAR + 1, 4, 1))

    assert (month_before, again, ordinary_day, overdue) == (1, 0, 0, 1)
    assert [message.to for message in mailoutbox] == [["worker@example.org"]] * 2
    assert "2017-03-31" in mailoutbox[0].body
    assert Reminder.objects.filter(requirement=requirement).count() == 2


def test_no_reminder_once_the_report_is_submitted(
    mailoutbox, django_capture_on_commit_callbacks
):
    community, worker, department, _viewer = make_reporting_community()
    Requirement.objects.create(
        department=department,
        community=community,
        kind="annual",
        due_month=3,
        due_day=31,
    )
    version = made_version(community, worker, django_capture_on_commit_callbacks)
    Submission.objects.create(
        version=version, department=department, submitted_by=worker,
        submitted_at=version.finished_at, idempotency_key="submitted",
    )  # fmt: skip

    assert services.reports_remind_deadlines(today=date(YEAR + 1, 3, 30)) == 0


def test_a_deadline_on_the_31st_of_a_short_month_is_its_last_day():
    community = make_community()
    department = Department.objects.create(
        code="D-X", name="部门", kind="civil_affairs"
    )
    requirement = Requirement(
        department=department,
        community=community,
        kind="annual",
        due_month=2,
        due_day=31,
    )

    assert services.deadline(requirement, 2015) == date(2016, 2, 29)
