"""Paying the grant from the pages: the request, two signatures, the
payment's details, and every refusal said in words with nothing paid."""

import pytest
from django.urls import reverse
from django.utils import timezone

from fundapp.models import LedgerTransaction
from projects import services
from projects.models import Disbursement, SubmittedForm
from tests.factories import issued_key

pytestmark = pytest.mark.django_db


def page_key(client, project, name="request_form"):
    """The key the project page issues with the first installment's button,
    and that installment's row on the page (its pk is the installment's)."""
    response = client.get(project.get_absolute_url())
    for row in response.context["page"].installments:
        form = getattr(row, name, None)
        if form is not None:
            return row, form["idempotency_key"].value()
    raise AssertionError("no installment is offered")


def request_first(client, crew):
    client.force_login(crew.worker)
    installment, key = page_key(client, crew.project)
    return client.post(
        reverse("projects:request", args=[crew.project.pk, installment.pk]),
        {"idempotency_key": key},
        follow=True,
    )


def sign(client, crew, signer, disbursement, **payment):
    client.force_login(signer)
    url = reverse("projects:sign", args=[crew.project.pk, disbursement.pk])
    return client.post(url, {"idempotency_key": issued_key(client, url), **payment})


PAYMENT = {
    "method": "bank_transfer",
    "bank_reference": "ICBC-20260105-01",
    "paid_on": "",
}


def today():
    return timezone.localdate().isoformat()


def test_the_social_worker_requests_and_two_members_sign_and_pay(client, crew):
    response = request_first(client, crew)
    disbursement = Disbursement.objects.get()
    assert "two fund committee members" in response.content.decode()

    first = sign(client, crew, crew.signers[0], disbursement)
    assert first.status_code == 302
    second = sign(
        client, crew, crew.signers[1], disbursement, **{**PAYMENT, "paid_on": today()}
    )

    disbursement.refresh_from_db()
    assert second.status_code == 302
    assert disbursement.status == Disbursement.Status.PAID
    assert disbursement.bank_reference == "ICBC-20260105-01"
    assert crew.proposal.status == "active"


def test_the_second_signature_needs_the_payments_details(client, crew):
    request_first(client, crew)
    disbursement = Disbursement.objects.get()
    sign(client, crew, crew.signers[0], disbursement)

    response = sign(client, crew, crew.signers[1], disbursement, method="", paid_on="")

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["method"] == ["Say how the money was paid."]
    assert errors["paid_on"] == ["Give the day the money was paid."]
    assert Disbursement.objects.get().status == Disbursement.Status.REQUESTED


def test_the_same_person_cannot_sign_twice(client, crew):
    request_first(client, crew)
    disbursement = Disbursement.objects.get()
    sign(client, crew, crew.signers[0], disbursement)

    response = sign(
        client, crew, crew.signers[0], disbursement, **{**PAYMENT, "paid_on": today()}
    )

    assert response.status_code == 200
    assert "You have already signed this payment" in response.content.decode()
    assert disbursement.approvals.count() == 1


def test_the_requester_cannot_sign(client, crew):
    requester = crew.signers[0]
    disbursement = services.installment_request(
        installment=crew.project.installments.get(position=1), actor=crew.worker
    )
    Disbursement.objects.filter(pk=disbursement.pk).update(requested_by=requester)

    response = sign(client, crew, requester, disbursement)

    assert "requested a payment cannot also sign it" in response.content.decode()
    assert disbursement.approvals.count() == 0


def test_a_request_before_its_trigger_is_refused_in_words(client, crew):
    first = crew.project.installments.get(position=1)
    services.installment_request(installment=first, actor=crew.worker)
    disbursement = Disbursement.objects.get()
    services.disbursement_approve(disbursement=disbursement, actor=crew.signers[0])
    services.disbursement_approve(
        disbursement=disbursement,
        actor=crew.signers[1],
        method="cash",
        paid_on=timezone.localdate(),
    )
    client.force_login(crew.worker)
    second, key = page_key(client, crew.project)

    response = client.post(
        reverse("projects:request", args=[crew.project.pk, second.pk]),
        {"idempotency_key": key},
        follow=True,
    )

    assert "waits for an accepted progress report" in response.content.decode()
    assert Disbursement.objects.count() == 1


def test_a_signature_after_a_flag_is_refused_and_pays_nothing(client, crew):
    request_first(client, crew)
    disbursement = Disbursement.objects.get()
    sign(client, crew, crew.signers[0], disbursement)
    services.flag_raise(
        project=crew.project, actor=crew.evaluator, kind="inactive", reasons="无活动"
    )
    entries = LedgerTransaction.objects.count()

    response = sign(
        client, crew, crew.signers[1], disbursement, **{**PAYMENT, "paid_on": today()}
    )

    assert "on hold after a deviation flag" in response.content.decode()
    assert LedgerTransaction.objects.count() == entries
    assert Disbursement.objects.get().status == Disbursement.Status.REQUESTED


def test_the_paying_signature_sent_twice_pays_once(client, crew):
    request_first(client, crew)
    disbursement = Disbursement.objects.get()
    sign(client, crew, crew.signers[0], disbursement)
    client.force_login(crew.signers[1])
    url = reverse("projects:sign", args=[crew.project.pk, disbursement.pk])
    data = {
        "idempotency_key": issued_key(client, url),
        **PAYMENT,
        "paid_on": today(),
    }
    entries = LedgerTransaction.objects.count()

    client.post(url, data)
    again = client.post(url, data, follow=True)

    assert LedgerTransaction.objects.count() == entries + 1
    assert "nothing was done twice" in again.content.decode()
    assert SubmittedForm.objects.filter(key=data["idempotency_key"]).count() == 1


def test_a_form_key_of_another_person_is_refused(client, crew):
    request_first(client, crew)
    disbursement = Disbursement.objects.get()
    client.force_login(crew.signers[0])
    url = reverse("projects:sign", args=[crew.project.pk, disbursement.pk])
    key = issued_key(client, url)
    client.force_login(crew.signers[1])

    response = client.post(url, {"idempotency_key": key})

    assert "was not issued to you" in response.content.decode()
    assert disbursement.approvals.count() == 0


def test_only_the_fund_committee_opens_the_signing_page(client, crew):
    request_first(client, crew)
    disbursement = Disbursement.objects.get()
    client.force_login(crew.residents[0])

    response = client.get(
        reverse("projects:sign", args=[crew.project.pk, disbursement.pk])
    )

    assert response.status_code == 403


def test_a_resident_cannot_request_an_installment(client, crew):
    client.force_login(crew.residents[0])
    installment = crew.project.installments.get(position=1)

    response = client.post(
        reverse("projects:request", args=[crew.project.pk, installment.pk]),
        {"idempotency_key": "x"},
    )

    assert response.status_code == 403
    assert not Disbursement.objects.exists()


def test_a_request_is_withdrawn_with_a_reason(client, crew):
    request_first(client, crew)
    disbursement = Disbursement.objects.get()
    client.force_login(crew.signers[0])
    url = reverse("projects:withdraw", args=[crew.project.pk, disbursement.pk])

    client.post(url, {"idempotency_key": issued_key(client, url), "reason": "金额有误"})

    disbursement.refresh_from_db()
    assert disbursement.status == Disbursement.Status.WITHDRAWN


def test_a_request_key_sent_again_for_another_installment_is_refused(client, crew):
    """One key, one request (issue 14): the installment asked for is part of
    what the key was used for, so a resent key does not say another
    installment's request is done."""
    client.force_login(crew.worker)
    first, key = page_key(client, crew.project)
    client.post(
        reverse("projects:request", args=[crew.project.pk, first.pk]),
        {"idempotency_key": key},
        follow=True,
    )
    second = crew.project.installments.get(position=2)

    response = client.post(
        reverse("projects:request", args=[crew.project.pk, second.pk]),
        {"idempotency_key": key},
        follow=True,
    )

    page = response.content.decode()
    assert "already used for another request" in page
    assert "nothing was done twice" not in page
    assert list(Disbursement.objects.values_list("installment", flat=True)) == [
        first.pk
    ]
