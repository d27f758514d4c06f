"""The roster and rule-settings forms on the council page: social workers only."""

import datetime

import pytest
from django.urls import reverse

from councils.models import Seat
from fundapp import services as fund_services
from fundapp.models import Role
from tests.factories import make_council, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def council_and_worker():
    council, chair, members = make_council(seats=3)
    worker = make_member(council.community, Role.SOCIAL_WORKER)
    return council, chair, members, worker


def _url(name, council, *args):
    return reverse(f"councils:{name}", args=[council.community.code, *args])


def test_the_social_worker_sees_the_roster_and_settings_forms(
    client, council_and_worker
):
    council, _chair, _members, worker = council_and_worker
    client.force_login(worker)

    page = client.get(_url("council", council)).text

    assert _url("seat_assign", council) in page
    assert _url("settings", council) in page


def test_a_social_worker_seats_a_verified_resident(client, council_and_worker):
    council, _chair, _members, worker = council_and_worker
    term = council.terms.get()
    term.councillor_seats = 4
    term.save(update_fields=["councillor_seats"])
    resident = make_member(council.community, Role.RESIDENT)
    fund_services.role_grant(
        user=resident, community=council.community, role=Role.RESIDENT, granted_by=None
    )
    client.force_login(worker)

    response = client.post(
        _url("seat_assign", council),
        {
            "term": term.pk,
            "phone": resident.phone,
            "role": "councillor",
            "starts_on": "2024-01-01",
        },
    )

    assert response.status_code == 302
    assert Seat.objects.filter(term=term, holder=resident).exists()


def test_a_councillor_cannot_seat_anyone(client, council_and_worker):
    council, _chair, members, _worker = council_and_worker
    client.force_login(members[0])

    response = client.post(
        _url("seat_assign", council),
        {
            "term": council.terms.get().pk,
            "phone": members[1].phone,
            "role": "councillor",
            "starts_on": "2024-01-01",
        },
    )

    assert response.status_code == 403


def test_a_social_worker_ends_a_seat_and_it_stays_as_history(
    client, council_and_worker
):
    council, _chair, members, worker = council_and_worker
    seat = Seat.objects.get(holder=members[0])
    client.force_login(worker)

    client.post(
        _url("seat_end", council, seat.pk),
        {"ends_on": "2024-06-30", "reason": "moved away"},
    )

    seat.refresh_from_db()
    assert seat.ends_on == datetime.date(2024, 6, 30)
    assert seat.end_reason == "moved away"


def test_a_councillor_cannot_end_a_seat(client, council_and_worker):
    council, _chair, members, _worker = council_and_worker
    seat = Seat.objects.get(holder=members[1])
    client.force_login(members[0])

    response = client.post(
        _url("seat_end", council, seat.pk),
        {"ends_on": "2024-06-30", "reason": "no"},
    )

    assert response.status_code == 403
    seat.refresh_from_db()
    assert seat.ends_on is None


def test_a_social_worker_changes_the_rule_settings_and_the_change_is_recorded(
    client, council_and_worker
):
    council, _chair, _members, worker = council_and_worker
    client.force_login(worker)

    client.post(
        _url("settings", council),
        {
            "quorum": "3",
            "small_board_rules": "auto",
            "main_motion_two_thirds_above": "50000",
            "reason": "bylaw 4",
        },
    )

    council.refresh_from_db()
    assert council.quorum == 3 and council.small_board_rules == "auto"
    assert str(council.main_motion_two_thirds_above) == "50000.00"
    assert council.settings_changes.get().reason == "bylaw 4"


def test_a_coordinator_cannot_change_the_rule_settings(client, council_and_worker):
    council, chair, _members, _worker = council_and_worker
    client.force_login(chair)

    response = client.post(
        _url("settings", council),
        {"small_board_rules": "on", "reason": "faster"},
    )

    assert response.status_code == 403
    council.refresh_from_db()
    assert council.small_board_rules == "off"
