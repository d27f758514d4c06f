"""Co-proposers are invited by number and join only by accepting; typing a
number never tells the proposer whether it belongs to anyone."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fundapp.models import Membership, Role
from proposals import services
from proposals.models import CoProposerInvitation
from tests.factories import (
    make_community,
    make_draft,
    make_member,
    make_proposal,
    make_team,
    make_user,
)

pytestmark = pytest.mark.django_db


def _invite(proposal, *phones):
    return services.proposal_save_team(
        proposal=proposal, actor=proposal.proposer, co_proposer_phones=list(phones)
    )


def _invitation(proposal, phone):
    return proposal.invitations.get(phone=phone, answered_at=None)


def test_an_invited_resident_is_not_on_the_team_until_they_accept(client):
    proposal = make_draft()
    partner = make_member(
        proposal.community, phone="13700000011", display_name="石阿姨"
    )
    _invite(proposal, partner.phone)

    client.force_login(proposal.proposer)
    page_before = client.get(proposal.get_absolute_url()).text
    with pytest.raises(PermissionDenied, match="right to do this"):
        services.proposal_save_problem(
            proposal=proposal,
            actor=partner,
            title="改",
            problem="",
            affected="",
            evidence="",
            category="",
        )
    services.invitation_accept(
        invitation=_invitation(proposal, partner.phone), actor=partner
    )
    page_after = client.get(proposal.get_absolute_url()).text

    assert "Team" in page_before and "石阿姨" not in page_before
    assert "石阿姨" in page_after
    assert list(proposal.co_proposers.all()) == [partner]


def test_any_number_is_taken_alike_whoever_it_belongs_to(client):
    proposal = make_draft()
    make_member(proposal.community, phone="13700000021")  # a verified neighbour
    make_member(make_community(), phone="13700000022")  # a resident elsewhere
    stranger = make_user(phone="13700000023")  # registered here, not verified
    Membership.objects.create(
        user=stranger, community=proposal.community, role=Role.RESIDENT
    )
    client.force_login(proposal.proposer)
    edit = reverse("proposals:edit", args=[proposal.pk, "team"])

    answers = [
        client.post(edit, {"co_proposers": phone})
        for phone in ("13700000021", "13700000022", "13700000023", "13700000024")
    ]

    assert {answer.status_code for answer in answers} == {302}
    assert list(proposal.invitations.values_list("phone", flat=True)) == ["13700000024"]
    assert CoProposerInvitation.objects.filter(proposal=proposal).count() == 1
    page = client.get(edit).text
    assert "13700000024: invited, not answered yet" in page


def test_the_page_after_inviting_says_the_same_for_a_resident_and_a_stranger(client):
    pages = []
    for phone, is_resident in (("13700000031", True), ("13700000032", False)):
        proposal = make_draft()
        if is_resident:
            make_member(proposal.community, phone=phone)
        client.force_login(proposal.proposer)
        edit = reverse("proposals:edit", args=[proposal.pk, "team"])
        client.post(edit, {"co_proposers": phone})
        page = client.get(edit).text
        pages.append(page[page.index('id="team-now"') :].replace(phone, "NUMBER"))
        pages[-1] = pages[-1][: pages[-1].index("</section>")]

    assert pages[0] == pages[1]


def test_someone_else_cannot_answer_the_invitation():
    proposal = make_draft()
    partner = make_member(proposal.community, phone="13700000041")
    neighbour = make_member(proposal.community)
    elsewhere = make_member(make_community())
    _invite(proposal, partner.phone)
    invitation = _invitation(proposal, partner.phone)

    for intruder in (neighbour, elsewhere, proposal.proposer):
        with pytest.raises(PermissionDenied, match="not addressed to you"):
            services.invitation_accept(invitation=invitation, actor=intruder)

    assert not proposal.co_proposers.exists()


def test_an_unverified_holder_of_the_number_cannot_accept():
    proposal = make_draft()
    newcomer = make_user(phone="13700000051")
    Membership.objects.create(
        user=newcomer, community=proposal.community, role=Role.RESIDENT
    )
    _invite(proposal, newcomer.phone)

    with pytest.raises(PermissionDenied, match="not addressed to you"):
        services.invitation_accept(
            invitation=_invitation(proposal, newcomer.phone), actor=newcomer
        )


def test_a_declined_invitation_is_shown_to_the_team_as_declined(client):
    proposal = make_draft()
    partner = make_member(proposal.community, phone="13700000061")
    _invite(proposal, partner.phone)
    invitation = _invitation(proposal, partner.phone)

    services.invitation_decline(invitation=invitation, actor=partner)
    client.force_login(proposal.proposer)
    page = client.get(reverse("proposals:edit", args=[proposal.pk, "team"])).text

    assert "13700000061: declined" in page
    assert not proposal.co_proposers.exists()
    with pytest.raises(ValidationError, match="already answered"):
        services.invitation_accept(invitation=invitation, actor=partner)


def test_an_invitation_lapses_once_the_proposal_is_on_the_agenda():
    proposal = make_proposal(status="eligible")
    partner = make_member(proposal.community, phone="13700000071")
    CoProposerInvitation.objects.create(
        proposal=proposal, phone=partner.phone, invited_by=proposal.proposer
    )
    proposal.status = "on_agenda"
    proposal.save(update_fields=["status"])

    with pytest.raises(ValidationError, match="takes no new co-proposers"):
        services.invitation_accept(
            invitation=_invitation(proposal, partner.phone), actor=partner
        )


def test_a_number_taken_off_the_list_leaves_the_team_or_its_invitation_goes():
    proposal = make_draft()
    partner = make_member(proposal.community, phone="13700000081")
    make_team(proposal, partner)
    _invite(proposal, partner.phone, "13700000082")

    _invite(proposal)

    assert not proposal.co_proposers.exists()
    assert not proposal.invitations.filter(answered_at=None).exists()


def test_the_proposers_own_number_is_refused():
    proposal = make_draft()

    with pytest.raises(ValidationError, match="your own number"):
        _invite(proposal, proposal.proposer.phone)


def test_the_invitee_answers_from_my_proposals(client):
    proposal = make_draft(title="楼道照明")
    partner = make_member(proposal.community, phone="13700000091")
    _invite(proposal, partner.phone)
    client.force_login(partner)

    page = client.get(reverse("proposals:mine")).text
    invitation = _invitation(proposal, partner.phone)
    draft_while_invited = client.get(proposal.get_absolute_url())
    response = client.post(reverse("proposals:invitation_accept", args=[invitation.pk]))

    assert "Invitations to join a team" in page and "楼道照明" in page
    assert draft_while_invited.status_code == 200
    assert response.status_code == 302
    assert list(proposal.co_proposers.all()) == [partner]
    assert (
        "Invitations to join a team" not in client.get(reverse("proposals:mine")).text
    )


def test_a_neighbour_who_is_not_invited_cannot_read_the_draft(client):
    proposal = make_draft()
    _invite(proposal, "13700000101")
    client.force_login(make_member(proposal.community, phone="13700000102"))

    assert client.get(proposal.get_absolute_url()).status_code == 403
