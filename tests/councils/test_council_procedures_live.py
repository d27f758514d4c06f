"""The engine's later procedures, from the live page to the proposal.

Reconsider called up later in the meeting, the consent calendar, division of
a question and suspending the rules: each through the page's own actions
(`councils:act`), with the decision taking effect on the proposal and the
money in the same transaction.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from councils import services
from councils.live import meeting_live
from councils.minutes import minutes_build
from councils.selectors import meeting_outcome
from fundapp.models import Commitment, Role
from tests.councils.conftest import next_key
from tests.factories import (
    action_key,
    make_council,
    make_funded_community,
    make_meeting,
    make_member,
    make_proposal,
    make_round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def council_with_two_proposals():
    """A funded council in session, consent calendar on, two proposals on the
    agenda."""
    community, _keeper, _tranche = make_funded_community(amount="50000.00")
    council, chair, members = make_council(community, seats=5, consent_calendar=True)
    worker = make_member(community, Role.SOCIAL_WORKER)
    round_ = make_round(community)
    proposals = [make_proposal(round_, status="eligible") for _ in range(2)]
    meeting = make_meeting(council, chair=chair)
    for proposal in proposals:
        services.agenda_add_proposal(meeting=meeting, proposal=proposal, actor=worker)
    for person in [chair, *members]:
        services.meeting_check_in(
            meeting=meeting, member=person, idempotency_key=next_key()
        )
    services.meeting_call_to_order(
        meeting=meeting, chair=chair, idempotency_key=next_key()
    )
    meeting.refresh_from_db()
    return meeting, chair, members, proposals


def _act(client, meeting, person, **data):
    client.force_login(person)
    response = client.post(
        reverse("councils:act", args=[meeting.pk]),
        {"idempotency_key": action_key(person, meeting) + "-t", **data},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    return response


def _move(client, meeting, chair, mover, seconder, **fields):
    _act(client, meeting, mover, action="move", **fields)
    _act(client, meeting, seconder, action="second")
    _act(client, meeting, chair, action="state")


def _vote(client, meeting, chair, voters, choice="yes"):
    _act(client, meeting, chair, action="put_question", method="counted")
    for voter in voters:
        _act(client, meeting, voter, action="vote", choice=choice)
    _act(client, meeting, chair, action="announce")


def _fund(client, meeting, chair, members, proposal, amount="2000.00"):
    _move(
        client,
        meeting,
        chair,
        members[0],
        members[1],
        motion="main",
        text=f"That the council fund {proposal.title}",
        proposal=proposal.pk,
        amount=amount,
    )


def test_a_reconsider_made_during_other_business_is_called_up_later(
    client, council_with_two_proposals
):
    meeting, chair, members, (first, second) = council_with_two_proposals
    _fund(client, meeting, chair, members, first)
    _vote(client, meeting, chair, members[:4])
    _fund(client, meeting, chair, members, second)
    # A member on the prevailing side moves to reconsider the first grant
    # while the second is pending: recorded, to be called up later.
    adopted = meeting_outcome(meeting)["decisions"][-1]
    assert adopted["result"] == "adopted"
    _move(
        client,
        meeting,
        chair,
        members[2],
        members[3],
        motion="reconsider",
        applies_to=len(meeting_outcome(meeting)["decisions"]) - 1,
    )
    waiting = meeting_live(meeting, members[0])["reconsiderations"]
    assert waiting and not waiting[0]["may_call_up"]
    _vote(client, meeting, chair, members[:4])

    ready = meeting_live(meeting, members[0])["reconsiderations"]
    _act(client, meeting, members[0], action="call_up", applies_to=ready[0]["id"])
    _act(client, meeting, members[1], action="second")
    _act(client, meeting, chair, action="state")
    _vote(client, meeting, chair, members[:4])
    first.refresh_from_db()
    back_on_the_floor = first.status
    _vote(client, meeting, chair, members[:4], choice="no")

    first.refresh_from_db()
    assert ready[0]["may_call_up"]
    assert back_on_the_floor == "on_agenda"
    assert first.status == "rejected"
    assert first.commitment_id is None


def test_the_consent_calendar_adopts_what_nobody_took_off_it(
    client, council_with_two_proposals
):
    meeting, chair, members, (kept, removed) = council_with_two_proposals
    for proposal in (kept, removed):
        _act(
            client,
            meeting,
            chair,
            action="calendar_add",
            text=f"Fund {proposal.title}",
            proposal=proposal.pk,
            amount="1200.00",
        )
    calendar = meeting_live(meeting, members[0])["calendar"]
    _act(client, meeting, members[2], action="calendar_remove", item=calendar[1]["id"])
    _act(client, meeting, chair, action="unanimous_consent")
    _act(client, meeting, chair, action="announce")

    kept.refresh_from_db()
    removed.refresh_from_db()
    carried = meeting_live(meeting, members[0])["carried"]
    assert [item["may_remove"] for item in calendar] == [True, True]
    assert kept.status == "approved"
    assert kept.approved_amount == Decimal("1200.00")
    assert Commitment.objects.filter(pk=kept.commitment_id).exists()
    assert removed.status == "on_agenda"
    assert [item["kind"] for item in carried] == ["order"]
    subjects = minutes_build(meeting, None)["subjects"]
    assert [
        (s["disposition"], bool(s["vote"] and s["vote"]["unanimous"])) for s in subjects
    ] == [
        ("adopted", True),
        ("pending", False),
    ]


def test_a_divided_grant_is_decided_by_the_part_that_carries_the_money(
    client, council_with_two_proposals
):
    meeting, chair, members, (proposal, _other) = council_with_two_proposals
    _fund(client, meeting, chair, members, proposal, amount="3000.00")
    _move(
        client,
        meeting,
        chair,
        members[2],
        members[3],
        motion="division_of_question",
        parts="Fund the reading room for ¥3,000\nName it after the volunteers",
    )
    _vote(client, meeting, chair, members[:4])
    _vote(client, meeting, chair, members[:4])
    proposal.refresh_from_db()
    after_money = proposal.status
    _vote(client, meeting, chair, members[:4], choice="no")

    proposal.refresh_from_db()
    motions = meeting_outcome(meeting)["motions"]
    assert after_money == "approved"
    assert proposal.status == "approved"
    assert proposal.approved_amount == Decimal("3000.00")
    assert sorted(m["state"] for m in motions.values() if m["motion"] == "main") == [
        "ADOPTED",
        "DIVIDED",
        "LOST",
    ]


def test_suspending_the_rules_lets_a_lost_motion_be_renewed_once(
    client, council_with_two_proposals
):
    meeting, chair, members, (proposal, _other) = council_with_two_proposals
    _fund(client, meeting, chair, members, proposal)
    _vote(client, meeting, chair, members[:4], choice="no")
    renewal = {
        "action": "move",
        "motion": "main",
        "text": f"That the council fund {proposal.title}",
        "proposal": proposal.pk,
        "amount": "2000.00",
    }
    refused = _act(client, meeting, members[0], **renewal)
    _move(
        client,
        meeting,
        chair,
        members[2],
        members[3],
        motion="suspend_rules",
        allows="main",
        text="to take the grant up again",
    )
    _vote(client, meeting, chair, members[:4])

    _act(client, meeting, members[0], **renewal)

    assert "cannot be made again in the same session" in refused.text
    mains = [
        motion["state"]
        for key, motion in sorted(
            meeting_outcome(meeting)["motions"].items(), key=lambda kv: int(kv[0])
        )
        if motion["motion"] == "main"
    ]
    assert mains == ["LOST", "MOVED"]
