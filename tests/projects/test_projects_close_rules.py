"""Closing a project and withdrawing a payment request (issue 17): who may,
and what each refusal says, whole, with its code."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fundapp.models import Role
from projects import services
from projects.models import Disbursement
from tests.factories import make_approved_proposal, make_member, make_project
from tests.projects.steps import file_report, pay, spend

pytestmark = pytest.mark.django_db


def refusal(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError, match=".") as refused:
        call(**kwargs)
    return refused.value


def finish(crew):
    file_report(crew, "final")
    services.project_complete(
        project=crew.project, actor=crew.worker, completed_on=date(2026, 5, 1)
    )


def evaluated(crew):
    finish(crew)
    services.project_mark_evaluated(project=crew.project, actor=crew.evaluator)


def close(crew):
    return services.project_close(project=crew.project, actor=crew.signers[0])


def test_a_project_is_closed_once_evaluated_not_when_completed(crew):
    pay(crew, crew.project.installments.get(position=1))
    spend(crew, "592.50")
    finish(crew)

    refused = refusal(close, crew=crew)

    assert (refused.code, refused.messages) == (
        "project_status",
        ["A project is closed once it is evaluated; this one is completed."],
    )


def test_a_project_with_an_expense_waiting_for_review_is_not_closed(crew):
    pay(crew, crew.project.installments.get(position=1))
    spend(crew, "500.00")
    spend(crew, "92.50", accept=False)
    evaluated(crew)

    refused = refusal(close, crew=crew)

    assert (refused.code, refused.messages) == (
        "pending",
        ["Some expenses still wait for review or an answer."],
    )
    assert crew.proposal.status == "evaluated"


def test_a_project_with_an_open_payment_request_is_not_closed(crew):
    pay(crew, crew.project.installments.get(position=1))
    spend(crew, "592.50")
    evaluated(crew)
    Disbursement.objects.create(
        installment=crew.project.installments.get(position=2),
        amount="355.50",
        requested_by=crew.worker,
        requested_at=crew.project.created_at,
    )

    refused = refusal(close, crew=crew)

    assert (refused.code, refused.messages) == (
        "pending",
        ["A payment request is still open; pay or withdraw it first."],
    )


def test_another_projects_open_request_does_not_keep_this_one_open(crew):
    pay(crew, crew.project.installments.get(position=1))
    spend(crew, "592.50")
    evaluated(crew)
    other_proposal = make_approved_proposal()
    other_worker = make_member(other_proposal.community, Role.SOCIAL_WORKER)
    other = make_project(other_proposal, worker=other_worker)
    services.installment_request(
        installment=other.installments.get(position=1), actor=other_worker
    )

    close(crew)

    assert crew.proposal.status == "closed"


def test_only_the_fund_committee_closes_a_project(crew):
    pay(crew, crew.project.installments.get(position=1))
    spend(crew, "592.50")
    evaluated(crew)

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.project_close(project=crew.project, actor=crew.worker)

    assert crew.proposal.status == "evaluated"


# Withdrawing a request: the social worker who asks, or the fund committee.


def requested(crew):
    return services.installment_request(
        installment=crew.project.installments.get(position=1), actor=crew.worker
    )


@pytest.mark.parametrize("who", ["worker", "signer"])
def test_the_social_worker_or_a_fund_committee_member_withdraws(crew, who):
    actor = crew.worker if who == "worker" else crew.signers[0]

    withdrawn = services.disbursement_withdraw(
        disbursement=requested(crew), actor=actor, reason="金额待核"
    )

    withdrawn.refresh_from_db()
    assert (withdrawn.status, withdrawn.withdrawn_reason) == (
        Disbursement.Status.WITHDRAWN,
        "金额待核",
    )


def test_a_withdrawal_says_why_it_is_refused(crew):
    disbursement = requested(crew)

    no_reason = refusal(
        services.disbursement_withdraw,
        disbursement=disbursement,
        actor=crew.signers[0],
        reason="  ",
    )
    services.disbursement_withdraw(
        disbursement=disbursement, actor=crew.worker, reason="金额待核"
    )
    twice = refusal(
        services.disbursement_withdraw,
        disbursement=disbursement,
        actor=crew.worker,
        reason="金额待核",
    )

    assert no_reason.message_dict == {"reason": ["Say why the request is withdrawn."]}
    assert (twice.code, twice.messages) == (
        "not_requested",
        ["Only a request not yet paid can be withdrawn."],
    )
