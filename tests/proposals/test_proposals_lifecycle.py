"""The lifecycle services: every transition, allowed and refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fundapp.models import Role
from proposals import services
from proposals.models import Notification, Proposal, ProposalEvent
from tests.factories import (
    decide,
    make_draft,
    make_member,
    make_proposal,
    make_round,
    make_team,
)

pytestmark = pytest.mark.django_db
Status = Proposal.Status


def worker_of(proposal):
    return make_member(proposal.community, Role.SOCIAL_WORKER)


def test_submitting_a_complete_draft_makes_it_submitted_with_version_one():
    proposal = make_draft()

    proposal = services.proposal_submit(proposal=proposal, actor=proposal.proposer)

    assert proposal.status == Status.SUBMITTED
    assert proposal.submitted_at is not None
    assert proposal.versions.get().number == 1
    assert proposal.versions.get().snapshot["total"] == "1185.00"
    event = proposal.events.get(action=ProposalEvent.Action.SUBMITTED)
    assert (event.actor, event.from_status, event.to_status) == (
        proposal.proposer,
        Status.DRAFT,
        Status.SUBMITTED,
    )


def test_submitting_twice_submits_once():
    proposal = make_draft()

    services.proposal_submit(proposal=proposal, actor=proposal.proposer)
    again = services.proposal_submit(proposal=proposal, actor=proposal.proposer)

    assert again.status == Status.SUBMITTED
    assert again.versions.count() == 1
    assert again.events.filter(action=ProposalEvent.Action.SUBMITTED).count() == 1


def test_submission_lists_everything_that_is_missing_and_changes_nothing():
    proposal = make_draft(complete=False)

    with pytest.raises(ValidationError, match="budget line") as refused:
        services.proposal_submit(proposal=proposal, actor=proposal.proposer)

    messages = " ".join(refused.value.messages)
    assert "“What is the problem?” is empty." in messages
    assert "Choose a category" in messages
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT


def test_submission_over_the_ceiling_says_by_how_much():
    call = make_round(ceiling_amount="1000.00")
    proposal = make_draft(call)

    with pytest.raises(
        ValidationError, match="over the call's ceiling of ¥1,000.00 by ¥185.00"
    ):
        services.proposal_submit(proposal=proposal, actor=proposal.proposer)


def test_submission_in_a_category_the_call_excludes_is_refused():
    call = make_round(eligible_categories=["elderly_care", "culture"])
    proposal = make_draft(call, category="security")

    with pytest.raises(ValidationError, match="does not accept security"):
        services.proposal_submit(proposal=proposal, actor=proposal.proposer)


def test_submission_after_the_call_closed_is_refused():
    call = make_round()
    proposal = make_draft(call)
    yesterday = timezone.localdate() - timedelta(days=1)
    type(call).objects.filter(pk=call.pk).update(
        opens_on=yesterday - timedelta(days=5), closes_on=yesterday
    )

    with pytest.raises(ValidationError, match="closed on"):
        services.proposal_submit(proposal=proposal, actor=proposal.proposer)
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT


def test_a_co_proposer_cannot_submit_for_the_proposer():
    proposal = make_draft()
    partner = make_member(proposal.community, phone="13811112222")
    make_team(proposal, partner)

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.proposal_submit(proposal=proposal, actor=partner)


def test_screening_starts_only_from_submitted():
    proposal = make_proposal(status="submitted")
    worker = worker_of(proposal)

    proposal = services.proposal_screen_start(proposal=proposal, actor=worker)

    assert proposal.status == Status.SCREENING
    draft = make_draft()
    with pytest.raises(ValidationError, match="draft cannot become in screening"):
        services.proposal_screen_start(proposal=draft, actor=worker_of(draft))


def test_returning_needs_a_reason():
    proposal = make_proposal(status="submitted")

    with pytest.raises(ValidationError, match="Say what the proposers should revise"):
        services.proposal_return(
            proposal=proposal, actor=worker_of(proposal), reason=" "
        )


def test_a_returned_proposal_is_revised_and_resubmitted_as_version_two():
    proposal = make_proposal(status="submitted")
    worker = worker_of(proposal)
    proposal = services.proposal_return(
        proposal=proposal, actor=worker, reason="预算请写明单价依据"
    )

    services.proposal_save_budget(
        proposal=proposal,
        actor=proposal.proposer,
        lines=[
            {"item": "巡逻背心", "quantity": "30", "unit": "件", "unit_cost": "35.00"}
        ],
    )
    proposal = services.proposal_resubmit(proposal=proposal, actor=proposal.proposer)

    assert proposal.status == Status.SUBMITTED
    assert list(proposal.versions.values_list("number", flat=True)) == [1, 2]
    actions = list(proposal.events.values_list("action", flat=True))
    assert actions == ["created", "submitted", "returned", "resubmitted"]
    assert proposal.events.get(action="returned").reason == "预算请写明单价依据"


def test_a_returned_proposal_may_be_resubmitted_after_the_call_closed():
    proposal = make_proposal(status="returned")
    yesterday = timezone.localdate() - timedelta(days=1)
    type(proposal.round).objects.filter(pk=proposal.round_id).update(
        opens_on=yesterday - timedelta(days=5), closes_on=yesterday
    )

    proposal = services.proposal_submit(proposal=proposal, actor=proposal.proposer)

    assert proposal.status == Status.SUBMITTED


def test_resubmitting_a_draft_is_refused():
    proposal = make_draft()

    with pytest.raises(ValidationError, match="Only a proposal returned"):
        services.proposal_resubmit(proposal=proposal, actor=proposal.proposer)


def test_marking_eligible_checks_the_minimum_number_of_supports():
    call = make_round(minimum_supports=2)
    proposal = make_proposal(call)
    worker = worker_of(proposal)
    services.proposal_support(proposal=proposal, actor=make_member(proposal.community))

    with pytest.raises(
        ValidationError, match="1 residents support it; the call needs 2"
    ):
        services.proposal_mark_eligible(proposal=proposal, actor=worker)

    services.proposal_support(proposal=proposal, actor=make_member(proposal.community))
    proposal = services.proposal_mark_eligible(proposal=proposal, actor=worker)
    assert proposal.status == Status.ELIGIBLE


def test_a_returned_proposal_cannot_be_marked_eligible():
    proposal = make_proposal(status="returned")

    with pytest.raises(
        ValidationError, match="returned for revision cannot become eligible"
    ):
        services.proposal_mark_eligible(proposal=proposal, actor=worker_of(proposal))


@pytest.mark.parametrize(
    "status", ["draft", "submitted", "returned", "eligible", "on_agenda"]
)
def test_the_proposer_may_withdraw_before_a_decision(status):
    proposal = make_proposal(status=status)

    proposal = services.proposal_withdraw(
        proposal=proposal, actor=proposal.proposer, reason="已由街道解决"
    )

    assert proposal.status == Status.WITHDRAWN
    assert proposal.events.last().reason == "已由街道解决"


@pytest.mark.parametrize("status", ["approved", "rejected"])
def test_withdrawing_after_a_decision_is_refused(status):
    community_proposal = make_proposal(status="on_agenda")
    from tests.factories import make_tranche

    make_tranche(community_proposal.community.fund, amount="50000.00")
    proposal = decide(community_proposal, status)

    with pytest.raises(ValidationError, match="cannot become withdrawn"):
        services.proposal_withdraw(proposal=proposal, actor=proposal.proposer)


def test_only_the_proposer_may_withdraw():
    proposal = make_proposal(status="submitted")

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.proposal_withdraw(proposal=proposal, actor=worker_of(proposal))


def test_a_coordinator_places_an_eligible_proposal_on_the_agenda():
    proposal = make_proposal(status="eligible")
    coordinator = make_member(proposal.community, Role.COORDINATOR)

    proposal = services.proposal_place_on_agenda(
        proposal=proposal, actor=coordinator, agenda="JMJY-7"
    )

    assert proposal.status == Status.ON_AGENDA
    assert proposal.events.get(action="on_agenda").reason == "JMJY-7"


def test_a_councillor_who_is_not_a_coordinator_cannot_set_the_agenda():
    proposal = make_proposal(status="eligible")
    councillor = make_member(proposal.community, Role.COUNCILLOR)

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.proposal_place_on_agenda(
            proposal=proposal, actor=councillor, agenda="JMJY-7"
        )


def test_a_submitted_proposal_cannot_go_on_the_agenda():
    proposal = make_proposal(status="submitted")

    with pytest.raises(ValidationError, match="this one is submitted"):
        services.proposal_place_on_agenda(
            proposal=proposal, actor=worker_of(proposal), agenda="JMJY-1"
        )


def test_a_postponed_proposal_goes_back_onto_an_agenda():
    proposal = make_proposal(status="postponed")

    proposal = services.proposal_place_on_agenda(
        proposal=proposal, actor=worker_of(proposal), agenda="JMJY-9"
    )

    assert proposal.status == Status.ON_AGENDA


def test_project_stages_follow_an_approval_in_order():
    proposal = make_proposal(status="on_agenda")
    from tests.factories import make_tranche

    make_tranche(proposal.community.fund)
    worker = worker_of(proposal)
    evaluator = make_member(proposal.community, Role.EVALUATOR)
    proposal = decide(proposal, "approved")
    with pytest.raises(ValidationError, match="approved cannot become completed"):
        services.proposal_complete(proposal=proposal, actor=worker)

    proposal = services.proposal_start(proposal=proposal, actor=worker)
    proposal = services.proposal_complete(proposal=proposal, actor=worker)
    proposal = services.proposal_mark_evaluated(proposal=proposal, actor=evaluator)
    proposal = services.proposal_close(proposal=proposal, actor=worker)

    assert proposal.status == Status.CLOSED


def test_a_state_change_tells_the_team_in_the_site_and_by_email_after_commit(
    django_capture_on_commit_callbacks,
):
    proposal = make_proposal(status="submitted")
    proposal.proposer.email = "wang@example.org"
    proposal.proposer.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.proposal_return(
            proposal=proposal, actor=worker_of(proposal), reason="请补充证据"
        )

    assert len(callbacks) == 1
    notification = Notification.objects.get(recipient=proposal.proposer)
    assert notification.status == Status.RETURNED
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1
    assert (
        "returned for revision" in mail.outbox[0].body or "退回" in mail.outbox[0].body
    )


def test_the_email_is_sent_once_even_if_the_task_runs_twice():
    proposal = make_proposal(status="submitted")
    proposal.proposer.email = "wang@example.org"
    proposal.proposer.save(update_fields=["email"])
    services.proposal_return(proposal=proposal, actor=worker_of(proposal), reason="x")
    notification = Notification.objects.get(recipient=proposal.proposer)

    services.notification_email_send(notification_id=notification.pk)
    services.notification_email_send(notification_id=notification.pk)

    assert len(mail.outbox) == 1


def test_nobody_changes_status_except_through_a_service():
    allowed = Proposal.NEXT_STATUSES

    assert Status.DRAFT not in {s for targets in allowed.values() for s in targets}
    assert allowed[Status.APPROVED] == {Status.ACTIVE, Status.ON_AGENDA}
    assert Decimal("0.00") == Proposal().requested_amount
