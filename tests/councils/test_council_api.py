"""The council's public record in the open data API: meetings, and for those
with approved minutes, their decisions with counts and roll calls by name."""

from decimal import Decimal

import pytest
import yaml
from openapi_spec_validator import validate

from councils import services
from councils.models import Minutes
from fundapp.models import Role
from tests.factories import (
    make_council,
    make_funded_community,
    make_meeting,
    make_member,
    make_proposal,
    make_round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(key, move_and_state):
    """A meeting that granted a proposal by roll call, adjourned."""
    community, _keeper, _tranche = make_funded_community(amount="5000.00")
    council, chair, members = make_council(community, seats=4)
    worker = make_member(community, Role.SOCIAL_WORKER)
    proposal = make_proposal(make_round(community), status="eligible")
    meeting = make_meeting(council, chair=chair)
    services.agenda_add_proposal(meeting=meeting, proposal=proposal, actor=worker)
    for person in [chair, *members]:
        services.meeting_check_in(meeting=meeting, member=person, idempotency_key=key())
    services.meeting_call_to_order(meeting=meeting, chair=chair, idempotency_key=key())
    move_and_state(
        meeting,
        chair,
        members[0],
        members[1],
        motion="main",
        text="资助夜间巡逻 Fund the night patrol",
        proposal=proposal,
        amount=Decimal("1185.00"),
    )
    # The council orders a roll call on it.
    move_and_state(
        meeting,
        chair,
        members[2],
        members[3],
        motion="voting_method",
        method="roll_call",
    )
    services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=key()
    )
    for person in members:
        services.vote_cast(
            meeting=meeting, member=person, choice="yes", idempotency_key=key()
        )
    services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())
    services.question_put(
        meeting=meeting, chair=chair, method="roll_call", idempotency_key=key()
    )
    for person, choice in zip(members, ["yes", "yes", "yes", "no"], strict=True):
        services.vote_cast(
            meeting=meeting, member=person, choice=choice, idempotency_key=key()
        )
    services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())
    meeting.refresh_from_db()
    return meeting, members, proposal


def _approve(meeting):
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    Minutes.objects.filter(pk=minutes.pk).update(
        status="approved", approved_at=meeting.scheduled_at
    )


def test_a_meeting_with_approved_minutes_gives_its_decisions_and_roll_call(
    client, decided
):
    meeting, members, proposal = decided
    _approve(meeting)

    record = client.get(f"/api/meetings/{meeting.pk}/").json()

    assert record["minutes_approved"] is True
    assert record["minutes_url"].endswith(f"/meetings/{meeting.pk}/minutes/")
    decision = record["decisions"][-1]
    assert [d["motion"] for d in record["decisions"]] == ["voting_method", "main"]
    assert (decision["result"], decision["proposal"]) == ("adopted", proposal.pk)
    assert (decision["yes"], decision["no"], decision["method"]) == (3, 1, "roll_call")
    assert sorted(vote["name"] for vote in decision["votes"]) == sorted(
        str(member) for member in members
    )


def test_draft_minutes_keep_the_decisions_off_the_api(client, decided):
    meeting, _members, _proposal = decided

    record = client.get(f"/api/meetings/{meeting.pk}/").json()
    listed = client.get(
        "/api/meetings/", {"community": meeting.council.community.code}
    ).json()

    assert (record["minutes_approved"], record["decisions"]) == (False, [])
    assert record["minutes_url"] is None
    assert [row["id"] for row in listed["results"]] == [meeting.pk]


def test_the_meetings_endpoints_are_in_the_schema_with_their_400_and_404(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    validate(schema)

    listing = schema["paths"]["/api/meetings/"]["get"]
    item = schema["paths"]["/api/meetings/{id}/"]["get"]
    assert {"200", "400", "404"} <= set(listing["responses"])
    assert {"200", "404"} <= set(item["responses"])
    assert client.get("/api/meetings/", {"year": "x"}).status_code == 400
    assert client.get("/api/meetings/999999/").status_code == 404


def test_the_meetings_filter_by_approved_minutes_and_refuse_another_value(
    client, decided
):
    meeting, _members, _proposal = decided
    _approve(meeting)

    approved = client.get("/api/meetings/", {"minutes_approved": "true"}).json()
    drafts = client.get("/api/meetings/", {"minutes_approved": "false"}).json()
    refused = client.get("/api/meetings/", {"minutes_approved": "-58800"})

    assert [record["id"] for record in approved["results"]] == [meeting.pk]
    assert meeting.pk not in [record["id"] for record in drafts["results"]]
    assert refused.status_code == 400
