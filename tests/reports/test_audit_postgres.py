"""The audit page shows the history of changes PostgreSQL records (issue 14 §4):
what changed from what to what, who changed it and through which request."""

import pytest
from django.db import connection
from django.urls import reverse

from fundapp.models import Role
from fundapp.services import resident_register
from reports.models import Department, DepartmentViewer, Requirement
from tests.factories import (
    make_approved_proposal,
    make_community,
    make_council,
    make_funded_community,
    make_member,
    make_project,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _audit(client, community, **query):
    return client.get(reverse("reports:audit", args=[community.code]), query)


def _register(community, number):
    return resident_register(
        community=community,
        phone=f"1390000{number:04d}",
        password="a-long-pass-phrase",
        display_name=f"居民{number}",
        address="5栋101",
    ).memberships.get()


def test_a_verification_shows_who_made_it_through_which_request(client):
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    membership = _register(community, 1)
    client.force_login(worker)
    url = reverse("fund:verify", args=[community.code, membership.pk])
    client.post(url, {"roster_reference": "R-1"})

    page = _audit(client, community, kind="update").context["page"]

    [record] = page.object_list
    assert record.what == "Membership"
    assert record.object_id == membership.pk
    assert record.person == worker
    assert record.request == f"POST {url}"
    changes = {change.label: (change.before, change.after) for change in record.changes}
    assert changes["Verified by"] == ("—", str(worker))
    assert changes["Verified at"][0] == "—"
    assert "Address" not in changes


def test_a_change_made_with_raw_sql_is_shown_without_a_person(client):
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE fundapp_community SET rating_window_days = 30 WHERE id = %s",
            [community.pk],
        )
    client.force_login(worker)

    response = _audit(client, community, what="fundapp.community", kind="update")

    [record] = response.context["page"].object_list
    assert record.person is None and record.request == ""
    assert [(c.label, c.before, c.after) for c in record.changes] == [
        ("Days residents may rate a completed project", "60", "30")
    ]
    assert "no signed-in person" in response.text


def test_another_communitys_changes_are_not_shown(client):
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    elsewhere = make_community()
    _register(elsewhere, 2)
    client.force_login(worker)

    records = _audit(client, community, what="fundapp.membership").context["page"]

    assert {record.object_id for record in records.object_list} == {
        worker.memberships.get().pk
    }


def test_the_page_says_nothing_of_postgresql_only(client):
    community = make_community()
    client.force_login(make_member(community, Role.SOCIAL_WORKER))

    assert 'data-testid="history-postgresql-only"' not in _audit(client, community).text


@pytest.mark.parametrize("residents", [1, 10])
def test_the_page_of_changes_costs_the_same_queries_however_many(
    client, residents, django_assert_num_queries
):
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    for number in range(residents):
        membership = _register(community, 100 + number)
        client.force_login(worker)
        client.post(reverse("fund:verify", args=[community.code, membership.pk]), {})
    _audit(client, community)  # the session

    # The session, the user, the community, the roles; the count, the page;
    # the history of the community, its fund and its memberships, the logins,
    # the people; the unread notifications.
    with django_assert_num_queries(12):
        _audit(client, community)


def test_every_kind_of_record_a_community_keeps_is_shown_with_its_changes(client):
    community, _keeper, tranche = make_funded_community("50000.00")
    make_council(community, seats=2)
    make_project(make_approved_proposal(community))
    department = Department.objects.create(
        code="YHT-MZJ", name="雨花台区民政局", kind=Department.Kind.CIVIL_AFFAIRS
    )
    department.communities.add(community)
    viewer = make_member(make_community(), Role.RESIDENT)
    DepartmentViewer.objects.create(user=viewer, department=department)
    Requirement.objects.create(
        department=department,
        community=community,
        kind="annual",
        due_month=3,
        due_day=31,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE fundapp_tranche SET allowed_categories = '[\"culture\"]'"
            " WHERE id = %s",
            [tranche.pk],
        )
    client.force_login(viewer)

    response = _audit(client, community)

    assert response.status_code == 200
    whats = {record.what for record in response.context["page"].object_list}
    assert {
        "Tranche",
        "Council",
        "Term",
        "Seat",
        "Call for proposals",
        "Project",
        "Installment",
        "Department",
        "Department viewer",
        "Required report",
    } <= whats, whats
    changed = next(
        record
        for record in response.context["page"].object_list
        if record.what == "Tranche" and record.kind == "update"
    )
    assert [(c.label, c.before, c.after) for c in changed.changes] == [
        ("Allowed categories", "[]", '["culture"]')
    ]
    assert response.context["page"].paginator.count > 10
