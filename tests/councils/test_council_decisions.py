"""Decisions take effect: the proposal moves and the money is committed, at once."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from councils import services
from councils.live import meeting_live
from councils.models import MeetingEvent
from councils.selectors import meeting_outcome
from fundapp.models import Commitment, Role
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
def funded_meeting(key):
    """A funded community, its council in session, and a proposal on the agenda.

    The proposal's proposer is the fifth councillor, so they are recused.
    """
    community, _keeper, _tranche = make_funded_community(amount="5000.00")
    council, chair, members = make_council(community, seats=5)
    worker = make_member(community, Role.SOCIAL_WORKER)
    proposal = make_proposal(
        make_round(community), status="eligible", proposer=members[4]
    )
    meeting = make_meeting(council, chair=chair)
    services.agenda_add_proposal(meeting=meeting, proposal=proposal, actor=worker)
    for person in [chair, *members]:
        services.meeting_check_in(meeting=meeting, member=person, idempotency_key=key())
    services.meeting_call_to_order(meeting=meeting, chair=chair, idempotency_key=key())
    meeting.refresh_from_db()
    return meeting, chair, members, proposal


def _fund_motion(
    meeting, chair, members, proposal, move_and_state, amount=Decimal("1185.00")
):
    move_and_state(
        meeting,
        chair,
        members[0],
        members[1],
        motion="main",
        text=f"That the council fund {proposal.title}",
        proposal=proposal,
        amount=amount,
    )


def _vote(meeting, chair, voters, choice, key, method="counted"):
    services.question_put(
        meeting=meeting, chair=chair, method=method, idempotency_key=key()
    )
    for voter in voters:
        services.vote_cast(
            meeting=meeting, member=voter, choice=choice, idempotency_key=key()
        )
    return services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())


def test_the_recused_proposer_cannot_vote_on_their_proposal(
    funded_meeting, key, move_and_state
):
    meeting, chair, members, proposal = funded_meeting
    _fund_motion(meeting, chair, members, proposal, move_and_state)
    services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=key()
    )

    with pytest.raises(ValidationError, match="recused") as refused:
        services.vote_cast(
            meeting=meeting, member=members[4], choice="yes", idempotency_key=key()
        )

    assert refused.value.code == "RECUSED"


def test_adopting_the_amended_motion_approves_and_commits_the_amended_amount(
    funded_meeting, key, move_and_state
):
    meeting, chair, members, proposal = funded_meeting
    _fund_motion(meeting, chair, members, proposal, move_and_state)
    move_and_state(
        meeting,
        chair,
        members[2],
        members[3],
        motion="amend",
        text="strike ¥1,185, insert ¥1,000",
        amount=Decimal("1000.00"),
    )
    _vote(meeting, chair, members[:4], "yes", key)

    _vote(meeting, chair, members[:4], "yes", key)

    proposal.refresh_from_db()
    assert proposal.status == "approved"
    assert proposal.approved_amount == Decimal("1000.00")
    assert Commitment.objects.filter(pk=proposal.commitment_id).exists()


def test_a_lost_motion_rejects_the_proposal(funded_meeting, key, move_and_state):
    meeting, chair, members, proposal = funded_meeting
    _fund_motion(meeting, chair, members, proposal, move_and_state)

    _vote(meeting, chair, members[:4], "no", key)

    proposal.refresh_from_db()
    assert proposal.status == "rejected"
    assert proposal.commitment_id is None


def test_postponing_sends_the_proposal_to_a_later_agenda(
    funded_meeting, key, move_and_state
):
    meeting, chair, members, proposal = funded_meeting
    _fund_motion(meeting, chair, members, proposal, move_and_state)
    move_and_state(
        meeting,
        chair,
        members[2],
        members[3],
        motion="postpone_definitely",
        until="next_meeting",
    )

    _vote(meeting, chair, members[:4], "yes", key)

    proposal.refresh_from_db()
    assert proposal.status == "postponed"


def test_laying_on_the_table_leaves_it_as_unfinished_business(
    funded_meeting, key, move_and_state
):
    meeting, chair, members, proposal = funded_meeting
    _fund_motion(meeting, chair, members, proposal, move_and_state)
    move_and_state(meeting, chair, members[2], members[3], motion="lay_on_table")

    _vote(meeting, chair, members[:4], "yes", key)

    proposal.refresh_from_db()
    assert proposal.tabled_at is not None


def test_the_shortfall_is_known_before_the_question_is_put_and_the_vote_stands(
    funded_meeting, key, move_and_state
):
    meeting, chair, members, proposal = funded_meeting
    _fund_motion(
        meeting, chair, members, proposal, move_and_state, amount=Decimal("9000.00")
    )

    meeting.refresh_from_db()
    shortfall = meeting_live(meeting, chair)["shortfall"]
    announced = _vote(meeting, chair, members[:4], "yes", key)

    assert shortfall == Decimal("4000.00")
    assert announced.warnings
    meeting.refresh_from_db()
    assert meeting_outcome(meeting)["decisions"][-1]["result"] == "adopted"
    proposal.refresh_from_db()
    assert proposal.status == "on_agenda"


def test_a_retried_announcement_commits_the_money_once(
    funded_meeting, key, move_and_state
):
    meeting, chair, members, proposal = funded_meeting
    _fund_motion(meeting, chair, members, proposal, move_and_state)
    services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=key()
    )
    for voter in members[:4]:
        services.vote_cast(
            meeting=meeting, member=voter, choice="yes", idempotency_key=key()
        )

    services.vote_announce(
        meeting=meeting, chair=chair, idempotency_key="announce-once"
    )
    services.vote_announce(
        meeting=meeting, chair=chair, idempotency_key="announce-once"
    )

    assert MeetingEvent.objects.filter(meeting=meeting, type="announce").count() == 1
    assert Commitment.objects.filter(proposals=proposal).count() == 1


def test_reconsidering_an_adopted_grant_undoes_the_approval(
    funded_meeting, key, move_and_state
):
    meeting, chair, members, proposal = funded_meeting
    _fund_motion(meeting, chair, members, proposal, move_and_state)
    _vote(meeting, chair, members[:4], "yes", key)
    meeting.refresh_from_db()
    decision = len(meeting_outcome(meeting)["decisions"]) - 1
    move_and_state(
        meeting, chair, members[0], members[1], motion="reconsider", applies_to=decision
    )

    _vote(meeting, chair, members[:4], "yes", key)

    proposal.refresh_from_db()
    assert proposal.status != "approved"
    assert proposal.commitment_id is None or proposal.approved_amount is None


def _adopted_and_paid(funded_meeting, key, move_and_state):
    meeting, chair, members, proposal = funded_meeting
    _fund_motion(meeting, chair, members, proposal, move_and_state)
    _vote(meeting, chair, members[:4], "yes", key)
    meeting.refresh_from_db()
    decision = len(meeting_outcome(meeting)["decisions"]) - 1
    worker = make_member(meeting.council.community, Role.SOCIAL_WORKER)
    services.decision_mark_executed(
        meeting=meeting, decision_index=decision, actor=worker
    )
    meeting.refresh_from_db()
    return meeting, chair, members, proposal, decision, worker


@pytest.mark.parametrize("motion", ["reconsider", "rescind"])
def test_a_paid_grant_can_no_longer_be_reconsidered_or_rescinded(
    funded_meeting, key, move_and_state, motion
):
    meeting, chair, members, proposal, decision, _worker = _adopted_and_paid(
        funded_meeting, key, move_and_state
    )

    with pytest.raises(ValidationError, match="already been carried out") as refused:
        services.motion_move(
            meeting=meeting,
            member=members[0],
            motion=motion,
            applies_to=decision,
            idempotency_key=key(),
        )

    assert refused.value.code == "IRREVERSIBLE"
    proposal.refresh_from_db()
    assert proposal.status == "approved"


def test_marking_a_decision_executed_twice_stores_one_event(
    funded_meeting, key, move_and_state
):
    meeting, _chair, _members, _proposal, decision, worker = _adopted_and_paid(
        funded_meeting, key, move_and_state
    )

    services.decision_mark_executed(
        meeting=meeting, decision_index=decision, actor=worker
    )

    assert MeetingEvent.objects.filter(meeting=meeting, type="executed").count() == 1


def test_only_a_social_worker_marks_a_decision_executed(
    funded_meeting, key, move_and_state
):
    meeting, chair, members, proposal = funded_meeting
    _fund_motion(meeting, chair, members, proposal, move_and_state)
    _vote(meeting, chair, members[:4], "yes", key)

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.decision_mark_executed(meeting=meeting, decision_index=0, actor=chair)


@pytest.mark.parametrize(
    ("language", "said"), [("en", "rescinded"), ("zh-hans", "已撤销")]
)
def test_the_proposals_history_says_the_motion_was_rescinded_in_words(
    funded_meeting, key, move_and_state, language, said
):
    meeting, chair, members, proposal = funded_meeting
    _fund_motion(meeting, chair, members, proposal, move_and_state)
    _vote(meeting, chair, members[:4], "yes", key)
    meeting.refresh_from_db()
    decision = len(meeting_outcome(meeting)["decisions"]) - 1
    move_and_state(
        meeting, chair, members[0], members[1], motion="rescind", applies_to=decision
    )

    with translation.override(language):
        _vote(meeting, chair, members[:4], "yes", key)

    undone = proposal.events.get(action="decision_undone")
    reference = f"{meeting.council.community.code}-{meeting.number}#"
    assert reference in undone.reason
    assert undone.reason.endswith(said)
    if language == "zh-hans":
        assert "rescinded" not in undone.reason
