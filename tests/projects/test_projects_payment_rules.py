"""The fund's rules for paying a grant, each at its boundary: what an
installment waits for, two signatures that record the payment to the fen,
a request withdrawn, money returned, a project closed."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fundapp import clock
from fundapp.models import LedgerTransaction
from fundapp.selectors import fund_balances
from fundapp.services import commitment_outstanding
from projects import services
from projects.models import Disbursement
from projects.services import SchedulePart
from tests.factories import make_approved_proposal, make_member, make_project
from tests.projects.steps import codes_of, file_report, pay

pytestmark = pytest.mark.django_db


def project_with(schedule, *, starts_on=None):
    """A project of ¥1,185.00 (make_approved_proposal) on `schedule`."""
    from fundapp.models import Role

    today = timezone.localdate()
    starts_on = starts_on or today - timedelta(days=30)
    proposal = make_approved_proposal()
    worker = make_member(proposal.community, Role.SOCIAL_WORKER)
    project = make_project(
        proposal,
        worker=worker,
        schedule=schedule,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=300),
        milestones=[("成立", starts_on + timedelta(days=40))],
    )
    signers = tuple(
        make_member(proposal.community, Role.FUND_COMMITTEE) for _ in range(2)
    )
    return project, worker, signers


def requested(crew, position=1):
    return services.installment_request(
        installment=crew.project.installments.get(position=position),
        actor=crew.worker,
    )


def signed_once(crew, position=1):
    disbursement = requested(crew, position)
    services.disbursement_approve(disbursement=disbursement, actor=crew.signers[0])
    return disbursement


def second_signature(crew, disbursement, **payment):
    fields = {
        "method": "bank_transfer",
        "bank_reference": "BANK-001",
        "paid_on": timezone.localdate(),
    }
    fields.update(payment)
    return services.disbursement_approve(
        disbursement=disbursement, actor=crew.signers[1], **fields
    )


# What an installment waits for


def test_the_installment_on_start_is_requested_on_the_start_day_itself():
    today = timezone.localdate()
    project, worker, _signers = project_with(
        [SchedulePart(Decimal("100"), "start")], starts_on=today
    )

    disbursement = services.installment_request(
        installment=project.installments.get(position=1), actor=worker
    )

    assert disbursement.amount == Decimal("1185.00")


def test_the_installment_on_start_waits_for_the_start_day():
    tomorrow = timezone.localdate() + timedelta(days=1)
    project, worker, _signers = project_with(
        [SchedulePart(Decimal("100"), "start")], starts_on=tomorrow
    )

    with pytest.raises(ValidationError, match="start date") as error:
        services.installment_request(
            installment=project.installments.get(position=1), actor=worker
        )

    assert codes_of(error.value) == {"trigger_not_met"}
    assert error.value.messages == [
        "This installment waits for the project's start date."
    ]


def test_an_installment_on_a_date_is_requested_on_that_day_and_not_before():
    today = timezone.localdate()
    project, worker, signers = project_with(
        [
            SchedulePart(Decimal("50"), "date", today),
            SchedulePart(Decimal("50"), "date", today + timedelta(days=1)),
        ]
    )
    first = services.installment_request(
        installment=project.installments.get(position=1), actor=worker
    )
    services.disbursement_approve(disbursement=first, actor=signers[0])
    services.disbursement_approve(
        disbursement=first,
        actor=signers[1],
        method="cash",
        paid_on=today,
    )

    with pytest.raises(ValidationError, match="waits for its date") as error:
        services.installment_request(
            installment=project.installments.get(position=2), actor=worker
        )

    assert codes_of(error.value) == {"trigger_not_met"}


def test_the_second_installment_on_progress_waits_for_a_second_accepted_report():
    project, worker, signers = project_with(
        [
            SchedulePart(Decimal("40"), "start"),
            SchedulePart(Decimal("30"), "progress"),
            SchedulePart(Decimal("30"), "progress"),
        ]
    )
    crew = SimpleNamespace(
        project=project, worker=worker, signers=signers, team=project.proposal.proposer
    )
    pay(crew, project.installments.get(position=1))
    file_report(crew)
    pay(crew, project.installments.get(position=2))

    with pytest.raises(ValidationError, match="accepted progress report") as error:
        requested(crew, 3)
    file_report(crew)
    third = pay(crew, project.installments.get(position=3))

    assert codes_of(error.value) == {"trigger_not_met"}
    assert third.amount == Decimal("355.50")


def test_the_final_installment_waits_for_the_final_report_not_a_progress_one(crew):
    pay(crew, crew.project.installments.get(position=1))
    file_report(crew)
    pay(crew, crew.project.installments.get(position=2))
    file_report(crew)

    with pytest.raises(ValidationError, match="accepted final report") as error:
        requested(crew, 3)
    file_report(crew, "final")
    last = pay(crew, crew.project.installments.get(position=3))

    assert codes_of(error.value) == {"trigger_not_met"}
    assert last.amount == Decimal("237.00")


def test_a_cancelled_installment_is_not_requested(crew):
    crew.project.installments.filter(position=1).update(cancelled_at=clock.now())

    with pytest.raises(ValidationError, match="was cancelled") as error:
        requested(crew)

    assert codes_of(error.value) == {"cancelled"}
    assert error.value.messages == ["This installment was cancelled."]
    assert not Disbursement.objects.exists()


def test_a_request_is_for_the_installments_amount_by_the_social_worker(crew):
    disbursement = requested(crew)

    disbursement.refresh_from_db()
    assert disbursement.status == Disbursement.Status.REQUESTED
    assert disbursement.amount == Decimal("592.50")
    assert disbursement.requested_by == crew.worker
    assert disbursement.requested_at is not None


def test_a_request_already_signed_once_is_not_requested_again(crew):
    signed_once(crew)

    with pytest.raises(ValidationError, match="already requested or paid") as error:
        requested(crew)

    assert codes_of(error.value) == {"already"}
    assert error.value.messages == ["This installment is already requested or paid."]


# Two signatures, the payment to the fen


def test_the_second_signature_records_how_when_and_the_ledger_pays_to_the_fen(crew):
    disbursement = signed_once(crew)
    yesterday = timezone.localdate() - timedelta(days=1)

    paid = second_signature(
        crew, disbursement, bank_reference="  ICBC-20261203-01 ", paid_on=yesterday
    )

    paid.refresh_from_db()
    assert paid.status == Disbursement.Status.PAID
    assert paid.method == "bank_transfer"
    assert paid.bank_reference == "ICBC-20261203-01"
    assert paid.paid_on == yesterday
    assert paid.paid_at is not None
    assert paid.approvals.count() == 2
    movement = paid.ledger_transaction
    assert movement.kind == LedgerTransaction.Kind.DISBURSE
    assert movement.effective_on == yesterday
    assert movement.created_by == crew.signers[1]
    assert movement.memo == f"Installment 1 of {crew.proposal.title}"
    assert sum(e.amount for e in movement.entries.all() if e.amount > 0) == Decimal(
        "592.50"
    )
    assert commitment_outstanding(crew.proposal.commitment) == Decimal("592.50")


def test_the_first_signature_pays_nothing(crew):
    disbursement = signed_once(crew)

    disbursement.refresh_from_db()
    assert disbursement.status == Disbursement.Status.REQUESTED
    assert disbursement.ledger_transaction is None
    assert fund_balances(fund=crew.project.community.fund).disbursed == 0
    assert crew.proposal.status == "approved"


def test_a_second_payment_does_not_start_the_project_again(crew):
    pay(crew, crew.project.installments.get(position=1))
    file_report(crew)

    second = pay(crew, crew.project.installments.get(position=2))

    assert second.status == Disbursement.Status.PAID
    assert crew.proposal.status == "active"
    assert fund_balances(fund=crew.project.community.fund).disbursed == Decimal(
        "948.00"
    )


def test_cash_needs_no_bank_reference(crew):
    paid = second_signature(crew, signed_once(crew), method="cash", bank_reference="")

    assert paid.status == Disbursement.Status.PAID
    assert paid.method == "cash"
    assert paid.bank_reference == ""


def test_a_payment_says_how_it_was_paid(crew):
    disbursement = signed_once(crew)

    with pytest.raises(ValidationError, match="how the money was paid") as error:
        second_signature(crew, disbursement, method="wechat")

    assert error.value.message_dict == {"method": ["Say how the money was paid."]}
    assert disbursement.approvals.count() == 1


@pytest.mark.parametrize("reference", ["", "   "])
def test_a_bank_transfer_gives_its_reference_not_blank_space(crew, reference):
    disbursement = signed_once(crew)

    with pytest.raises(ValidationError, match="bank's reference") as error:
        second_signature(crew, disbursement, bank_reference=reference)

    assert error.value.message_dict == {
        "bank_reference": ["Give the bank's reference of the payment."]
    }


def test_a_bank_reference_has_at_most_sixty_characters(crew):
    disbursement = signed_once(crew)

    with pytest.raises(ValidationError, match="at most 60 characters") as error:
        second_signature(crew, disbursement, bank_reference="R" * 61)
    paid = second_signature(crew, disbursement, bank_reference=" " + "R" * 60 + " ")

    assert error.value.message_dict == {
        "bank_reference": ["A bank reference has at most 60 characters."]
    }
    assert paid.bank_reference == "R" * 60


def test_a_payment_gives_the_day_it_was_paid(crew):
    disbursement = signed_once(crew)

    with pytest.raises(ValidationError, match="day the money was paid") as error:
        second_signature(crew, disbursement, paid_on=None)

    assert error.value.message_dict == {"paid_on": ["Give the day the money was paid."]}


def test_every_missing_detail_of_a_payment_is_named_at_once(crew):
    disbursement = signed_once(crew)

    with pytest.raises(ValidationError, match="how the money was paid") as error:
        second_signature(crew, disbursement, method="", bank_reference="", paid_on=None)

    assert error.value.message_dict == {
        "method": ["Say how the money was paid."],
        "bank_reference": ["Give the bank's reference of the payment."],
        "paid_on": ["Give the day the money was paid."],
    }


def test_a_payment_is_not_dated_tomorrow(crew):
    disbursement = signed_once(crew)

    with pytest.raises(ValidationError, match="in the future") as error:
        second_signature(
            crew, disbursement, paid_on=timezone.localdate() + timedelta(days=1)
        )

    assert codes_of(error.value) == {"future_date"}
    assert error.value.message_dict == {"paid_on": ["This date is in the future."]}
    assert disbursement.approvals.count() == 1


def test_a_payment_made_the_day_before_the_request_is_accepted(crew):
    disbursement = signed_once(crew)
    requested_on = timezone.localdate(disbursement.requested_at)

    paid = second_signature(
        crew, disbursement, paid_on=requested_on - timedelta(days=1)
    )

    assert paid.paid_on == requested_on - timedelta(days=1)


def test_a_request_made_days_ago_counts_from_its_own_day_not_today():
    project, worker, signers = project_with([SchedulePart(Decimal("100"), "start")])
    ten_days_ago = timezone.localtime() - timedelta(days=10)
    with clock.clock_set(ten_days_ago):
        disbursement = services.installment_request(
            installment=project.installments.get(position=1), actor=worker
        )
        services.disbursement_approve(disbursement=disbursement, actor=signers[0])

    paid = services.disbursement_approve(
        disbursement=disbursement,
        actor=signers[1],
        method="cash",
        paid_on=ten_days_ago.date() - timedelta(days=1),
    )

    assert timezone.localdate(paid.requested_at) == ten_days_ago.date()
    assert paid.paid_on == ten_days_ago.date() - timedelta(days=1)


def test_a_payment_two_days_before_the_request_is_refused(crew):
    disbursement = signed_once(crew)
    requested_on = timezone.localdate(disbursement.requested_at)

    with pytest.raises(ValidationError, match="before it was requested") as error:
        second_signature(crew, disbursement, paid_on=requested_on - timedelta(days=2))

    assert codes_of(error.value) == {"paid_before_request"}
    assert error.value.message_dict == {
        "paid_on": ["The money cannot have been paid before it was requested."]
    }


def test_a_withdrawn_request_is_not_signed(crew):
    disbursement = requested(crew)
    services.disbursement_withdraw(
        disbursement=disbursement, actor=crew.worker, reason="金额待核"
    )

    with pytest.raises(ValidationError, match="nothing to sign") as error:
        services.disbursement_approve(disbursement=disbursement, actor=crew.signers[0])

    assert codes_of(error.value) == {"not_requested"}


# Withdrawing a request


def test_the_social_worker_withdraws_a_request_giving_the_reason(crew):
    disbursement = requested(crew)

    withdrawn = services.disbursement_withdraw(
        disbursement=disbursement, actor=crew.worker, reason="  金额待核 " + "x" * 400
    )

    withdrawn.refresh_from_db()
    assert withdrawn.status == Disbursement.Status.WITHDRAWN
    assert withdrawn.withdrawn_reason == ("金额待核 " + "x" * 400)[:300]


def test_only_the_social_worker_or_the_fund_committee_withdraws(crew):
    disbursement = requested(crew)

    with pytest.raises(PermissionDenied, match="right to do this") as error:
        services.disbursement_withdraw(
            disbursement=disbursement, actor=crew.evaluator, reason="r"
        )

    assert str(error.value) == "You do not have the right to do this here."
    disbursement.refresh_from_db()
    assert disbursement.status == Disbursement.Status.REQUESTED


def test_a_request_is_withdrawn_with_a_reason(crew):
    disbursement = requested(crew)

    with pytest.raises(ValidationError, match="why the request is withdrawn") as error:
        services.disbursement_withdraw(
            disbursement=disbursement, actor=crew.signers[0], reason="   "
        )

    assert set(error.value.error_dict) == {"reason"}


def test_a_paid_request_is_not_withdrawn(crew):
    paid = pay(crew, crew.project.installments.get(position=1))

    with pytest.raises(ValidationError, match="not yet paid") as error:
        services.disbursement_withdraw(
            disbursement=paid, actor=crew.signers[0], reason="r"
        )

    assert codes_of(error.value) == {"not_requested"}
