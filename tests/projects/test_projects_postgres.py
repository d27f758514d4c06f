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
