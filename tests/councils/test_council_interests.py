"""Declared interests and named beneficiaries: recused as the proposers are,
and the minutes say so."""

import html
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from councils import services
from councils.live import meeting_live
from councils.minutes import minutes_build
from councils.selectors import meeting_outcome, member_id
from fundapp.idempotency import form_key_issue
from fundapp.models import Role
from proposals import services as proposal_services
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
def agenda(key):
    """A funded community's council, a meeting not yet begun with a proposal
    on its agenda (proposed by an outsider), and its social worker."""
    community, _keeper, _tranche = make_funded_community(amount="5000.00")
    council, chair, members = make_council(community, seats=5)
    worker = make_member(community, Role.SOCIAL_WORKER)
    proposal = make_proposal(make_round(community), status="eligible")
    meeting = make_meeting(council, chair=chair)
    services.agenda_add_proposal(meeting=meeting, proposal=proposal, actor=worker)
    return meeting, chair, members, proposal


def _open(meeting, chair, members, key):
    for person in [chair, *members]:
        services.meeting_check_in(meeting=meeting, member=person, idempotency_key=key())
    services.meeting_call_to_order(meeting=meeting, chair=chair, idempotency_key=key())


def _put_the_grant(meeting, chair, mover, seconder, proposal, move_and_state, key):
    move_and_state(
        meeting,
        chair,
        mover,
        seconder,
        motion="main",
        text=f"That the council fund {proposal.title}",
        proposal=proposal,
        amount=Decimal("1185.00"),
    )
    services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=key()
    )


def test_a_member_who_declared_before_the_meeting_is_refused_a_vote(
    agenda, key, move_and_state
):
    meeting, chair, members, proposal = agenda
    services.interest_declare(
        meeting=meeting,
        member=members[2],
        proposal=proposal,
        reason="我女儿在项目团队里 My daughter is on the team",
        idempotency_key=key(),
    )
    _open(meeting, chair, members, key)
    _put_the_grant(
        meeting, chair, members[0], members[1], proposal, move_and_state, key
    )

    with pytest.raises(ValidationError, match="recused") as refused:
        services.vote_cast(
            meeting=meeting, member=members[2], choice="yes", idempotency_key=key()
        )

    assert refused.value.code == "RECUSED"
    assert meeting.events.filter(type="declare_interest").count() == 1


def test_a_declaration_during_the_vote_takes_back_the_members_vote(
    agenda, key, move_and_state
):
    meeting, chair, members, proposal = agenda
    _open(meeting, chair, members, key)
    _put_the_grant(
        meeting, chair, members[0], members[1], proposal, move_and_state, key
    )
    for voter in members:
        services.vote_cast(
            meeting=meeting, member=voter, choice="yes", idempotency_key=key()
        )

    services.interest_declare(
        meeting=meeting, member=members[4], proposal=proposal, idempotency_key=key()
    )
    services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())
    meeting.refresh_from_db()

    decision = meeting_outcome(meeting)["decisions"][-1]
    assert (decision["yes"], decision["result"]) == (4, "adopted")
    assert member_id(members[4].pk) not in decision["voters"]


def test_a_member_cannot_declare_for_someone_else_nor_twice(agenda, key):
    meeting, chair, members, proposal = agenda
    services.interest_declare(
        meeting=meeting, member=members[0], proposal=proposal, idempotency_key=key()
    )

    with pytest.raises(ValidationError, match="recused") as twice:
        services.interest_declare(
            meeting=meeting, member=members[0], proposal=proposal, idempotency_key=key()
        )
    with pytest.raises(PermissionDenied, match="members of the council"):
        services.interest_declare(
            meeting=meeting,
            member=make_member(meeting.council.community),
            proposal=proposal,
            idempotency_key=key(),
        )

    assert twice.value.code == "RECUSED"


def test_a_declaration_about_a_proposal_not_on_the_agenda_is_refused(agenda, key):
    meeting, chair, members, proposal = agenda
    elsewhere = make_proposal(make_round(meeting.council.community), status="eligible")

    with pytest.raises(ValidationError, match="agenda"):
        services.interest_declare(
            meeting=meeting,
            member=members[0],
            proposal=elsewhere,
            idempotency_key=key(),
        )


def test_the_minutes_say_who_declared_an_interest_and_why(agenda, key):
    meeting, chair, members, proposal = agenda
    services.interest_declare(
        meeting=meeting,
        member=members[3],
        proposal=proposal,
        reason="I sell the wool",
        idempotency_key=key(),
    )
    meeting.refresh_from_db()

    doc = minutes_build(meeting, None)

    assert doc["interests"] == [
        {
            "name": str(members[3]),
            "proposal": proposal.title,
            "reason": "I sell the wool",
        }
    ]


def test_a_named_beneficiary_on_the_council_is_recused_from_the_proposal(
    key, move_and_state
):
    community, _keeper, _tranche = make_funded_community(amount="5000.00")
    council, chair, members = make_council(community, seats=5)
    worker = make_member(community, Role.SOCIAL_WORKER)
    proposal = make_proposal(make_round(community), status="draft")
    proposal_services.proposal_save_team(
        proposal=proposal,
        actor=proposal.proposer,
        co_proposer_phones=[],
        beneficiary_phones=[members[1].phone],
    )
    proposal = proposal_services.proposal_submit(
        proposal=proposal, actor=proposal.proposer
    )
    proposal = proposal_services.proposal_mark_eligible(proposal=proposal, actor=worker)
    meeting = make_meeting(council, chair=chair)
    services.agenda_add_proposal(meeting=meeting, proposal=proposal, actor=worker)
    _open(meeting, chair, members, key)
    meeting.refresh_from_db()

    with pytest.raises(ValidationError, match="recused"):
        _put_the_grant(
            meeting, chair, members[0], members[1], proposal, move_and_state, key
        )

    assert meeting.setup["recusals"][str(proposal.pk)] == [member_id(members[1].pk)]


def test_naming_a_beneficiary_tells_the_proposer_nothing_about_the_number():
    proposal = make_proposal(status="draft")

    saved = proposal_services.proposal_save_team(
        proposal=proposal,
        actor=proposal.proposer,
        co_proposer_phones=[],
        beneficiary_phones=["13999999999", "13999999999"],
    )

    assert saved.beneficiary_phones == ["13999999999"]


def test_more_than_ten_named_beneficiaries_are_refused():
    proposal = make_proposal(status="draft")

    with pytest.raises(ValidationError, match="at most 10") as refused:
        proposal_services.proposal_save_team(
            proposal=proposal,
            actor=proposal.proposer,
            co_proposer_phones=[],
            beneficiary_phones=[f"139000000{n:02d}" for n in range(11)],
        )

    assert "beneficiaries" in refused.value.error_dict


def test_a_member_declares_an_interest_from_the_page(client, agenda):
    meeting, chair, members, proposal = agenda
    client.force_login(members[2])
    page = reverse("councils:interest_declare", args=[meeting.pk])
    form = client.get(page)
    key = form_key_issue(user=members[2], form=f"interest:{meeting.pk}")

    response = client.post(
        page, {"proposal": proposal.pk, "reason": "邻居", "idempotency_key": key}
    )

    assert form.status_code == 200
    assert proposal.title in html.unescape(form.text)
    assert response.status_code == 302
    assert meeting.events.get(type="declare_interest").payload == {
        "type": "declare_interest",
        "member": member_id(members[2].pk),
        "proposal": str(proposal.pk),
        "text": "邻居",
    }


def test_someone_without_a_seat_cannot_open_the_declaration_page(client, agenda):
    meeting, *_rest = agenda
    client.force_login(make_member(meeting.council.community))

    response = client.get(reverse("councils:interest_declare", args=[meeting.pk]))

    assert response.status_code == 403


def test_a_member_who_declared_an_interest_is_not_offered_the_vote_form(
    client, agenda, key, move_and_state
):
    meeting, chair, members, proposal = agenda
    services.interest_declare(
        meeting=meeting,
        member=members[2],
        proposal=proposal,
        reason="我是供应商 I would supply it",
        idempotency_key=key(),
    )
    _open(meeting, chair, members, key)
    _put_the_grant(
        meeting, chair, members[0], members[1], proposal, move_and_state, key
    )
    meeting.refresh_from_db()

    recused = meeting_live(meeting, members[2])
    voter = meeting_live(meeting, members[3])
    client.force_login(members[2])
    client.cookies["django_language"] = "en"
    page = client.get(reverse("councils:live", args=[meeting.pk])).text

    assert (recused["vote_buttons"], recused["recused_now"]) == (False, True)
    assert (voter["vote_buttons"], voter["recused_now"]) == (True, False)
    assert 'id="vote-form"' not in page
    assert "You are recused from the question before the meeting" in page


def test_a_residents_conference_member_finds_the_declaration_on_the_live_page(
    client, agenda
):
    meeting, _chair, members, _proposal = agenda
    council = meeting.council
    council.kind = council.Kind.RESIDENTS_CONFERENCE
    council.save(update_fields=["kind"])
    client.force_login(members[0])

    page = client.get(reverse("councils:live", args=[meeting.pk])).text
    declaration = reverse("councils:interest_declare", args=[meeting.pk])

    assert f'href="{declaration}" data-testid="declare-interest"' in page
    client.logout()
    assert (
        'data-testid="declare-interest"'
        not in client.get(reverse("councils:live", args=[meeting.pk])).text
    )
