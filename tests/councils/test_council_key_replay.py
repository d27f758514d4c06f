"""Issue 8's attack: another community's fund committee replays a council's key.

While JMJY's council votes to fund a proposal, XWJ's fund committee posts its
own commitment form with the key the council's decision would use. The key is
refused (the form did not issue it), and the council's decision commits
JMJY's money, from JMJY's fund.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from councils import services
from fundapp.idempotency import derived_key
from fundapp.models import Commitment, Role
from fundapp.selectors import fund_balances
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


def test_a_replayed_decision_key_is_refused_and_the_council_commits_its_own_money(
    client, key, move_and_state
):
    jmjy, _keeper, _tranche = make_funded_community(amount="5000.00")
    xwj, xwj_keeper, _other = make_funded_community(amount="5000.00")
    council, chair, members = make_council(jmjy, seats=5)
    proposal = make_proposal(make_round(jmjy), status="eligible")
    meeting = make_meeting(council, chair=chair)
    services.agenda_add_proposal(
        meeting=meeting,
        proposal=proposal,
        actor=make_member(jmjy, Role.SOCIAL_WORKER),
    )
    for person in [chair, *members]:
        services.meeting_check_in(meeting=meeting, member=person, idempotency_key=key())
    services.meeting_call_to_order(meeting=meeting, chair=chair, idempotency_key=key())
    move_and_state(
        meeting,
        chair,
        members[0],
        members[1],
        motion="main",
        text=f"That the council fund {proposal.title}",
        proposal=proposal,
        amount=Decimal("2820.00"),
    )
    services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=key()
    )
    for voter in members[:4]:
        services.vote_cast(
            meeting=meeting, member=voter, choice="yes", idempotency_key=key()
        )
    meeting.refresh_from_db()
    announcement = meeting.event_count + 1
    client.force_login(xwj_keeper)
    guesses = [
        f"councils:{meeting.pk}:{announcement}:1:approved",
        # Even the server's own key, were it guessed, is not a form's key.
        derived_key("councils.decision", meeting.pk, announcement, "1", "approved"),
    ]

    for guess in guesses:
        response = client.post(
            reverse("fund:commit", args=[xwj.code]),
            {
                "idempotency_key": guess,
                "purpose": "x",
                "category": proposal.category,
                "amount": "0.01",
            },
        )
        assert "expired" in response.context["form"].non_field_errors()[0]
    services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())

    proposal.refresh_from_db()
    assert proposal.status == "approved"
    assert proposal.commitment.fund == jmjy.fund
    assert proposal.commitment.amount == Decimal("2820.00")
    assert fund_balances(fund=jmjy.fund).committed == Decimal("2820.00")
    assert fund_balances(fund=xwj.fund).committed == 0
    assert not Commitment.objects.filter(fund=xwj.fund).exists()


def test_a_members_action_key_is_refused_from_another_member(client, key):
    council, chair, members = make_council(seats=3)
    meeting = make_meeting(council, chair=chair)
    client.force_login(members[1])

    response = client.post(
        reverse("councils:act", args=[meeting.pk]),
        {"action": "arrive", "idempotency_key": action_key(members[0], meeting)},
        HTTP_HX_REQUEST="true",
    )

    assert "expired" in response.text
    assert not meeting.events.exists()


def test_an_action_key_reused_for_another_action_is_refused(key):
    council, chair, members = make_council(seats=3)
    meeting = make_meeting(council, chair=chair)
    services.meeting_check_in(meeting=meeting, member=members[0], idempotency_key="k")

    with pytest.raises(ValidationError, match="already used") as error:
        services.meeting_check_in(
            meeting=meeting, member=members[1], idempotency_key="k"
        )

    assert error.value.code == "idempotency_key_reused"
    assert meeting.events.count() == 1
