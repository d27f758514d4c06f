"""What only PostgreSQL can prove: the last signature raced on 20 threads pays once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from fundapp.models import LedgerTransaction, Role
from projects import services
from projects.models import Disbursement
from tests.factories import make_member

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_twenty_last_signatures_at_once_make_exactly_one_payment(crew):
    disbursement = services.installment_request(
        installment=crew.project.installments.get(position=1), actor=crew.worker
    )
    services.disbursement_approve(disbursement=disbursement, actor=crew.signers[0])
    # Twenty fund committee members, each trying to put the second signature.
    signers = [
        make_member(crew.project.community, Role.FUND_COMMITTEE) for _ in range(19)
    ] + [crew.signers[1]]
    barrier = threading.Barrier(len(signers))
    outcomes, lock = [], threading.Lock()

    def sign(signer):
        translation.activate("en")
        try:
            barrier.wait(timeout=30)
            services.disbursement_approve(
                disbursement=disbursement,
                actor=signer,
                method="bank_transfer",
                bank_reference=f"B-{signer.pk}",
                paid_on=timezone.localdate(),
            )
            result = "paid"
        except ValidationError as error:
            result = error.messages[0]
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=sign, args=(s,)) for s in signers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    disbursement.refresh_from_db()
    assert outcomes.count("paid") == 1
    assert all("nothing to sign" in o for o in outcomes if o != "paid")
    assert disbursement.status == Disbursement.Status.PAID
    assert disbursement.approvals.count() == 2
    assert LedgerTransaction.objects.filter(kind="disburse").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_request_withdrawn_as_its_last_signature_is_put_is_paid_or_withdrawn(crew):
    """Never both: whichever comes second is told what the first did."""
    disbursement = services.installment_request(
        installment=crew.project.installments.get(position=1), actor=crew.worker
    )
    services.disbursement_approve(disbursement=disbursement, actor=crew.signers[0])
    barrier = threading.Barrier(2)
    outcomes, lock = {}, threading.Lock()

    def attempt(name, act):
        translation.activate("en")
        try:
            barrier.wait(timeout=30)
            act()
            result = "done"
        except ValidationError as error:
            result = error.messages[0]
        except Exception as error:  # noqa: BLE001 - any other error fails the test
            result = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes[name] = result

    attempts = {
        "sign": lambda: services.disbursement_approve(
            disbursement=disbursement,
            actor=crew.signers[1],
            method="cash",
            paid_on=timezone.localdate(),
        ),
        "withdraw": lambda: services.disbursement_withdraw(
            disbursement=disbursement, actor=crew.worker, reason="金额待核"
        ),
    }
    threads = [threading.Thread(target=attempt, args=item) for item in attempts.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    disbursement.refresh_from_db()
    payments = LedgerTransaction.objects.filter(kind="disburse").count()
    if disbursement.status == Disbursement.Status.PAID:
        assert outcomes == {
            "sign": "done",
            "withdraw": "Only a request not yet paid can be withdrawn.",
        }
        assert payments == 1
    else:
        assert outcomes == {
            "sign": "This request is withdrawn; there is nothing to sign.",
            "withdraw": "done",
        }
        assert (disbursement.status, payments) == (Disbursement.Status.WITHDRAWN, 0)
