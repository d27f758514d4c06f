"""The reports' pages: make, follow, download, submit; who may see what."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from fundapp.models import Role
from reports.models import Department, ReportVersion, Submission
from tests.factories import issued_key, make_member, make_user
from tests.reports.reporting import YEAR, make_reporting_community

pytestmark = pytest.mark.django_db


def make_version(client, community, worker, django_capture_on_commit_callbacks):
    client.force_login(worker)
    url = f"/c/{community.code}/reports/"
    key = issued_key(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "kind": "annual",
                "year": YEAR,
                "language": "zh-hans",
                "narrative": "今年我们开了老年食堂。",
                "plan": "明年继续。",
                "idempotency_key": key,
            },
        )
    assert response.status_code == 302, response.content
    return ReportVersion.objects.get(report__fund=community.fund, report__year=YEAR)


def test_a_social_worker_makes_a_report_and_downloads_its_files(
    client, django_capture_on_commit_callbacks
):
    community, worker, _department, _viewer = make_reporting_community()

    version = make_version(
        client, community, worker, django_capture_on_commit_callbacks
    )
    page = client.get(f"/reports/v/{version.pk}/")
    pdf = client.get(f"/reports/v/{version.pk}/report.pdf")

    assert version.status == "done"
    assert page.status_code == 200
    assert b"report.xlsx" in page.content
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_social_worker_submits_a_version_to_the_department(
    client, django_capture_on_commit_callbacks
):
    community, worker, department, _viewer = make_reporting_community()
    version = make_version(
        client, community, worker, django_capture_on_commit_callbacks
    )
    url = f"/reports/v/{version.pk}/"
    key = client.get(url).context["form"]["idempotency_key"].value()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{url}submit/", {"department": department.pk, "idempotency_key": key}
        )

    assert response.status_code == 302
    submission = Submission.objects.get(version=version)
    assert submission.email_status == "sent"
    (message,) = mail.outbox
    assert message.to == ["minzheng@example.org", "archive@example.org"]
    assert len(message.attachments) == 4


def test_the_department_viewer_reads_what_was_submitted_to_them_only(
    client, django_capture_on_commit_callbacks
):
    community, worker, department, viewer = make_reporting_community()
    version = make_version(
        client, community, worker, django_capture_on_commit_callbacks
    )
    other = make_user()
    stranger_department = Department.objects.create(
        code="OTHER", name="别处", kind=Department.Kind.CIVIL_AFFAIRS
    )
    stranger_department.viewers.create(user=other)
    client.force_login(viewer)
    before = client.get(f"/reports/v/{version.pk}/")
    Submission.objects.create(
        version=version, department=department, submitted_by=worker,
        submitted_at=version.finished_at, idempotency_key="test-submission",
    )  # fmt: skip

    after = client.get(f"/reports/v/{version.pk}/")
    inbox = client.get("/reports/inbox/")
    client.force_login(other)
    stranger = client.get(f"/reports/v/{version.pk}/")
    stranger_file = client.get(f"/reports/v/{version.pk}/report.pdf")

    assert before.status_code == 404
    assert after.status_code == 200
    assert version.report.year == YEAR and str(YEAR).encode() in inbox.content
    assert stranger.status_code == 404
    assert stranger_file.status_code == 404


def test_a_resident_cannot_see_the_reports_page_nor_a_draft(
    client, django_capture_on_commit_callbacks
):
    community, worker, _department, _viewer = make_reporting_community()
    version = make_version(
        client, community, worker, django_capture_on_commit_callbacks
    )
    client.force_login(make_member(community, Role.RESIDENT))

    assert client.get(f"/c/{community.code}/reports/").status_code == 404
    assert client.get(f"/reports/v/{version.pk}/").status_code == 404
    assert client.get(f"/c/{community.code}/report-back/{YEAR}/").status_code == 404


def test_residents_read_the_submitted_report_in_both_languages(
    client, django_capture_on_commit_callbacks
):
    community, worker, department, _viewer = make_reporting_community()
    version = make_version(
        client, community, worker, django_capture_on_commit_callbacks
    )
    Submission.objects.create(
        version=version, department=department, submitted_by=worker,
        submitted_at=version.finished_at, idempotency_key="test-submission",
    )  # fmt: skip
    client.logout()  # a new cookie jar: the language is set again
    client.cookies["django_language"] = "en"

    english = client.get(f"/c/{community.code}/report-back/{YEAR}/")
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(f"/c/{community.code}/report-back/{YEAR}/")

    assert english.status_code == chinese.status_code == 200
    assert "Where the money came from" in english.content.decode()
    assert "今年我们开了老年食堂。" in chinese.content.decode()
    assert "¥620,000.00" in english.content.decode()


def test_a_year_in_the_future_is_refused_with_a_message_in_the_form(client):
    community, worker, _department, _viewer = make_reporting_community()
    client.force_login(worker)
    url = f"/c/{community.code}/reports/"

    response = client.post(
        url,
        {
            "kind": "annual",
            "year": 2099,
            "language": "en",
            "idempotency_key": issued_key(client, url),
        },
    )

    assert response.status_code == 200
    assert "2099 has not begun yet" in response.content.decode()
    assert not ReportVersion.objects.exists()


def test_a_departments_addresses_must_be_email_addresses():
    department = Department(
        code="D-BAD", name="部门", kind="civil_affairs", emails=["not an address"]
    )

    with pytest.raises(ValidationError, match="not an email address"):
        department.full_clean()
