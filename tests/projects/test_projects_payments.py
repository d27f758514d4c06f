"""The grant agreement and paying it: schedules, two signatures, holds, returns."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from councils.models import MeetingEvent
from fundapp.models import LedgerTransaction, Role, User
from fundapp.selectors import fund_balances
from fundapp.services import commitment_outstanding
from projects import services
from projects.models import Disbursement, Installment, Project
from projects.selectors import project_installments, project_money
from projects.services import SchedulePart, schedule_amounts
from tests.factories import make_approved_proposal, make_member, make_project
from tests.projects.steps import codes_of, file_report, pay, spend

pytestmark = pytest.mark.django_db


def parts(*percents, trigger="start"):
    return [SchedulePart(Decimal(p), trigger) for p in percents]


# The schedule


def test_the_parts_add_up_to_the_amount_to_the_fen_with_the_last_taking_the_remainder():
    amounts = schedule_amounts(Decimal("1000.00"), parts("33.33", "33.33", "33.34"))

    assert amounts == [Decimal("333.30"), Decimal("333.30"), Decimal("333.40")]
    assert sum(amounts) == Decimal("1000.00")


def test_a_third_each_rounds_half_up_and_the_last_part_takes_the_fen():
    amounts = schedule_amounts(Decimal("100.01"), parts("50", "50"))

    assert amounts == [Decimal("50.01"), Decimal("50.00")]


@pytest.mark.parametrize(
    ("percents", "code"),
    [
        (("50", "30"), "schedule_not_whole"),
        (("50", "30", "30"), "schedule_not_whole"),
        (("100.001",), "bad_share"),
        (("0", "100"), "bad_share"),
        ((), "no_installments"),
        (("1",) * 99 + ("1",), "too_many_installments"),
    ],
)
def test_a_schedule_that_does_not_add_up_is_refused(percents, code):
    with pytest.raises(ValidationError, match=r"\w") as error:
        schedule_amounts(Decimal("1000.00"), parts(*percents))

    assert codes_of(error.value) == {code}


def test_opening_a_project_takes_the_approved_amount_and_writes_the_schedule(crew):
    installments = list(crew.project.installments.all())

    assert [i.amount for i in installments] == [
        Decimal("592.50"),
        Decimal("355.50"),
        Decimal("237.00"),
    ]
    assert sum(i.amount for i in installments) == crew.proposal.approved_amount
    assert [i.trigger for i in installments] == ["start", "progress", "final"]
    assert crew.project.milestones.count() == 1


def test_a_schedule_that_does_not_add_up_changes_nothing():
    proposal = make_approved_proposal()

    with pytest.raises(ValidationError, match="add up to 80"):
        make_project(proposal, schedule=parts("50", "30"))

    assert not Project.objects.filter(proposal=proposal).exists()
    assert Installment.objects.count() == 0


def test_only_a_social_worker_opens_a_project():
    proposal = make_approved_proposal()

    with pytest.raises(PermissionDenied, match="right to do this"):
        make_project(proposal, worker=make_member(proposal.community, Role.RESIDENT))


def test_a_proposal_gets_one_project(crew):
    with pytest.raises(ValidationError, match="not approved|already has") as error:
        make_project(crew.proposal, worker=crew.worker)

    assert codes_of(error.value) <= {"already_open", "not_approved"}


# Paying with two signatures


def test_two_fund_committee_members_sign_and_the_ledger_pays_from_committed(crew):
    first = crew.project.installments.get(position=1)

    disbursement = pay(crew, first)

    assert disbursement.status == Disbursement.Status.PAID
    assert disbursement.ledger_transaction.kind == LedgerTransaction.Kind.DISBURSE
    balances = fund_balances(fund=crew.project.community.fund)
    assert balances.disbursed == Decimal("592.50")
    assert balances.committed == Decimal("592.50")
    assert commitment_outstanding(crew.proposal.commitment) == Decimal("592.50")


def test_the_first_payment_starts_the_project_and_carries_out_the_decision(crew):
    assert crew.proposal.status == "approved"

    pay(crew, crew.project.installments.get(position=1))

    assert crew.proposal.status == "active"


def test_the_requester_may_not_sign(crew):
    disbursement = services.installment_request(
        installment=crew.project.installments.get(position=1), actor=crew.worker
    )
    crew.worker.memberships.create(
        community=crew.project.community,
        role=Role.FUND_COMMITTEE,
        verified_at=crew.project.created_at,
    )
    worker_on_the_committee = User.objects.get(pk=crew.worker.pk)

    with pytest.raises(ValidationError, match="requested a payment") as error:
        services.disbursement_approve(
            disbursement=disbursement, actor=worker_on_the_committee
        )

    assert codes_of(error.value) == {"requester_signs"}
    assert error.value.messages == [
        "The person who requested a payment cannot also sign it."
    ]


def test_no_one_signs_twice(crew):
    disbursement = services.installment_request(
        installment=crew.project.installments.get(position=1), actor=crew.worker
    )
    services.disbursement_approve(disbursement=disbursement, actor=crew.signers[0])

    with pytest.raises(ValidationError, match="already signed") as error:
        services.disbursement_approve(
            disbursement=disbursement,
            actor=crew.signers[0],
            method="bank_transfer",
            bank_reference="B",
            paid_on=timezone.localdate(),
        )

    assert codes_of(error.value) == {"signed_twice"}
    assert disbursement.approvals.count() == 1


def test_only_the_fund_committee_signs(crew):
    disbursement = services.installment_request(
        installment=crew.project.installments.get(position=1), actor=crew.worker
    )

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.disbursement_approve(disbursement=disbursement, actor=crew.evaluator)


def test_the_second_signature_records_the_payment_or_nothing(crew):
    disbursement = services.installment_request(
        installment=crew.project.installments.get(position=1), actor=crew.worker
    )
    services.disbursement_approve(disbursement=disbursement, actor=crew.signers[0])

    with pytest.raises(ValidationError, match="bank's reference"):
        services.disbursement_approve(
            disbursement=disbursement,
            actor=crew.signers[1],
            method="bank_transfer",
            paid_on=timezone.localdate(),
        )

    disbursement.refresh_from_db()
    assert disbursement.status == Disbursement.Status.REQUESTED
    assert disbursement.approvals.count() == 1
    assert fund_balances(fund=crew.project.community.fund).disbursed == 0


def test_a_payment_dated_in_the_future_is_refused(crew):
    disbursement = services.installment_request(
        installment=crew.project.installments.get(position=1), actor=crew.worker
    )
    services.disbursement_approve(disbursement=disbursement, actor=crew.signers[0])

    with pytest.raises(ValidationError, match="future"):
        services.disbursement_approve(
            disbursement=disbursement,
            actor=crew.signers[1],
            method="cash",
            paid_on=date(2099, 1, 1),
        )


def test_a_request_before_its_trigger_is_refused(crew):
    pay(crew, crew.project.installments.get(position=1))

    with pytest.raises(ValidationError, match="accepted progress report") as error:
        services.installment_request(
            installment=crew.project.installments.get(position=2), actor=crew.worker
        )

    assert codes_of(error.value) == {"trigger_not_met"}


def test_a_request_out_of_order_is_refused(crew):
    file_report(crew)

    with pytest.raises(ValidationError, match="in order") as error:
        services.installment_request(
            installment=crew.project.installments.get(position=2), actor=crew.worker
        )

    assert codes_of(error.value) == {"earlier_unpaid"}
    assert error.value.messages == [
        "Installments are paid in order; the one before is not paid yet."
    ]


def test_an_accepted_progress_report_meets_the_second_trigger(crew):
    pay(crew, crew.project.installments.get(position=1))
    file_report(crew)

    paid = pay(crew, crew.project.installments.get(position=2))

    assert paid.amount == Decimal("355.50")


def test_an_installment_is_not_requested_or_paid_twice(crew):
    first = crew.project.installments.get(position=1)
    pay(crew, first)

    with pytest.raises(ValidationError, match="already requested or paid"):
        services.installment_request(installment=first, actor=crew.worker)

    assert fund_balances(fund=crew.project.community.fund).disbursed == Decimal(
        "592.50"
    )


def test_a_third_signature_on_a_paid_request_pays_nothing(crew):
    paid = pay(crew, crew.project.installments.get(position=1))
    third = make_member(crew.project.community, Role.FUND_COMMITTEE)

    with pytest.raises(ValidationError, match="nothing to sign"):
        services.disbursement_approve(disbursement=paid, actor=third)

    assert LedgerTransaction.objects.filter(kind="disburse").count() == 1


def test_a_withdrawn_request_loses_its_signatures(crew):
    first = crew.project.installments.get(position=1)
    disbursement = services.installment_request(installment=first, actor=crew.worker)
    services.disbursement_approve(disbursement=disbursement, actor=crew.signers[0])
    services.disbursement_withdraw(
        disbursement=disbursement, actor=crew.signers[1], reason="金额待核"
    )

    again = services.installment_request(installment=first, actor=crew.worker)

    assert again.approvals.count() == 0


# Holds


def test_a_flag_holds_every_unpaid_installment_and_nothing_is_paid(crew):
    disbursement = services.installment_request(
        installment=crew.project.installments.get(position=1), actor=crew.worker
    )
    services.disbursement_approve(disbursement=disbursement, actor=crew.signers[0])
    services.flag_raise(
        project=crew.project, actor=crew.evaluator, kind="inactive", reasons="无活动"
    )

    with pytest.raises(ValidationError, match="on hold") as error:
        services.disbursement_approve(
            disbursement=disbursement,
            actor=crew.signers[1],
            method="cash",
            paid_on=timezone.localdate(),
        )

    assert codes_of(error.value) == {"on_hold"}
    rows = project_installments(crew.project, on_hold=True)
    assert [row.state for row in rows] == ["on_hold", "on_hold", "on_hold"]
    assert fund_balances(fund=crew.project.community.fund).disbursed == 0


def test_a_request_while_on_hold_is_refused(crew):
    services.flag_raise(
        project=crew.project, actor=crew.evaluator, kind="off_plan", reasons="偏离"
    )

    with pytest.raises(ValidationError, match="on hold"):
        services.installment_request(
            installment=crew.project.installments.get(position=1), actor=crew.worker
        )


# Spending, returning, closing


def test_the_money_page_reconciles_per_budget_line(crew):
    pay(crew, crew.project.installments.get(position=1))
    vests, torches = crew.project.proposal.budget_lines.all()
    spend(crew, "300.00", line=vests)
    queried = spend(crew, "50.00", line=torches, accept=False)
    services.expense_review(
        expense=queried, actor=crew.worker, accept=False, query="发票抬头不对"
    )
    spend(crew, "20.00", line=torches, accept=False)

    money = project_money(crew.project)

    assert (money.approved, money.paid, money.spent) == (
        Decimal("1185.00"),
        Decimal("592.50"),
        Decimal("300.00"),
    )
    assert (money.queried, money.waiting) == (Decimal("50.00"), Decimal("20.00"))
    assert money.unspent == Decimal("292.50")
    assert money.returnable == Decimal("222.50")
    assert [(line.budget, line.accepted) for line in money.lines] == [
        (Decimal("700.00"), Decimal("300.00")),
        (Decimal("485.00"), Decimal("0.00")),
    ]


def finish(crew):
    """The final report accepted and the project completed."""
    file_report(crew, "final")
    services.project_complete(
        project=crew.project, actor=crew.worker, completed_on=date(2026, 5, 1)
    )


def test_a_return_beyond_what_is_unspent_is_refused_and_moves_nothing(crew):
    pay(crew, crew.project.installments.get(position=1))
    spend(crew, "500.00")
    finish(crew)

    with pytest.raises(ValidationError, match="¥92.50") as error:
        services.return_record(
            project=crew.project,
            actor=crew.signers[0],
            amount=Decimal("92.51"),
            returned_on=date(2026, 6, 1),
            bank_reference="RET-1",
        )

    assert codes_of(error.value) == {"beyond_unspent"}
    assert fund_balances(fund=crew.project.community.fund).returned == 0


def test_a_return_goes_back_to_the_tranches_available_money(crew):
    fund = crew.project.community.fund
    pay(crew, crew.project.installments.get(position=1))
    spend(crew, "500.00")
    finish(crew)
    before = fund_balances(fund=fund).available

    services.return_record(
        project=crew.project,
        actor=crew.signers[0],
        amount=Decimal("92.50"),
        returned_on=date(2026, 6, 1),
        bank_reference="RET-1",
    )

    after = fund_balances(fund=fund)
    assert after.returned == Decimal("92.50")
    assert after.available == before + Decimal("92.50")
    assert after.disbursed == Decimal("592.50")
    assert project_money(crew.project).unspent == 0


def test_no_return_before_the_project_is_completed(crew):
    pay(crew, crew.project.installments.get(position=1))

    with pytest.raises(ValidationError, match="once the project is completed"):
        services.return_record(
            project=crew.project,
            actor=crew.signers[0],
            amount=Decimal("1.00"),
            returned_on=date(2026, 6, 1),
            bank_reference="RET-1",
        )


def test_no_expense_is_recorded_after_a_return(crew):
    pay(crew, crew.project.installments.get(position=1))
    finish(crew)
    services.return_record(
        project=crew.project,
        actor=crew.signers[0],
        amount=Decimal("592.50"),
        returned_on=date(2026, 6, 1),
        bank_reference="RET-1",
    )

    with pytest.raises(ValidationError, match="already returned") as error:
        spend(crew, "1.00")

    assert codes_of(error.value) == {"returned"}


def test_a_completed_evaluated_project_closes_releasing_what_was_never_paid(
    crew, settings
):
    fund = crew.project.community.fund
    pay(crew, crew.project.installments.get(position=1))
    spend(crew, "592.50")
    file_report(crew, "final")
    services.project_complete(
        project=crew.project, actor=crew.worker, completed_on=date(2026, 5, 1)
    )
    services.project_mark_evaluated(project=crew.project, actor=crew.evaluator)

    services.project_close(project=crew.project, actor=crew.signers[0])

    assert crew.proposal.status == "closed"
    assert commitment_outstanding(crew.proposal.commitment) == 0
    assert fund_balances(fund=fund).committed == 0
    assert crew.project.installments.filter(cancelled_at__isnull=False).count() == 2


def test_a_payment_on_a_closed_project_is_refused(crew):
    pay(crew, crew.project.installments.get(position=1))
    spend(crew, "592.50")
    file_report(crew, "final")
    services.project_complete(
        project=crew.project, actor=crew.worker, completed_on=date(2026, 5, 1)
    )
    services.project_mark_evaluated(project=crew.project, actor=crew.evaluator)
    services.project_close(project=crew.project, actor=crew.signers[0])

    with pytest.raises(ValidationError, match="closed") as error:
        services.installment_request(
            installment=crew.project.installments.get(position=3), actor=crew.worker
        )

    assert codes_of(error.value) == {"project_status"}
    assert error.value.messages == ["Nothing can be paid on a project that is closed."]


def test_closing_with_unspent_money_is_refused(crew):
    pay(crew, crew.project.installments.get(position=1))
    spend(crew, "500.00")
    file_report(crew, "final")
    services.project_complete(
        project=crew.project, actor=crew.worker, completed_on=date(2026, 5, 1)
    )
    services.project_mark_evaluated(project=crew.project, actor=crew.evaluator)

    with pytest.raises(ValidationError, match="¥92.50") as error:
        services.project_close(project=crew.project, actor=crew.signers[0])

    assert codes_of(error.value) == {"unspent"}
    assert crew.proposal.status == "evaluated"


def test_the_decision_is_marked_executed_when_the_grant_is_first_paid():
    from councils import services as council_services
    from tests.councils.conftest import _move_and_state, next_key
    from tests.factories import (
        make_council,
        make_funded_community,
        make_meeting,
        make_proposal,
        make_round,
    )

    community, _keeper, _tranche = make_funded_community("5000.00")
    council, chair, members = make_council(community, seats=3)
    worker = make_member(community, Role.SOCIAL_WORKER)
    proposal = make_proposal(make_round(community), status="eligible")
    meeting = make_meeting(council, chair=chair)
    council_services.agenda_add_proposal(
        meeting=meeting, proposal=proposal, actor=worker
    )
    for person in [chair, *members]:
        council_services.meeting_check_in(
            meeting=meeting, member=person, idempotency_key=next_key()
        )
    council_services.meeting_call_to_order(
        meeting=meeting, chair=chair, idempotency_key=next_key()
    )
    _move_and_state(
        meeting,
        chair,
        members[0],
        members[1],
        motion="main",
        text="Fund it",
        proposal=proposal,
        amount=Decimal("1185.00"),
    )
    council_services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=next_key()
    )
    for voter in members:
        council_services.vote_cast(
            meeting=meeting, member=voter, choice="yes", idempotency_key=next_key()
        )
    council_services.vote_announce(
        meeting=meeting, chair=chair, idempotency_key=next_key()
    )
    proposal.refresh_from_db()
    project = make_project(proposal, worker=worker)
    signers = [make_member(community, Role.FUND_COMMITTEE) for _ in range(2)]
    disbursement = services.installment_request(
        installment=project.installments.get(position=1), actor=worker
    )
    services.disbursement_approve(disbursement=disbursement, actor=signers[0])

    services.disbursement_approve(
        disbursement=disbursement,
        actor=signers[1],
        method="cash",
        paid_on=timezone.localdate(),
    )

    assert MeetingEvent.objects.filter(meeting=meeting, type="executed").count() == 1
