"""The registry of a meeting's actions: one entry is an action of the page."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from councils import services
from councils.actions import ACTIONS, EVENT_GIVERS, MOTION_FIELDS, MeetingAction
from councils.forms import FORM_FIELDS, action_form
from councils.live import meeting_live
from councils.permissions import MEMBER
from councils.procedure import MOTIONS
from tests.factories import action_key, make_proposal, make_round

pytestmark = pytest.mark.django_db


def test_every_motion_of_the_engine_declares_its_fields():
    assert set(MOTION_FIELDS) == set(MOTIONS)


def test_every_field_an_action_takes_has_a_form_field():
    names = {
        field.name
        for action in ACTIONS.values()
        for motion in (None, *MOTION_FIELDS)
        for field in action.fields_for(motion)
    }

    assert names <= set(FORM_FIELDS)


def test_each_event_of_the_log_is_built_by_one_action_that_names_its_giver():
    events = [action.event for action in ACTIONS.values() if action.event]

    assert len(events) == len(set(events))
    assert set(EVENT_GIVERS) == set(events)


def test_the_form_of_a_motion_has_only_that_motions_fields(council_meeting):
    meeting, _chair, _members = council_meeting

    main = action_form(meeting, {"action": "move", "motion": "main"})
    adjourn = action_form(meeting, {"action": "move", "motion": "adjourn"})

    assert set(main.fields) == {
        "action",
        "idempotency_key",
        "motion",
        "text",
        "amount",
        "proposal",
    }
    assert set(adjourn.fields) == {"action", "idempotency_key", "motion"}


def test_the_form_gives_an_amount_as_a_decimal(council_meeting):
    meeting, _chair, _members = council_meeting
    form = action_form(
        meeting,
        {
            "action": "move",
            "motion": "amend",
            "amount": "¥1,000.50",
            "idempotency_key": "k",
        },
    )

    assert form.is_valid(), form.errors
    assert form.action_values()["amount"] == Decimal("1000.50")


def test_the_form_refuses_a_proposal_that_is_not_on_the_agenda(council_meeting):
    meeting, _chair, members = council_meeting
    elsewhere = make_proposal(
        make_round(meeting.council.community), status="eligible", proposer=members[0]
    )
    form = action_form(
        meeting,
        {
            "action": "move",
            "motion": "main",
            "proposal": elsewhere.pk,
            "idempotency_key": "k",
        },
    )

    assert not form.is_valid()
    assert "proposal" in form.errors


def test_an_unknown_action_is_refused(in_session, key):
    meeting, chair, _members = in_session

    with pytest.raises(ValidationError, match="not an action of a meeting"):
        services.meeting_act(
            meeting=meeting, actor=chair, action="dance", idempotency_key=key()
        )


def test_an_action_without_its_required_field_is_incomplete(in_session, key):
    meeting, _chair, members = in_session

    with pytest.raises(ValidationError, match="incomplete"):
        services.meeting_act(
            meeting=meeting, actor=members[0], action="vote", idempotency_key=key()
        )


def test_an_amount_given_as_text_is_a_programming_error(in_session, key):
    meeting, _chair, members = in_session

    with pytest.raises(TypeError, match="amount"):
        services.motion_move(
            meeting=meeting,
            member=members[0],
            motion="main",
            text="Plant trees",
            amount="100.00",
            idempotency_key=key(),
        )


def test_a_field_the_motion_does_not_take_is_a_programming_error(in_session, key):
    meeting, _chair, members = in_session

    with pytest.raises(TypeError, match="takes no amount"):
        services.motion_move(
            meeting=meeting,
            member=members[0],
            motion="adjourn",
            amount=Decimal("100.00"),
            idempotency_key=key(),
        )


def test_a_chairs_action_is_refused_to_a_member(in_session, key):
    meeting, _chair, members = in_session

    with pytest.raises(PermissionDenied, match="Only the chair"):
        services.meeting_act(
            meeting=meeting, actor=members[0], action="state", idempotency_key=key()
        )


def test_the_chair_is_offered_the_chairs_buttons_and_a_member_not(in_session):
    meeting, chair, members = in_session

    chair_live = meeting_live(meeting, chair)
    member_live = meeting_live(meeting, members[0])
    chair_buttons = {action.name for action in chair_live["buttons"]}
    member_buttons = {action.name for action in member_live["buttons"]}

    # Leaving is offered to both, as its own confirmed control.
    assert "leave" in chair_live["offered"] & member_live["offered"]
    assert "leave" not in chair_buttons | member_buttons
    assert "seek_floor" in member_buttons - chair_buttons
    assert "reconvene" not in chair_buttons | member_buttons


def test_each_motion_in_order_lists_only_its_fields(in_session):
    meeting, _chair, members = in_session

    menu = {
        entry["motion"]: entry for entry in meeting_live(meeting, members[0])["menu"]
    }

    assert menu["main"]["fields"] == ["text", "amount", "proposal"]
    assert menu["adjourn"]["fields"] == []


def test_an_action_declared_once_is_offered_posted_and_recorded(
    client, in_session, monkeypatch
):
    meeting, _chair, members = in_session
    monkeypatch.setitem(
        ACTIONS,
        "check_in_again",
        MeetingAction(
            "check_in_again", MEMBER, "Check in again", "arrive", actor_key="member"
        ),
    )
    services.meeting_leave(meeting=meeting, member=members[0], idempotency_key="out")
    meeting.refresh_from_db()
    client.force_login(members[0])

    offered = {action.name for action in meeting_live(meeting, members[0])["buttons"]}
    key = action_key(members[0], meeting)
    client.post(
        reverse("councils:act", args=[meeting.pk]),
        {"action": "check_in_again", "idempotency_key": key},
    )

    assert "check_in_again" in offered
    assert meeting.events.get(idempotency_key=key).payload == {
        "type": "arrive",
        "member": str(members[0].pk),
    }
