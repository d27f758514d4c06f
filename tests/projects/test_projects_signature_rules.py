"""Signing a payment request (issue 17): every refusal whole with its code,
and the first payment of each project starts its own proposal."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fundapp.models import Role
from projects import services
from proposals.models import Proposal
from tests.factories import make_approved_proposal, make_member, make_project
from tests.projects.steps import pay

pytestmark = pytest.mark.django_db


def requested(crew):
    return services.installment_request(
        installment=crew.project.installments.get(position=1), actor=crew.worker
    )


def refusal(**fields) -> ValidationError:
    with pytest.raises(ValidationError, match=".") as refused:
        services.disbursement_approve(**fields)
    return refused.value


def test_a_withdrawn_request_says_there_is_nothing_to_sign(crew):
    disbursement = requested(crew)
    services.disbursement_withdraw(
        disbursement=disbursement, actor=crew.worker, reason="金额待核"
    )

    refused = refusal(disbursement=disbursement, actor=crew.signers[0])

    assert (refused.code, refused.messages) == (
        "not_requested",
        ["This request is withdrawn; there is nothing to sign."],
    )


def test_a_request_is_not_signed_once_its_project_is_closed(crew):
    disbursement = requested(crew)
    Proposal.objects.filter(pk=crew.project.proposal_id).update(status="closed")

    refused = refusal(disbursement=disbursement, actor=crew.signers[0])

    assert (refused.code, refused.messages) == (
        "project_status",
        ["Nothing can be paid on a project that is closed."],
    )


def test_nobody_signs_a_payment_twice(crew):
    disbursement = requested(crew)
    services.disbursement_approve(disbursement=disbursement, actor=crew.signers[0])

    twice = refusal(disbursement=disbursement, actor=crew.signers[0])

    assert (twice.code, twice.messages) == (
        "signed_twice",
        ["You have already signed this payment; a second person must."],
    )


def test_the_first_payment_of_each_project_starts_its_own_proposal(crew):
    pay(crew, crew.project.installments.get(position=1))
    other_proposal = make_approved_proposal()
    other_worker = make_member(other_proposal.community, Role.SOCIAL_WORKER)
    other = make_project(other_proposal, worker=other_worker)
    signers = [make_member(other.community, Role.FUND_COMMITTEE) for _ in range(2)]
    disbursement = services.installment_request(
        installment=other.installments.get(position=1), actor=other_worker
    )
    services.disbursement_approve(disbursement=disbursement, actor=signers[0])

    services.disbursement_approve(
        disbursement=disbursement,
        actor=signers[1],
        method="cash",
        paid_on=timezone.localdate(),
    )

    other_proposal.refresh_from_db()
    assert other_proposal.status == Proposal.Status.ACTIVE
