"""The interfaces the council relies on: agenda, decisions, undoing them, recusal."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fundapp.models import Role
from fundapp.selectors import fund_balances
from proposals import selectors, services
from proposals.models import Proposal
from tests.factories import make_member, make_proposal, make_tranche

pytestmark = pytest.mark.django_db
Status = Proposal.Status


@pytest.fixture
def on_agenda():
    proposal = make_proposal(status="on_agenda")
    make_tranche(proposal.community.fund, amount="10000.00")
    chair = make_member(proposal.community, Role.COORDINATOR)
    return proposal, chair


def test_approval_commits_the_money_and_stores_amount_and_conditions(on_agenda):
    proposal, chair = on_agenda

    proposal = services.proposal_record_decision(
        proposal=proposal,
        outcome="approved",
        decided_by=chair,
        amount="1000.00",
        conditions="每季度报告一次",
        reference="motion:3",
        idempotency_key="decide-1",
    )

    assert proposal.status == Status.APPROVED
    assert proposal.approved_amount == Decimal("1000.00")
    assert proposal.conditions == "每季度报告一次"
    assert proposal.commitment.decision == "motion:3"
    assert fund_balances(fund=proposal.community.fund).committed == Decimal("1000.00")


def test_approval_without_an_amount_commits_the_requested_amount(on_agenda):
    proposal, chair = on_agenda

    proposal = services.proposal_record_decision(
        proposal=proposal,
        outcome="approved",
        decided_by=chair,
        reference="T-1#1",
        idempotency_key="d",
    )

    assert proposal.approved_amount == proposal.requested_amount == Decimal("1185.00")


def test_the_same_decision_key_twice_records_one_decision(on_agenda):
    proposal, chair = on_agenda

    for _attempt in range(2):
        services.proposal_record_decision(
            proposal=proposal,
            outcome="approved",
            decided_by=chair,
            reference="T-1#1",
            idempotency_key="k",
        )

    assert fund_balances(fund=proposal.community.fund).committed == Decimal("1185.00")
    assert proposal.events.filter(action="approved").count() == 1


def test_approval_beyond_the_fund_is_refused_and_changes_nothing():
    proposal = make_proposal(status="on_agenda")
    chair = make_member(proposal.community, Role.COORDINATOR)

    with pytest.raises(ValidationError, match="short"):
        services.proposal_record_decision(
            proposal=proposal,
            outcome="approved",
            decided_by=chair,
            reference="T-1#1",
            idempotency_key="x",
        )

    proposal.refresh_from_db()
    assert proposal.status == Status.ON_AGENDA
    assert proposal.commitment is None


def test_approval_over_the_ceiling_is_refused(on_agenda):
    proposal, chair = on_agenda

    with pytest.raises(ValidationError, match="over the call's ceiling"):
        services.proposal_record_decision(
            proposal=proposal,
            outcome="approved",
            decided_by=chair,
            amount="20000.01",
            idempotency_key="x",
        )


@pytest.mark.parametrize("outcome", ["rejected", "postponed", "referred"])
def test_other_outcomes_move_the_proposal_without_money(on_agenda, outcome):
    proposal, chair = on_agenda

    proposal = services.proposal_record_decision(
        proposal=proposal, outcome=outcome, decided_by=chair, idempotency_key=outcome
    )

    assert proposal.status == outcome
    assert proposal.commitment is None
    assert proposal.decided_at is not None


def test_tabling_keeps_the_proposal_on_the_agenda_as_unfinished_business(on_agenda):
    proposal, chair = on_agenda

    proposal = services.proposal_record_decision(
        proposal=proposal, outcome="tabled", decided_by=chair, idempotency_key="t"
    )

    assert proposal.status == Status.ON_AGENDA
    assert proposal.tabled_at is not None
    assert proposal.events.last().action == "tabled"


def test_an_unknown_outcome_is_refused(on_agenda):
    proposal, chair = on_agenda

    with pytest.raises(ValidationError, match="Unknown outcome"):
        services.proposal_record_decision(
            proposal=proposal, outcome="adopted", decided_by=chair, idempotency_key="u"
        )


def test_a_proposal_not_on_the_agenda_cannot_be_decided():
    proposal = make_proposal(status="eligible")
    chair = make_member(proposal.community, Role.COORDINATOR)

    with pytest.raises(ValidationError, match="Only a proposal on the agenda"):
        services.proposal_record_decision(
            proposal=proposal, outcome="rejected", decided_by=chair, idempotency_key="e"
        )


def test_a_resident_cannot_record_a_decision(on_agenda):
    proposal, _chair = on_agenda

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.proposal_record_decision(
            proposal=proposal,
            outcome="rejected",
            decided_by=make_member(proposal.community),
            idempotency_key="r",
        )


def test_undoing_an_approval_releases_the_commitment(on_agenda):
    proposal, chair = on_agenda
    proposal = services.proposal_record_decision(
        proposal=proposal,
        outcome="approved",
        decided_by=chair,
        reference="T-1#1",
        idempotency_key="a",
    )

    proposal = services.proposal_undo_decision(
        proposal=proposal, undone_by=chair, reason="重议", idempotency_key="undo"
    )
    services.proposal_undo_decision(
        proposal=proposal, undone_by=chair, reason="重议", idempotency_key="undo"
    )

    assert proposal.status == Status.ON_AGENDA
    assert proposal.commitment is None and proposal.approved_amount is None
    balances = fund_balances(fund=proposal.community.fund)
    assert (balances.committed, balances.available) == (
        Decimal("0.00"),
        Decimal("10000.00"),
    )


def test_undoing_a_rejection_puts_it_back_on_the_agenda(on_agenda):
    proposal, chair = on_agenda
    proposal = services.proposal_record_decision(
        proposal=proposal, outcome="rejected", decided_by=chair, idempotency_key="r"
    )

    proposal = services.proposal_undo_decision(
        proposal=proposal, undone_by=chair, reason="撤销", idempotency_key="u"
    )

    assert proposal.status == Status.ON_AGENDA


def test_undoing_needs_a_decided_proposal(on_agenda):
    proposal, chair = on_agenda

    with pytest.raises(ValidationError, match="Only a decided proposal"):
        services.proposal_undo_decision(
            proposal=proposal, undone_by=chair, reason="x", idempotency_key="u"
        )


def test_the_team_is_conflicted_on_its_own_proposal():
    proposal = make_proposal(status="draft")
    partner = make_member(proposal.community, phone="13822223333")
    services.proposal_save_team(
        proposal=proposal,
        saved_by=proposal.proposer,
        co_proposer_phones=["13822223333"],
    )

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
