"""The live meeting page, its polled fragment, and the minutes page."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from councils import services
from fundapp.models import Role
from tests.factories import action_key, make_council, make_member


def next_fortnight() -> tuple[str, str]:
    """The Monday after next and the Sunday 13 days later, as a form types them."""
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=14 - today.weekday())
    return str(monday), str(monday + datetime.timedelta(days=13))


pytestmark = pytest.mark.django_db


def test_the_meeting_page_polls_its_fragment_every_second(client, in_session):
    meeting, chair, members = in_session
    client.force_login(members[0])

    page = client.get(reverse("councils:meeting", args=[meeting.pk]))

    assert page.status_code == 200
    live_url = reverse("councils:live", args=[meeting.pk])
    assert f'hx-get="{live_url}"' in page.text
    assert "every 1s" in page.text


def test_a_member_sees_only_the_actions_in_order_for_them(
    client, in_session, key, move_and_state
):
    meeting, chair, members = in_session
    services.motion_move(
        meeting=meeting,
        member=members[0],
        motion="main",
        text="Buy chairs",
        idempotency_key=key(),
    )
    client.force_login(members[1])

    with translation.override("en"):
        fragment = client.get(reverse("councils:live", args=[meeting.pk]))

    assert 'data-action="second"' in fragment.text
    assert 'data-action="announce"' not in fragment.text


def test_the_chairs_console_offers_to_state_a_seconded_motion(client, in_session, key):
    meeting, chair, members = in_session
    services.motion_move(
        meeting=meeting,
        member=members[0],
        motion="main",
        text="Buy chairs",
        idempotency_key=key(),
    )
    services.motion_second(meeting=meeting, member=members[1], idempotency_key=key())
    client.force_login(chair)

    fragment = client.get(reverse("councils:live", args=[meeting.pk]))

    assert 'data-action="state"' in fragment.text


def test_an_action_refused_by_the_engine_comes_back_in_words(client, in_session):
    meeting, chair, members = in_session
    client.force_login(members[0])

    with translation.override("en"):
        response = client.post(
            reverse("councils:act", args=[meeting.pk]),
            {"action": "second", "idempotency_key": action_key(members[0], meeting)},
            HTTP_HX_REQUEST="true",
        )

    assert response.status_code == 200
    assert "not in order" in response.text
    assert not meeting.events.filter(type="second").exists()


def test_someone_off_the_council_acting_gets_403(client, in_session):
    meeting, chair, members = in_session
    outsider = make_member(meeting.council.community)
    client.force_login(outsider)

    response = client.post(
        reverse("councils:act", args=[meeting.pk]),
        {"action": "arrive", "idempotency_key": action_key(outsider, meeting)},
    )

    assert response.status_code == 403


def test_a_member_moves_from_the_page(client, in_session):
    meeting, chair, members = in_session
    client.force_login(members[0])

    response = client.post(
        reverse("councils:act", args=[meeting.pk]),
        {
            "action": "move",
            "motion": "main",
            "text": "Plant trees",
            "idempotency_key": action_key(members[0], meeting),
        },
    )

    assert response.status_code == 302
    assert meeting.events.get(type="move").payload["text"] == "Plant trees"


@pytest.mark.parametrize("extra_events", [10, 200])
def test_the_live_fragment_costs_the_same_queries_however_long_the_log(
    client, in_session, key, extra_events, django_assert_num_queries
):
    meeting, chair, members = in_session
    for index in range(extra_events):
        if index % 2 == 0:
            services.meeting_leave(
                meeting=meeting, member=members[4], idempotency_key=key()
            )
        else:
            services.meeting_check_in(
                meeting=meeting, member=members[4], idempotency_key=key()
            )
    client.force_login(members[0])
    url = reverse("councils:live", args=[meeting.pk])
    client.get(url)  # warm the session
    cache.clear()

    with django_assert_num_queries(8):
        client.get(url)


def test_draft_minutes_are_hidden_from_the_public(client, in_session):
    meeting, chair, members = in_session
    client.force_login(make_member(meeting.council.community))

    response = client.get(reverse("councils:minutes", args=[meeting.pk]))

    assert response.status_code == 403


def test_the_council_page_lists_the_councillors(client, in_session):
    meeting, chair, members = in_session

    response = client.get(
        reverse("councils:council", args=[meeting.council.community.code])
    )

    assert response.status_code == 200
    assert str(members[0]) in response.text


def test_the_chair_may_rule_a_motion_out_of_order_with_reasons_from_the_page(
    client, in_session, key
):

    meeting, chair, members = in_session
    services.motion_move(
        meeting=meeting,
        member=members[0],
        motion="main",
        text="X",
        idempotency_key=key(),
    )
    client.force_login(chair)

    page = client.get(reverse("councils:live", args=[meeting.pk])).text
    response = client.post(
        reverse("councils:act", args=[meeting.pk]),
        {
            "action": "rule_out_of_order",
            "code": "UNTIMELY",
            "reasons": "another item first",
            "idempotency_key": action_key(chair, meeting),
        },
    )

    assert 'name="code"' in page and 'id="ooo-reasons"' in page
    assert response.status_code == 302
    ruling = meeting.events.get(type="rule_out_of_order").payload
    assert ruling["reasons"] == "another item first"


def test_a_social_worker_schedules_meetings_twice_a_week_from_the_form(client):
    council, chair, _members = make_council()
    worker = make_member(council.community, Role.SOCIAL_WORKER)
    client.force_login(worker)
    url = reverse("councils:series", args=[council.community.code])
    first_on, last_on = next_fortnight()

    response = client.post(
        url,
        {
            "weekdays": ["2", "5"],
            "at": "19:00",
            "place": "社区议事厅",
            "first_on": first_on,
            "last_on": last_on,
            "notice_lead_hours": "48",
        },
    )

    days = [
        timezone.localtime(m.scheduled_at).strftime("%a %H:%M")
        for m in council.meetings.order_by("scheduled_at")
    ]
    assert response.status_code == 302
    assert days == ["Tue 19:00", "Fri 19:00", "Tue 19:00", "Fri 19:00"]


def test_a_councillor_cannot_schedule_a_series(client):
    council, _chair, members = make_council()
    client.force_login(members[0])

    response = client.post(
        reverse("councils:series", args=[council.community.code]),
        {
            "weekdays": ["2"],
            "at": "19:00",
            "place": "x",
            "first_on": next_fortnight()[0],
            "last_on": next_fortnight()[1],
            "notice_lead_hours": "48",
        },
    )

    assert response.status_code == 403
    assert not council.meetings.exists()
