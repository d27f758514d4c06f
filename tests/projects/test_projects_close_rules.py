"""Closing a project and withdrawing a payment request (issue 17): who may,
and what each refusal says, whole, with its code."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fundapp.models import LedgerTransaction, Role
from fundapp.services import commitment_outstanding
from projects import services
from projects.models import Disbursement
from projects.services import SchedulePart
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


def crew_on(schedule=None):
    """Another project of ¥1,185.00 (in its own community and fund), paid on
    `schedule` (the crew's by default), and the people around it."""
    proposal = make_approved_proposal()
    community = proposal.community
    worker = make_member(community, Role.SOCIAL_WORKER)
    project = make_project(proposal, worker=worker, schedule=schedule)
    return SimpleNamespace(
        project=project,
        proposal=project.proposal,
        worker=worker,
        signers=tuple(make_member(community, Role.FUND_COMMITTEE) for _ in range(2)),
        team=proposal.proposer,
        evaluator=make_member(community, Role.EVALUATOR),
    )


def give_back(crew, amount):
    services.return_record(
        project=crew.project,
        actor=crew.signers[0],
        amount=Decimal(amount),
        returned_on=date(2026, 6, 1),
        bank_reference="RET-1",
    )


def releases(crew):
    return LedgerTransaction.objects.filter(
        commitment=crew.project.proposal.commitment,
        kind=LedgerTransaction.Kind.RELEASE,
    )


def test_a_project_is_closed_once_evaluated_not_when_completed(crew):
    pay(crew, crew.project.installments.get(position=1))
    spend(crew, "592.50")
    finish(crew)

    refused = refusal(close, crew=crew)

    assert (refused.code, refused.messages) == (
        "project_status",
        ["A project is closed once it is evaluated; this one is completed."],
    )


def test_a_project_with_one_fen_paid_out_and_not_spent_is_not_closed(crew):
    pay(crew, crew.project.installments.get(position=1))
    spend(crew, "592.49")
    evaluated(crew)

    refused = refusal(close, crew=crew)

    assert (refused.code, refused.messages) == (
        "unspent",
        ["¥0.01 was paid out and neither spent nor returned; record its return first."],
    )
    assert crew.proposal.status == "evaluated"


def test_closing_releases_the_grant_left_unpaid_to_the_last_fen():
    crew = crew_on(
        [
            SchedulePart(Decimal("99.99"), "start"),
            SchedulePart(Decimal("0.01"), "final"),
        ]
    )
    pay(crew, crew.project.installments.get(position=1))
    evaluated(crew)
    give_back(crew, "1184.88")

    close(crew)

    release = releases(crew).get()
    assert release.amount == Decimal("0.12")
    assert release.memo == (
        f"{crew.proposal.title} closed: the grant left unpaid goes back"
    )
    assert release.created_by == crew.signers[0]
    assert commitment_outstanding(crew.project.proposal.commitment) == 0


def test_a_project_paid_in_full_closes_with_nothing_to_release():
    crew = crew_on([SchedulePart(Decimal("100"), "start")])
    pay(crew, crew.project.installments.get(position=1))
    evaluated(crew)
    give_back(crew, "1185.00")

    close(crew)

    crew.proposal.refresh_from_db()
    assert crew.proposal.status == "closed"
    assert not releases(crew).exists()


def test_each_project_closed_releases_its_own_unpaid_grant(crew):
    other = crew_on()
    for each in (crew, other):
        pay(each, each.project.installments.get(position=1))
        spend(each, "592.50")
        evaluated(each)

    close(crew)
    close(other)

    for each in (crew, other):
        assert releases(each).get().amount == Decimal("592.50")
        assert commitment_outstanding(each.project.proposal.commitment) == 0


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
