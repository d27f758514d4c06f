"""The audit page of a community (issue 14 §4): its social workers and the
departments that supervise it read who changed what and its members' logins,
filter them and download them; nobody else reads them."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fundapp.models import Role
from reports.models import Department, DepartmentViewer
from tests.factories import make_community, make_member, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "linli-test-pass"


def _log_in(client, login, password, address="10.0.0.1"):
    """A login through the login page, from a browser of its own."""
    client = Client()
    return client.post(
        reverse("login"),
        {"username": login, "password": password},
        REMOTE_ADDR=address,
    )


def _audit(client, community, **query):
    return client.get(reverse("reports:audit", args=[community.code]), query)


@pytest.fixture
def community():
    return make_community()


@pytest.fixture
def worker(community):
    return make_member(community, Role.SOCIAL_WORKER)


def _department_viewer(community):
    department = Department.objects.create(
        code="YHT-MZJ", name="雨花台区民政局", kind=Department.Kind.CIVIL_AFFAIRS
    )
    department.communities.add(community)
    viewer = make_user()
    DepartmentViewer.objects.create(user=viewer, department=department)
    return viewer


def test_a_social_worker_of_the_community_reads_its_audit_page(
    client, community, worker
):
    client.force_login(worker)

    response = _audit(client, community)

    assert response.status_code == 200
    assert "Audit" in response.text


def test_a_viewer_of_a_supervising_department_reads_it(client, community):
    client.force_login(_department_viewer(community))

    assert _audit(client, community).status_code == 200


def test_a_viewer_of_a_department_that_supervises_another_community_does_not(
    client, community
):
    client.force_login(_department_viewer(make_community()))

    assert _audit(client, community).status_code == 403


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.COUNCILLOR, Role.FUND_COMMITTEE])
def test_other_members_of_the_community_do_not(client, community, role):
    client.force_login(make_member(community, role))

    assert _audit(client, community).status_code == 403
    assert (
        client.get(reverse("reports:audit_csv", args=[community.code])).status_code
        == 403
    )


def test_a_social_worker_of_another_community_does_not(client, community):
    client.force_login(make_member(make_community(), Role.SOCIAL_WORKER))

    assert _audit(client, community).status_code == 403


def test_a_visitor_is_sent_to_log_in(client, community):
    response = _audit(client, community)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_fund_page_links_to_it_for_its_readers_only(client, community, worker):
    fund_page = reverse("fund:fund", args=[community.code])
    client.force_login(make_member(community))
    assert 'data-testid="audit-link"' not in client.get(fund_page).text

    client.force_login(worker)
    assert 'data-testid="audit-link"' in client.get(fund_page).text


def test_logins_wrong_passwords_and_pauses_of_members_are_listed(
    client, settings, community, worker
):
    settings.AXES_FAILURE_LIMIT = 3
    resident = make_member(community)
    outsider = make_member(make_community())
    _log_in(client, resident.username, PASSWORD)
    for _ in range(3):
        _log_in(client, resident.phone, "wrong", address="10.0.9.9")
    _log_in(client, outsider.username, PASSWORD)
    client.force_login(worker)

    records = _audit(client, community).context["page"].object_list

    kinds = [(record.kind, record.person) for record in records]
    assert ("login", resident) in kinds
    assert ("login_failed", resident) in kinds
    assert ("lockout", resident) in kinds
    assert all(record.person != outsider for record in records)
    login = next(
        record
        for record in records
        if record.person == resident and record.kind == "login"
    )
    assert login.address == "10.0.0.1"
    assert login.request == reverse("login")
    assert records == sorted(records, key=lambda record: record.at, reverse=True)


def test_who_let_a_paused_login_in_again_is_listed_with_what_was_forgotten(
    client, settings, community, worker
):
    settings.AXES_FAILURE_LIMIT = 3
    resident = make_member(community, display_name="黄阿姨")
    for _ in range(3):
        _log_in(client, resident.username, "wrong", address="10.0.9.9")
    client.force_login(worker)

    client.post(reverse("fund:unlock", args=[community.code, resident.pk]))
    records = _audit(client, community, kind="unlock").context["page"].object_list
    csv_text = (
        client.get(
            reverse("reports:audit_csv", args=[community.code]), {"kind": "unlock"}
        )
        .getvalue()
        .decode()
    )

    assert [(record.kind, record.person) for record in records] == [("unlock", worker)]
    assert records[0].note == "黄阿姨 may log in again; 3 wrong passwords forgotten"
    assert "黄阿姨 may log in again; 3 wrong passwords forgotten" in csv_text
    assert "Login let again" in _audit(client, community).text


def test_an_unlock_elsewhere_is_not_listed(client, community, worker):
    from fundapp import services

    other = make_community()
    resident = make_member(other)
    services.login_unlock(
        actor=make_member(other, Role.SOCIAL_WORKER), community=other, user=resident
    )
    client.force_login(worker)

    records = _audit(client, community).context["page"].object_list

    assert all(record.kind != "unlock" for record in records)


def test_a_departments_viewer_reads_the_logins_without_their_addresses(
    client, community
):
    resident = make_member(community)
    _log_in(client, resident.username, PASSWORD, address="10.7.7.7")
    client.force_login(_department_viewer(community))

    response = _audit(client, community)
    csv_text = (
        client.get(reverse("reports:audit_csv", args=[community.code]))
        .getvalue()
        .decode()
    )

    login = next(
        record
        for record in response.context["page"].object_list
        if record.person == resident
    )
    assert login.address == ""
    assert "10.7.7.7" not in response.text
    assert "10.7.7.7" not in csv_text


def test_the_records_filter_by_kind_person_and_dates(
    client, settings, community, worker
):
    settings.AXES_FAILURE_LIMIT = 10
    first = make_member(community, display_name="王阿姨")
    second = make_member(community, display_name="李叔")
    _log_in(client, first.username, PASSWORD)
    _log_in(client, second.username, "wrong")
    client.force_login(worker)
    today = timezone.localdate()

    def listed(**query):
        page = _audit(client, community, **query).context["page"]
        return [
            (record.kind, record.person)
            for record in page.object_list
            if record.person != worker and record.is_login
        ]

    assert listed(kind="login") == [("login", first)]
    assert listed(kind="login_failed") == [("login_failed", second)]
    assert listed(person="李") == [("login_failed", second)]
    assert listed(person=first.phone) == [("login", first)]
    assert set(listed(since=today.isoformat(), until=today.isoformat())) == {
        ("login", first),
        ("login_failed", second),
    }
    assert listed(until=(today - timedelta(days=1)).isoformat()) == []
    assert listed(since=(today + timedelta(days=1)).isoformat()) == []


def test_a_bad_date_is_a_form_error_not_a_failure(client, community, worker):
    client.force_login(worker)

    response = _audit(client, community, since="2026-13-45")

    assert response.status_code == 200
    assert response.context["filter"].form.errors["since"]


def test_the_csv_holds_the_filtered_records_with_formulas_neutralised(
    client, community, worker
):
    sly = make_member(community, display_name='=HYPERLINK("http://x","y")')
    _log_in(client, sly.username, PASSWORD, address="10.0.0.7")
    client.force_login(worker)

    response = client.get(
        reverse("reports:audit_csv", args=[community.code]), {"kind": "login"}
    )

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0].lstrip("\ufeff") == "Time"
    people = [row[5] for row in rows[1:]]
    assert "'" + str(sly) in people
    assert str(worker) in people
    assert all(row[1] == "Logged in" for row in rows[1:])


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="with the history of changes: test_audit_postgres.py",
)
@pytest.mark.parametrize("logins", [1, 10])
def test_the_page_costs_the_same_queries_however_many_records(
    client, community, worker, logins, django_assert_num_queries
):
    for number in range(logins):
        member = make_member(community)
        _log_in(client, member.username, PASSWORD, address=f"10.0.5.{number}")
        _log_in(client, member.username, "wrong", address=f"10.0.5.{number}")
    client.force_login(worker)
    _audit(client, community)  # the session

    # The session, the user, the community, the roles; the count, the page;
    # the logins, the failures, the people; the unread notifications.
    with django_assert_num_queries(10):
        _audit(client, community)


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL records the history"
)
def test_on_sqlite_the_page_says_the_history_is_recorded_only_on_postgresql(
    client, community, worker
):
    client.force_login(worker)

    response = _audit(client, community)

    assert 'data-testid="history-postgresql-only"' in response.text
    assert "only when Linli runs on PostgreSQL" in response.text


def test_the_page_speaks_chinese(client, community, worker):
    client.force_login(worker)
    del client.cookies["django_language"]

    response = _audit(client, community)

    assert "审计" in response.text


def test_a_logout_is_noted_on_its_login(client, community, worker):
    member = make_member(community)
    browser = Client()
    browser.post(reverse("login"), {"username": member.username, "password": PASSWORD})
    browser.post(reverse("logout"))
    client.force_login(worker)

    records = _audit(client, community, kind="login").context["page"].object_list

    login = next(record for record in records if record.person == member)
    assert "logged out at" in login.note
