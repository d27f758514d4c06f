"""Closing a call early, calls that have not opened, and taking a support back."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fundapp.models import Role
from proposals import services
from proposals.models import Proposal, ProposalEvent, Support
from proposals.selectors import community_calls
from tests.factories import make_draft, make_member, make_proposal, make_round

pytestmark = pytest.mark.django_db


def test_a_social_worker_closes_a_call_early_saying_why():
    call = make_round()
    worker = make_member(call.community, Role.SOCIAL_WORKER)

    closed = services.round_close(round=call, actor=worker, reason="预算已满")

    assert closed.closed_at is not None
    assert closed.closed_by == worker
    assert closed.closing_reason == "预算已满"
    assert not closed.is_open_on(timezone.localdate())
    assert call not in community_calls(community=call.community).open


def test_the_open_calls_are_those_open_today_closing_soonest_first():
    today = timezone.localdate()
    later = make_round(closes_on=today + timedelta(days=30))
    community = later.community
    sooner = make_round(community, closes_on=today + timedelta(days=3))
    make_round(community, opens_on=today + timedelta(days=1))
    closed = make_round(community)
    services.round_close(round=closed, actor=make_member(community, Role.SOCIAL_WORKER))

    calls = community_calls(community=community)

    assert calls.open == [sooner, later]
    assert len(calls.all) == 4


def test_closing_a_closed_call_changes_nothing():
    call = make_round()
    worker = make_member(call.community, Role.SOCIAL_WORKER)
    first = services.round_close(round=call, actor=worker)

    again = services.round_close(
        round=call, actor=make_member(call.community, Role.SOCIAL_WORKER)
    )

    assert again.closed_at == first.closed_at
    assert again.closed_by == worker


def test_a_councillor_who_is_not_a_social_worker_cannot_close_a_call():
    call = make_round()

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.round_close(
            round=call, actor=make_member(call.community, Role.COUNCILLOR)
        )
    call.refresh_from_db()
    assert call.closed_at is None


def test_a_call_past_its_closing_date_is_not_closed_again():
    today = timezone.localdate()
    call = make_round(
        opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1)
    )

    with pytest.raises(ValidationError, match="already closed on"):
        services.round_close(
            round=call, actor=make_member(call.community, Role.SOCIAL_WORKER)
        )


def test_no_draft_is_started_in_a_closed_call():
    call = make_round()
    services.round_close(
        round=call, actor=make_member(call.community, Role.SOCIAL_WORKER)
    )

    with pytest.raises(ValidationError, match="was closed on"):
        services.proposal_create(
            round=call, actor=make_member(call.community), title="晚到的提案"
        )
    assert not Proposal.objects.exists()


def test_a_draft_in_a_closed_call_cannot_be_submitted_for_the_first_time():
    draft = make_draft()
    services.round_close(
        round=draft.round,
        actor=make_member(draft.community, Role.SOCIAL_WORKER),
    )

    with pytest.raises(ValidationError, match="was closed on"):
        services.proposal_submit(proposal=draft, actor=draft.proposer)
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT


def test_a_returned_proposal_may_be_resubmitted_after_the_call_is_closed():
    proposal = make_proposal(status="returned")
    services.round_close(
        round=proposal.round,
        actor=make_member(proposal.community, Role.SOCIAL_WORKER),
    )

    services.proposal_submit(proposal=proposal, actor=proposal.proposer)

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_no_draft_is_started_in_a_call_that_has_not_opened():
    today = timezone.localdate()
    call = make_round(
        opens_on=today + timedelta(days=3), closes_on=today + timedelta(days=30)
    )

    with pytest.raises(ValidationError, match="opens on"):
        services.proposal_create(
            round=call, actor=make_member(call.community), title="太早的提案"
        )
    assert not Proposal.objects.exists()


def test_the_close_view_closes_the_call_for_a_social_worker(client):
    call = make_round()
    client.force_login(make_member(call.community, Role.SOCIAL_WORKER))

    response = client.post(
        reverse("proposals:round_close", args=[call.pk]), {"reason": "满额"}
    )

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.closing_reason == "满额"


def test_the_close_view_refuses_a_resident(client):
    call = make_round()
    client.force_login(make_member(call.community))

    response = client.post(reverse("proposals:round_close", args=[call.pk]))

    assert response.status_code == 403
    call.refresh_from_db()
    assert call.closed_at is None


def _supported(status="submitted"):
    proposal = make_proposal()
    neighbour = make_member(proposal.community)
    services.proposal_support(proposal=proposal, actor=neighbour)
    if status == "eligible":
        proposal = services.proposal_mark_eligible(
            proposal=proposal,
            actor=make_member(proposal.community, Role.SOCIAL_WORKER),
        )
    proposal.refresh_from_db()
    return proposal, neighbour


def test_a_supporter_withdraws_their_support_and_it_is_audited():
    proposal, neighbour = _supported()
    assert proposal.support_count == 1

    services.proposal_support_withdraw(proposal=proposal, actor=neighbour)

    proposal.refresh_from_db()
    assert proposal.support_count == 0
    assert not Support.objects.filter(proposal=proposal).exists()
    event = proposal.events.get(action=ProposalEvent.Action.SUPPORT_WITHDRAWN)
    assert event.actor == neighbour


def test_a_support_may_be_withdrawn_during_screening():
    proposal, neighbour = _supported()
    services.proposal_screen_start(
        proposal=proposal,
        actor=make_member(proposal.community, Role.SOCIAL_WORKER),
    )

    services.proposal_support_withdraw(proposal=proposal, actor=neighbour)

    proposal.refresh_from_db()
    assert proposal.support_count == 0


def test_a_support_cannot_be_withdrawn_once_screening_has_ended():
    proposal, neighbour = _supported(status="eligible")

    with pytest.raises(ValidationError, match="only until screening ends"):
        services.proposal_support_withdraw(proposal=proposal, actor=neighbour)
    proposal.refresh_from_db()
    assert proposal.support_count == 1


def test_only_the_supporter_withdraws_a_support():
    proposal, _neighbour = _supported()

    with pytest.raises(ValidationError, match="do not support"):
        services.proposal_support_withdraw(
            proposal=proposal, actor=make_member(proposal.community)
        )
    proposal.refresh_from_db()
    assert proposal.support_count == 1


def test_withdrawing_twice_is_refused_and_counts_once():
    proposal, neighbour = _supported()
    services.proposal_support_withdraw(proposal=proposal, actor=neighbour)

    with pytest.raises(ValidationError, match="do not support"):
        services.proposal_support_withdraw(proposal=proposal, actor=neighbour)
    proposal.refresh_from_db()
    assert proposal.support_count == 0


def test_a_withdrawn_supporter_may_support_again():
    proposal, neighbour = _supported()
    services.proposal_support_withdraw(proposal=proposal, actor=neighbour)

    services.proposal_support(proposal=proposal, actor=neighbour)

    proposal.refresh_from_db()
    assert proposal.support_count == 1


def test_the_withdraw_support_view(client):
    proposal, neighbour = _supported()
    client.force_login(neighbour)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert 'data-testid="withdraw-support"' in page

    response = client.post(reverse("proposals:support_withdraw", args=[proposal.pk]))

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.support_count == 0
