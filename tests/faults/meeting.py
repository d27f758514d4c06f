"""A council meeting in the middle of a vote on a grant, for the fault tests,
and what its members' browsers send."""

from decimal import Decimal

from django.conf import settings
from django.test import Client
from django.urls import reverse

from councils import services
from fundapp.models import Role
from tests.factories import (
    action_key,
    key,
    make_council,
    make_funded_community,
    make_meeting,
    make_member,
    make_proposal,
    make_round,
)

GRANT = Decimal("1185.00")


def meeting_voting_on_a_grant():
    """A funded community's council in session, voting on a grant to a
    proposal whose proposer (the fifth councillor, recused) has an email.
    Returns (meeting, chair, members, proposal)."""
    community, _keeper, _tranche = make_funded_community(amount="5000.00")
    _council, chair, members = make_council(community, seats=5)
    worker = make_member(community, Role.SOCIAL_WORKER)
    members[4].email = "wang@example.org"
    members[4].save(update_fields=["email"])
    proposal = make_proposal(
        make_round(community), status="eligible", proposer=members[4]
    )
    meeting = make_meeting(_council, chair=chair)
    services.agenda_add_proposal(meeting=meeting, proposal=proposal, actor=worker)
    for person in [chair, *members]:
        services.meeting_check_in(meeting=meeting, member=person, idempotency_key=key())
    services.meeting_call_to_order(meeting=meeting, chair=chair, idempotency_key=key())
    services.motion_move(
        meeting=meeting, member=members[0], idempotency_key=key(), motion="main",
        text=f"That the council fund {proposal.title}", proposal=proposal,
        amount=GRANT,
    )  # fmt: skip
    services.motion_second(meeting=meeting, member=members[1], idempotency_key=key())
    services.motion_state(meeting=meeting, chair=chair, idempotency_key=key())
    services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=key()
    )
    meeting.refresh_from_db()
    return meeting, chair, members, proposal


def session_of(user) -> str:
    """A signed-in session (committed: the test is transactional)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def live_url(meeting) -> str:
    return reverse("councils:live", args=[meeting.pk])


def act_url(meeting) -> str:
    return reverse("councils:act", args=[meeting.pk])


def vote(member, meeting, choice="yes") -> dict:
    return {
        "action": "vote",
        "choice": choice,
        "idempotency_key": action_key(member, meeting),
    }


def announce(chair, meeting) -> dict:
    return {"action": "announce", "idempotency_key": action_key(chair, meeting)}
