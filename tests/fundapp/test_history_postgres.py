"""The history of changes is written by PostgreSQL, whoever connects (issue 14 §4).

A change made through a page is recorded with who made it and through which
request; a change made with raw SQL, as someone with psql would, is recorded
too (by the trigger), with no request; the history itself can't be changed.
"""

import pytest
from celery import shared_task
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from fundapp.models import Community, Membership, Role
from fundapp.personal_data import personal_data_erase
from fundapp.services import resident_register
from tests.factories import make_community, make_member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

MembershipHistory = Membership.pgh_event_model
CommunityHistory = Community.pgh_event_model


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_verification_through_the_page_is_recorded_with_its_worker_and_request(
    client,
):
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    resident = resident_register(
        community=community,
        phone="13900001111",
        password="a-long-pass-phrase",
        display_name="王阿姨",
        address="5栋101",
    )
    membership = resident.memberships.get()
    client.force_login(worker)
    url = reverse("fund:verify", args=[community.code, membership.pk])

    response = client.post(url, {"roster_reference": "R-1"})

    assert response.status_code == 302
    event = MembershipHistory.objects.filter(
        pgh_obj=membership, pgh_label="update"
    ).get()
    assert event.verified_by_id == worker.pk
    assert event.verified_at is not None
    assert event.pgh_context.metadata == {
        "user": worker.pk,
        "url": url,
        "method": "POST",
    }
    created = MembershipHistory.objects.get(pgh_obj=membership, pgh_label="insert")
    assert created.verified_at is None
    assert created.pgh_context is None


def test_a_change_made_with_raw_sql_is_recorded_by_the_trigger():
    community = make_community()

    sql(
        "UPDATE fundapp_community SET rating_window_days = 30 WHERE id = %s",
        [community.pk],
    )

    event = CommunityHistory.objects.filter(pgh_obj=community).latest("pgh_id")
    assert event.pgh_label == "update"
    assert event.rating_window_days == 30
    assert event.pgh_context is None


def test_a_delete_with_raw_sql_is_recorded_with_the_row_it_removed():
    community = make_community()
    member = make_member(community, Role.EVALUATOR)
    membership = member.memberships.get()

    sql("DELETE FROM fundapp_membership WHERE id = %s", [membership.pk])

    event = MembershipHistory.objects.filter(pgh_obj_id=membership.pk).latest("pgh_id")
    assert event.pgh_label == "delete"
    assert event.role == Role.EVALUATOR


@pytest.mark.parametrize(
    "statement", ["UPDATE {table} SET pgh_label = 'x'", "DELETE FROM {table}"]
)
def test_the_history_cannot_be_changed_or_removed(statement):
    make_community()
    table = CommunityHistory._meta.db_table

    with pytest.raises(DatabaseError, match="Cannot"), transaction.atomic():
        sql(statement.format(table=table))


def test_a_history_keeps_no_address_so_an_erasure_leaves_none_behind():
    community = make_community()
    resident = resident_register(
        community=community,
        phone="13900002222",
        password="a-long-pass-phrase",
        display_name="李叔",
        address="7栋302",
    )

    personal_data_erase(user=resident)

    kept = {field.name for field in MembershipHistory._meta.fields}
    assert {"address", "roster_reference"}.isdisjoint(kept)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT row_to_json(h)::text FROM {MembershipHistory._meta.db_table} h"
        )
        rows = [row[0] for row in cursor.fetchall()]
    assert rows and not any("7栋302" in row for row in rows)


@shared_task(name="tests.history.community_rating_window")
def community_rating_window(community_id, days):
    Community.objects.filter(pk=community_id).update(rating_window_days=days)


def test_a_change_made_by_a_background_task_carries_the_tasks_name(client):
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)

    community_rating_window.apply(args=[community.pk, 45])

    event = CommunityHistory.objects.filter(pgh_obj=community).latest("pgh_id")
    assert event.rating_window_days == 45
    assert event.pgh_context.metadata == {
        "task": "tests.history.community_rating_window"
    }
    client.force_login(worker)
    page = client.get(
        reverse("reports:audit", args=[community.code]), {"kind": "update"}
    ).context["page"]
    assert [record.request for record in page.object_list] == [
        "task tests.history.community_rating_window"
    ]
