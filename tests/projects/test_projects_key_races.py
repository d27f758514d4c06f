"""Issue 14: a payment request or a signature sent twice at the same moment
with one form key (a double tap, a resent form) acts once, on PostgreSQL.

The project forms act through `form_run_once` with the values their views
give it (projects/views/money.py): the key is stored in the transaction of
what the service writes, so the second sending waits on the key's unique
row, then is answered "already done" (`repeated`), or refused with
`idempotency_key_reused` when it asked something else.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from fundapp.idempotency import form_key_issue
from fundapp.models import LedgerTransaction, Role
from projects import services
from projects.models import Disbursement, DisbursementApproval, SubmittedForm
from projects.services import SchedulePart
from projects.services.forms import form_run_once
from tests.factories import make_approved_proposal, make_member, make_project
from tests.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


class _Sent:
    """What a form's sending answered, as `race` reports it."""

    def __init__(self, outcome):
        self.pk = "repeated" if outcome.repeated else "done"


def _project(installments=ROUNDS):
    """A started project paid in `installments` equal parts, all due now."""
    proposal = make_approved_proposal()
    community = proposal.community
    worker = make_member(community, Role.SOCIAL_WORKER)
    share = Decimal(100) / installments
    project = make_project(
        proposal, worker=worker, schedule=[SchedulePart(share, "start")] * installments
    )
    signers = [make_member(community, Role.FUND_COMMITTEE) for _ in range(2)]
    return project, worker, signers


def _request(project, worker, installment, key):
    """The installment's button (`projects:installment_request`)."""
    return lambda: _Sent(
        form_run_once(
            key=key,
            user=worker,
            operation="projects.request",
            values={"idempotency_key": key, "installment": installment},
            project=project,
            act=lambda: services.installment_request(
                installment=installment, actor=worker
            ),
        )
    )


def _sign(project, signer, disbursement, key, **payment):
    """The signature form (`projects:disbursement_sign`); `payment` on the
    second signature."""
    return lambda: _Sent(
        form_run_once(
            key=key,
            user=signer,
            operation="projects.sign",
            values={"idempotency_key": key, **payment, "disbursement": disbursement},
            project=project,
            act=lambda: services.disbursement_approve(
                disbursement=disbursement, actor=signer, **payment
            ),
        )
    )


def _payment(reference):
    return {
        "method": "bank_transfer",
        "bank_reference": reference,
        "paid_on": timezone.localdate(),
    }


def test_a_payment_request_sent_twice_at_once_requests_once():
    project, worker, _signers = _project(installments=1)
    installment = project.installments.get()

    for _turn in range(ROUNDS):
        key = form_key_issue(user=worker, form=f"request:{project.pk}")

        answers = race(*[_request(project, worker, installment, key)] * 2)

        assert sorted(answers) == ["done", "repeated"]
        requested = installment.disbursements.get(status=Disbursement.Status.REQUESTED)
        assert SubmittedForm.objects.filter(key=key).count() == 1
        services.disbursement_withdraw(
            disbursement=requested, actor=worker, reason="再核对"
        )
    assert installment.disbursements.count() == ROUNDS


def test_a_first_signature_sent_twice_at_once_signs_once():
    project, worker, signers = _project(installments=1)
    installment = project.installments.get()

    for _turn in range(ROUNDS):
        disbursement = services.installment_request(
            installment=installment, actor=worker
        )
        key = form_key_issue(user=signers[0], form=f"sign:{disbursement.pk}")

        answers = race(*[_sign(project, signers[0], disbursement, key)] * 2)

        assert sorted(answers) == ["done", "repeated"]
        assert list(disbursement.approvals.values_list("approver", flat=True)) == [
            signers[0].pk
        ]
        services.disbursement_withdraw(
            disbursement=disbursement, actor=worker, reason="再核对"
        )
    assert DisbursementApproval.objects.count() == ROUNDS


def test_a_paying_signature_sent_twice_at_once_pays_once():
    project, worker, signers = _project()

    for installment in project.installments.order_by("position"):
        disbursement = services.installment_request(
            installment=installment, actor=worker
        )
        services.disbursement_approve(disbursement=disbursement, actor=signers[0])
        key = form_key_issue(user=signers[1], form=f"sign:{disbursement.pk}")
        payment = _payment(f"B-{installment.position}")

        answers = race(*[_sign(project, signers[1], disbursement, key, **payment)] * 2)

        assert sorted(answers) == ["done", "repeated"]
        disbursement.refresh_from_db()
        assert disbursement.status == Disbursement.Status.PAID
        assert disbursement.approvals.count() == 2
    assert LedgerTransaction.objects.filter(kind="disburse").count() == ROUNDS


def test_one_key_sent_at_once_with_two_bank_references_pays_once_and_refuses_one():
    project, worker, signers = _project()
    references = ("B-1", "B-2")

    for installment in project.installments.order_by("position"):
        disbursement = services.installment_request(
            installment=installment, actor=worker
        )
        services.disbursement_approve(disbursement=disbursement, actor=signers[0])
        key = form_key_issue(user=signers[1], form=f"sign:{disbursement.pk}")

        answers = race(
            *[
                _sign(project, signers[1], disbursement, key, **_payment(reference))
                for reference in references
            ]
        )

        assert sorted(answers) == ["done", "idempotency_key_reused"]
        disbursement.refresh_from_db()
        assert disbursement.bank_reference == references[answers.index("done")]
        assert disbursement.status == Disbursement.Status.PAID
    assert LedgerTransaction.objects.filter(kind="disburse").count() == ROUNDS
