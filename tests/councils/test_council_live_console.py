"""The member's console on the live page: the motions in order now, each with
only its fields and the wording the meeting knows (issue 12 §2)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from councils import services
from councils.live import meeting_live
from fundapp.models import Role
from tests.factories import make_member, make_proposal, make_round

pytestmark = pytest.mark.django_db


def _adopt(meeting, chair, members, key, move_and_state, text):
    move_and_state(meeting, chair, members[0], members[1], motion="main", text=text)
    services.meeting_act(
        meeting=meeting,
        actor=chair,
        action="put_question",
        idempotency_key=key(),
        method="voice",
    )
    for member in members:
        services.meeting_act(
            meeting=meeting,
            actor=member,
            action="vote",
            idempotency_key=key(),
            choice="yes",
        )
    services.meeting_act(
        meeting=meeting, actor=chair, action="announce", idempotency_key=key()
    )


def _menu(meeting, person) -> dict[str, dict]:
    meeting.refresh_from_db()
    return {entry["motion"]: entry for entry in meeting_live(meeting, person)["menu"]}


def test_each_earlier_decision_is_listed_once_by_its_wording(
    in_session, key, move_and_state
):
    meeting, chair, members = in_session
    _adopt(meeting, chair, members, key, move_and_state, "Buy chairs")
    _adopt(meeting, chair, members, key, move_and_state, "Paint the hall")

    menu = _menu(meeting, members[2])
    entries = [entry["motion"] for entry in meeting_live(meeting, members[2])["menu"]]

    assert entries.count("rescind") == 1
    labels = [target["label"] for target in menu["rescind"]["targets"]]
    assert len(labels) == 2
    assert any("Buy chairs" in label for label in labels)
    assert any("Paint the hall" in label for label in labels)
    assert "previous_notice" in menu["rescind"]["fields"]


def test_an_amendment_starts_from_the_wording_and_amount_it_amends(
    in_session, key, move_and_state
):
    meeting, chair, members = in_session
    move_and_state(
        meeting, chair, members[0], members[1], motion="main", text="Buy chairs"
    )

    menu = _menu(meeting, members[2])

    assert menu["amend"]["prefill"]["new_text"] == "Buy chairs"
    assert "new_text" in menu["amend"]["fields"]
    assert [name for name in menu][:2] == ["amend", "refer"]


def test_a_main_motion_starts_from_the_next_proposal_and_what_it_asks_now(
    in_session,
):
    meeting, chair, members = in_session
    community = meeting.council.community
    worker = make_member(community, Role.SOCIAL_WORKER)
    proposal = make_proposal(make_round(community), status="eligible")
    services.agenda_add_proposal(meeting=meeting, proposal=proposal, actor=worker)

    main = _menu(meeting, members[0])["main"]

    assert main["prefill"]["proposal"] == proposal.pk
    assert main["prefill"]["amount"] == proposal.requested_amount
    assert proposal.title in main["prefill"]["text"]


def test_the_council_is_warned_when_a_grant_exceeds_what_the_proposal_asks(
    client, in_session, move_and_state
):
    meeting, chair, members = in_session
    community = meeting.council.community
    worker = make_member(community, Role.SOCIAL_WORKER)
    proposal = make_proposal(make_round(community), status="eligible")
    services.agenda_add_proposal(meeting=meeting, proposal=proposal, actor=worker)
    more = proposal.requested_amount + Decimal("200.00")
    move_and_state(
        meeting,
        chair,
        members[0],
        members[1],
        motion="main",
        text="Fund it",
        proposal=proposal,
        amount=more,
    )
    client.force_login(chair)
    client.cookies["django_language"] = "en"

    html = client.get(
        reverse("councils:live", args=[meeting.pk]), headers={"HX-Request": "true"}
    ).text

    assert "more than the proposal now asks" in html
    assert 'data-action="state"' not in html  # stated; the chair may put it
