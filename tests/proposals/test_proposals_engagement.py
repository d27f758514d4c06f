"""Co-design: supports and comments, and hiding a comment."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fundapp.models import Membership, Role
from proposals import services
from proposals.models import Notification, ProposalEvent
from tests.factories import (
    make_community,
    make_draft,
    make_member,
    make_proposal,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_a_neighbour_supports_a_submitted_proposal_once():
    proposal = make_proposal()
    neighbour = make_member(proposal.community)

    services.proposal_support(proposal=proposal, actor=neighbour)
    with pytest.raises(ValidationError, match="already support"):
        services.proposal_support(proposal=proposal, actor=neighbour)

    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert proposal.supports.count() == 1


def test_the_proposer_cannot_support_their_own_proposal():
    proposal = make_proposal()

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.proposal_support(proposal=proposal, actor=proposal.proposer)


def test_a_resident_of_another_community_cannot_support():
    proposal = make_proposal()

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.proposal_support(
            proposal=proposal, actor=make_member(make_community())
        )


def test_an_unverified_resident_cannot_support():
    proposal = make_proposal()
    newcomer = make_user()
    Membership.objects.create(
        user=newcomer, community=proposal.community, role=Role.RESIDENT
    )

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.proposal_support(proposal=proposal, actor=newcomer)


def test_a_draft_cannot_be_supported():
    proposal = make_draft()

    with pytest.raises(ValidationError, match="draft cannot be supported"):
        services.proposal_support(
            proposal=proposal, actor=make_member(proposal.community)
        )


def test_a_comment_tells_the_team():
    proposal = make_proposal()
    neighbour = make_member(proposal.community)

    comment = services.comment_add(
        proposal=proposal, actor=neighbour, body="建议加上老人"
    )

    assert comment.body == "建议加上老人"
    assert Notification.objects.get(recipient=proposal.proposer).kind == "comment"
    proposal.refresh_from_db()
    assert proposal.comment_count == 1


def test_an_empty_comment_is_refused():
    proposal = make_proposal()

    with pytest.raises(ValidationError, match="Write something"):
        services.comment_add(
            proposal=proposal, actor=make_member(proposal.community), body="  "
        )


def test_a_draft_cannot_be_commented_on():
    proposal = make_draft()

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.comment_add(
            proposal=proposal, actor=make_member(proposal.community), body="hi"
        )


def test_a_social_worker_hides_a_comment_with_a_reason_and_it_is_kept():
    proposal = make_proposal()
    comment = services.comment_add(
        proposal=proposal, actor=make_member(proposal.community), body="广告"
    )
    worker = make_member(proposal.community, Role.SOCIAL_WORKER)

    comment = services.comment_hide(comment=comment, actor=worker, reason="广告内容")
    services.comment_hide(comment=comment, actor=worker, reason="again")

    comment.refresh_from_db()
    assert (comment.hidden_by, comment.hidden_reason, comment.body) == (
        worker,
        "广告内容",
        "广告",
    )
    event = ProposalEvent.objects.get(action="comment_hidden")
    assert (event.comment, event.reason) == (comment, "广告内容")


def test_hiding_needs_a_reason():
    proposal = make_proposal()
    comment = services.comment_add(
        proposal=proposal, actor=make_member(proposal.community), body="x"
    )

    with pytest.raises(ValidationError, match="Say why"):
        services.comment_hide(
            comment=comment,
            actor=make_member(proposal.community, Role.SOCIAL_WORKER),
            reason="",
        )


def test_a_councillor_who_is_not_a_social_worker_cannot_hide_a_comment():
    proposal = make_proposal()
    comment = services.comment_add(
        proposal=proposal, actor=make_member(proposal.community), body="x"
    )

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.comment_hide(
            comment=comment,
            actor=make_member(proposal.community, Role.COUNCILLOR),
            reason="no",
        )


def test_a_social_worker_of_another_community_cannot_screen():
    proposal = make_proposal()
    other_worker = make_member(make_community(), Role.SOCIAL_WORKER)

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.proposal_return(proposal=proposal, actor=other_worker, reason="x")
