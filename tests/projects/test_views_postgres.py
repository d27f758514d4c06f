"""What only PostgreSQL can prove of the pages: one form sent ten times at
once (a double tap on a slow line, resent by the browser) acts once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone, translation

from fundapp.idempotency import form_key_issue
from fundapp.models import LedgerTransaction
from projects import services
from projects.models import ProjectReturn, SubmittedForm
from projects.services.forms import form_run_once
from tests.projects.steps import file_report, pay

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_one_return_form_sent_ten_times_at_once_returns_once(crew):
    pay(crew, crew.project.installments.get(position=1))
    file_report(crew, "final")
    services.project_complete(
        project=crew.project, actor=crew.worker, completed_on=timezone.localdate()
    )
    signer = crew.signers[0]
    key = form_key_issue(user=signer, form=f"return:{crew.project.pk}")
    values = {
        "idempotency_key": key,
        "amount": Decimal("10.00"),
        "returned_on": timezone.localdate(),
        "bank_reference": "RET-1",
    }
    entries = LedgerTransaction.objects.count()
    barrier = threading.Barrier(10)
    outcomes, lock = [], threading.Lock()

    def send():
        translation.activate("en")
        try:
            barrier.wait(timeout=30)
            outcome = form_run_once(
                key=key,
                user=signer,
                operation="projects.return",
                values=values,
                project=crew.project,
                act=lambda: services.return_record(
                    project=crew.project,
                    actor=signer,
                    amount=values["amount"],
                    returned_on=values["returned_on"],
                    bank_reference=values["bank_reference"],
                ),
            )
            result = "repeated" if outcome.repeated else "done"
        except Exception as error:  # noqa: BLE001  (any other outcome fails the test)
            result = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(outcomes) == ["done"] + ["repeated"] * 9
    assert ProjectReturn.objects.count() == 1
    assert LedgerTransaction.objects.count() == entries + 1
    assert SubmittedForm.objects.filter(key=key).count() == 1
