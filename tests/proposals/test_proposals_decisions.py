"""The services the council's decisions call: one per transition, each on
the authority of a meeting's decision (the undo, the agenda, recusal too)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fundapp.models import Role
from fundapp.selectors import fund_balances
from proposals import selectors, services
from proposals.models import Proposal
from tests.factories import make_member, make_proposal, make_team, make_tranche

pytestmark = pytest.mark.django_db
Status = Proposal.Status
DECISION = "JMJY-5#3"


@pytest.fixture
def on_agenda():
    proposal = make_proposal(status="on_agenda")
    make_tranche(proposal.community.fund, amount="10000.00")
    chair = make_member(proposal.community, Role.COORDINATOR)
    return proposal, chair


def test_approval_commits_the_money_and_stores_amount_conditions_and_decision(
    on_agenda,
):
    proposal, chair = on_agenda

    proposal = services.proposal_approve(
        proposal=proposal,
        actor=chair,
        decision=DECISION,
        amount=Decimal("1000.00"),
        conditions="每季度报告一次",
        idempotency_key="decide-1",
    )

    assert proposal.status == Status.APPROVED
    assert proposal.approved_amount == Decimal("1000.00")
    assert proposal.conditions == "每季度报告一次"
    assert proposal.decision_reference == DECISION
    assert proposal.decided_at is not None
    assert proposal.commitment.decision == DECISION
    assert fund_balances(fund=proposal.community.fund).committed == Decimal("1000.00")


def test_approval_without_an_amount_commits_the_requested_amount(on_agenda):
    proposal, chair = on_agenda

    proposal = services.proposal_approve(
        proposal=proposal, actor=chair, decision=DECISION, idempotency_key="d"
    )

    assert proposal.approved_amount == proposal.requested_amount == Decimal("1185.00")


def test_an_amount_given_as_text_is_a_programming_error(on_agenda):
    proposal, chair = on_agenda

    with pytest.raises(TypeError, match="Decimal"):
        services.proposal_approve(
            proposal=proposal,
            actor=chair,
            decision=DECISION,
            amount="1000.00",
            idempotency_key="d",
        )


def test_the_same_decision_key_twice_records_one_decision(on_agenda):
    proposal, chair = on_agenda

    for _attempt in range(2):
        services.proposal_approve(
            proposal=proposal, actor=chair, decision=DECISION, idempotency_key="k"
        )

    assert fund_balances(fund=proposal.community.fund).committed == Decimal("1185.00")
    assert proposal.events.filter(action="approved").count() == 1


def test_approval_beyond_the_fund_is_refused_and_changes_nothing():
    proposal = make_proposal(status="on_agenda")
    chair = make_member(proposal.community, Role.COORDINATOR)

    with pytest.raises(ValidationError, match="short"):
        services.proposal_approve(
            proposal=proposal, actor=chair, decision=DECISION, idempotency_key="x"
        )

    proposal.refresh_from_db()
    assert proposal.status == Status.ON_AGENDA
    assert proposal.commitment is None


def test_approval_over_the_ceiling_is_refused(on_agenda):
    proposal, chair = on_agenda

    with pytest.raises(ValidationError, match="over the call's ceiling"):
        services.proposal_approve(
            proposal=proposal,
            actor=chair,
            decision=DECISION,
            amount=Decimal("20000.01"),
            idempotency_key="x",
        )


@pytest.mark.parametrize(
    ("decide", "status"),
    [
        (services.proposal_reject, Status.REJECTED),
        (services.proposal_postpone, Status.POSTPONED),
        (services.proposal_refer, Status.REFERRED),
    ],
)
def test_the_other_decisions_move_the_proposal_without_money(on_agenda, decide, status):
    proposal, chair = on_agenda

    proposal = decide(
        proposal=proposal, actor=chair, decision=DECISION, idempotency_key=status
    )

    assert proposal.status == status
    assert proposal.commitment is None
    assert proposal.decided_at is not None
    assert proposal.events.last().reason == DECISION


def test_laying_on_the_table_keeps_the_proposal_on_the_agenda_as_unfinished_business(
    on_agenda,
):
    proposal, chair = on_agenda

    proposal = services.proposal_lay_on_table(
        proposal=proposal, actor=chair, decision=DECISION, idempotency_key="t"
    )

    assert proposal.status == Status.ON_AGENDA
    assert proposal.tabled_at is not None
    assert proposal.events.last().action == "tabled"


def test_taking_up_a_tabled_proposal_puts_it_before_the_council_again(on_agenda):
    proposal, chair = on_agenda
    services.proposal_lay_on_table(
        proposal=proposal, actor=chair, decision=DECISION, idempotency_key="t"
    )

    proposal = services.proposal_take_up(
        proposal=proposal, actor=chair, agenda="JMJY-6"
    )
    again = services.proposal_take_up(proposal=proposal, actor=chair, agenda="JMJY-6")

    assert (proposal.status, proposal.tabled_at) == (Status.ON_AGENDA, None)
    assert again.events.filter(action="on_agenda", reason="JMJY-6").count() == 1


def test_a_postponed_proposal_is_taken_up_again():
    proposal = make_proposal(status="postponed")
    chair = make_member(proposal.community, Role.COORDINATOR)

    proposal = services.proposal_take_up(
        proposal=proposal, actor=chair, agenda="JMJY-6"
    )

    assert proposal.status == Status.ON_AGENDA


def test_an_approved_proposal_cannot_be_taken_up_without_undoing_its_decision():
    proposal = make_proposal(status="eligible")
    make_tranche(proposal.community.fund, amount="10000.00")
    chair = make_member(proposal.community, Role.COORDINATOR)
    proposal = services.proposal_place_on_agenda(
        proposal=proposal, actor=chair, agenda="JMJY-5"
    )
    proposal = services.proposal_approve(
        proposal=proposal, actor=chair, decision=DECISION, idempotency_key="a"
    )

    with pytest.raises(ValidationError, match="set aside"):
        services.proposal_take_up(proposal=proposal, actor=chair, agenda="JMJY-6")
    with pytest.raises(ValidationError, match="Only an eligible"):
        services.proposal_place_on_agenda(
            proposal=proposal, actor=chair, agenda="JMJY-6"
        )


def test_a_decision_without_the_meetings_decision_is_refused(on_agenda):
    proposal, chair = on_agenda

    with pytest.raises(ValidationError, match="cites the meeting's decision") as error:
        services.proposal_reject(
            proposal=proposal, actor=chair, decision=" ", idempotency_key="r"
        )

    assert error.value.code == "decision_required"


def test_a_proposal_not_on_the_agenda_cannot_be_decided():
    proposal = make_proposal(status="eligible")
    chair = make_member(proposal.community, Role.COORDINATOR)

    with pytest.raises(ValidationError, match="Only a proposal on the agenda") as error:
        services.proposal_reject(
            proposal=proposal, actor=chair, decision=DECISION, idempotency_key="e"
        )

    assert error.value.code == "invalid_transition"


@pytest.mark.parametrize(
    "role",
    [Role.RESIDENT, Role.SOCIAL_WORKER, Role.FUND_COMMITTEE, Role.EVALUATOR],
)
def test_only_a_member_of_the_council_carries_out_a_decision(on_agenda, role):
    proposal, _chair = on_agenda

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.proposal_reject(
            proposal=proposal,
            actor=make_member(proposal.community, role),
            decision=DECISION,
            idempotency_key="r",
        )


def test_reconsidering_an_approval_releases_the_commitment(on_agenda):
    proposal, chair = on_agenda
    proposal = services.proposal_approve(
        proposal=proposal, actor=chair, decision=DECISION, idempotency_key="a"
    )

    for _attempt in range(2):
        proposal = services.proposal_reconsider(
            proposal=proposal,
            actor=chair,
            decision="JMJY-5#9",
            reason="重议",
            idempotency_key="undo",
        )

    assert proposal.status == Status.ON_AGENDA
    assert proposal.commitment is None and proposal.approved_amount is None
    assert proposal.decision_reference == ""
    balances = fund_balances(fund=proposal.community.fund)
    assert (balances.committed, balances.available) == (
        Decimal("0.00"),
        Decimal("10000.00"),
    )


def test_reconsidering_a_rejection_puts_it_back_on_the_agenda(on_agenda):
    proposal, chair = on_agenda
    proposal = services.proposal_reject(
        proposal=proposal, actor=chair, decision=DECISION, idempotency_key="r"
    )

    proposal = services.proposal_reconsider(
        proposal=proposal,
        actor=chair,
        decision="JMJY-5#9",
        reason="撤销",
        idempotency_key="u",
    )

    assert proposal.status == Status.ON_AGENDA


def test_reconsidering_needs_a_decided_proposal(on_agenda):
    proposal, chair = on_agenda

    with pytest.raises(ValidationError, match="Only a decided proposal"):
        services.proposal_reconsider(
            proposal=proposal,
            actor=chair,
            decision="JMJY-5#9",
            reason="x",
            idempotency_key="u",
        )


def test_the_team_is_conflicted_on_its_own_proposal():
    proposal = make_proposal(status="draft")
    partner = make_member(proposal.community, phone="13822223333")
    make_team(proposal, partner)

    assert selectors.proposal_conflicted_user_ids(proposal) == {
        proposal.proposer_id,
        partner.pk,
    }


def test_the_agenda_candidates_are_eligible_postponed_and_referred_proposals():
    eligible = make_proposal(status="eligible")
    community = eligible.community
    postponed = make_proposal(eligible.round, status="postponed")
    make_proposal(eligible.round, status="submitted")

    candidates = list(selectors.proposals_eligible_for_agenda(community))

    assert candidates == [eligible, postponed]
