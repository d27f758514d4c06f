"""Expenses with receipts, their review, returns and closing, from the pages."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fundapp.models import LedgerTransaction
from projects import services
from projects.models import Expense, ProjectReturn
from tests.factories import issued_key
from tests.projects.steps import file_report, pay, receipt, spend

pytestmark = pytest.mark.django_db


def expense_data(client, crew, **changes):
    url = reverse("projects:expense", args=[crew.project.pk])
    line = crew.project.proposal.budget_lines.first()
    data = {
        "idempotency_key": issued_key(client, url),
        "budget_line": line.pk,
        "amount": "80.00",
        "spent_on": "2026-03-02",
        "description": "巡逻手电筒",
        "receipt": receipt(),
        "over_budget_reason": "",
    }
    data.update(changes)
    return url, data


def test_the_team_records_an_expense_with_its_receipt(client, crew):
    client.force_login(crew.team)
    url, data = expense_data(client, crew)

    response = client.post(url, data)

    expense = Expense.objects.get()
    assert response.status_code == 302
    assert expense.amount == Decimal("80.00")
    assert expense.receipt_type == "image/png"


def test_an_expense_without_a_receipt_is_refused(client, crew):
    client.force_login(crew.team)
    url, data = expense_data(client, crew)
    del data["receipt"]

    response = client.post(url, data)

    assert response.context["form"].errors["receipt"] == ["Attach the receipt."]
    assert not Expense.objects.exists()


def test_a_receipt_that_is_not_an_image_or_pdf_is_refused_whatever_its_name(
    client, crew
):
    client.force_login(crew.team)
    fake = SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    url, data = expense_data(client, crew, receipt=fake)

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors["receipt"]
    assert not Expense.objects.exists()


def test_a_receipt_over_10_mb_is_refused(client, crew):
    client.force_login(crew.team)
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (10 * 1024 * 1024))
    url, data = expense_data(client, crew, receipt=big)

    response = client.post(url, data)

    assert "the limit is 10 MB" in response.context["form"].errors["receipt"][0]
    assert not Expense.objects.exists()


def test_an_expense_over_its_budget_line_needs_a_reason_and_shows_as_such(client, crew):
    client.force_login(crew.team)
    line = crew.project.proposal.budget_lines.first()
    over = str(line.total + 1)
    url, data = expense_data(client, crew, amount=over)

    refused = client.post(url, data)
    assert (
        "say why it goes over"
        in refused.context["form"].errors["over_budget_reason"][0]
    )
    assert not Expense.objects.exists()

    url, data = expense_data(client, crew, amount=over, over_budget_reason="涨价")
    client.post(url, data)
    page = client.get(reverse("projects:money", args=[crew.project.pk]))

    assert Expense.objects.get().over_budget_reason == "涨价"
    assert "over budget" in page.content.decode()


def test_a_resident_cannot_record_an_expense(client, crew):
    client.force_login(crew.residents[0])

    response = client.get(reverse("projects:expense", args=[crew.project.pk]))

    assert response.status_code == 403


def review(client, crew, expense, **data):
    client.force_login(crew.worker)
    page = client.get(reverse("projects:money", args=[crew.project.pk]))
    expenses = page.context["page"].expenses
    form = next(e for e in expenses if e.pk == expense.pk).review_form
    return client.post(
        reverse("projects:expense_review", args=[crew.project.pk, expense.pk]),
        {"idempotency_key": form["idempotency_key"].value(), **data},
        follow=True,
    )


def test_the_social_worker_accepts_or_queries_an_expense(client, crew):
    accepted = spend(crew, "50.00", accept=False)
    queried = spend(crew, "60.00", accept=False)

    review(client, crew, accepted, accept="1")
    refused = review(client, crew, queried, query_it="1", query="")
    review(client, crew, queried, query_it="1", query="票据看不清")

    accepted.refresh_from_db()
    queried.refresh_from_db()
    assert accepted.status == Expense.Status.ACCEPTED
    assert "Say what needs to be explained." in refused.content.decode()
    assert queried.status == Expense.Status.QUERIED
    assert queried.query == "票据看不清"


def test_a_review_key_sent_again_for_another_expense_or_answer_is_refused(client, crew):
    """One key, one review (issue 14): a key that accepted one expense, sent
    again for another expense or to query the same one, is refused, never
    answered 'already done' while that expense waits."""
    first = spend(crew, "50.00", accept=False)
    second = spend(crew, "60.00", accept=False)
    client.force_login(crew.worker)
    page = client.get(reverse("projects:money", args=[crew.project.pk]))
    form = next(e for e in page.context["page"].expenses if e.pk == first.pk)
    key = form.review_form["idempotency_key"].value()
    client.post(
        reverse("projects:expense_review", args=[crew.project.pk, first.pk]),
        {"idempotency_key": key, "accept": "1"},
    )

    other_expense = client.post(
        reverse("projects:expense_review", args=[crew.project.pk, second.pk]),
        {"idempotency_key": key, "accept": "1"},
        follow=True,
    ).content.decode()
    other_answer = client.post(
        reverse("projects:expense_review", args=[crew.project.pk, first.pk]),
        {"idempotency_key": key, "query_it": "1", "query": "票据看不清"},
        follow=True,
    ).content.decode()

    first.refresh_from_db()
    second.refresh_from_db()
    for page in (other_expense, other_answer):
        assert "already used for another request" in page
        assert "nothing was done twice" not in page
    assert first.status == Expense.Status.ACCEPTED
    assert second.status == Expense.Status.SUBMITTED


def test_the_team_answers_a_queried_expense(client, crew):
    expense = spend(crew, "60.00", accept=False)
    review(client, crew, expense, query_it="1", query="票据看不清")
    client.force_login(crew.team)
    url = reverse("projects:expense_answer", args=[crew.project.pk, expense.pk])

    client.post(url, {"idempotency_key": issued_key(client, url), "answer": "已重拍"})

    expense.refresh_from_db()
    assert expense.status == Expense.Status.SUBMITTED


def completed(crew):
    pay(crew, crew.project.installments.get(position=1))
    file_report(crew, "progress")
    pay(crew, crew.project.installments.get(position=2))
    file_report(crew, "final")
    services.project_complete(
        project=crew.project, actor=crew.worker, completed_on=timezone.localdate()
    )


def test_a_return_larger_than_what_is_unspent_is_refused_and_posts_nothing(
    client, crew
):
    completed(crew)
    spend(crew, "100.00")
    client.force_login(crew.signers[0])
    url = reverse("projects:return", args=[crew.project.pk])
    entries = LedgerTransaction.objects.count()

    response = client.post(
        url,
        {
            "idempotency_key": issued_key(client, url),
            "amount": "99999.00",
            "returned_on": timezone.localdate().isoformat(),
            "bank_reference": "RET-1",
        },
    )

    assert "cannot be returned" in response.context["form"].errors["amount"][0]
    assert LedgerTransaction.objects.count() == entries


def test_a_return_sent_twice_returns_once(client, crew):
    completed(crew)
    client.force_login(crew.signers[0])
    url = reverse("projects:return", args=[crew.project.pk])
    data = {
        "idempotency_key": issued_key(client, url),
        "amount": "10.00",
        "returned_on": timezone.localdate().isoformat(),
        "bank_reference": "RET-1",
    }

    client.post(url, data)
    client.post(url, data)

    assert ProjectReturn.objects.count() == 1
    page = client.get(reverse("projects:money", args=[crew.project.pk]))
    assert "RET-1" in page.content.decode()


def test_closing_before_evaluation_is_refused_in_words(client, crew):
    completed(crew)
    client.force_login(crew.signers[0])
    url = reverse("projects:close", args=[crew.project.pk])

    response = client.post(url, {"idempotency_key": issued_key(client, url)})

    assert "closed once it is evaluated" in response.content.decode()


def test_the_money_page_lists_waiting_expenses_first_and_links_to_every_one(
    client, crew
):
    accepted = spend(crew, "1.00")
    Expense.objects.bulk_create(
        Expense(
            project=crew.project,
            budget_line=accepted.budget_line,
            amount=Decimal("1.00"),
            spent_on=accepted.spent_on,
            description=f"物品{number}",
            receipt=accepted.receipt.name,
            receipt_name="r.png",
            receipt_type="image/png",
            receipt_size=10,
            status=Expense.Status.ACCEPTED,
            recorded_by=crew.team,
            recorded_at=accepted.recorded_at,
        )
        for number in range(44)
    )
    waiting = spend(crew, "2.00", accept=False)
    Expense.objects.filter(pk=waiting.pk).update(spent_on="2026-01-02")
    url = reverse("projects:money", args=[crew.project.pk])

    first = client.get(url)
    every = client.get(url, {"expenses": "all"})

    assert first.context["page"].expenses[0].pk == waiting.pk
    assert len(first.context["page"].expenses) == 40
    assert "?expenses=all" in first.content.decode()
    assert len(every.context["page"].expenses) == 46


def test_the_money_page_writes_each_expense_escaped_with_its_readers_links(
    client, crew
):
    """The expenses are written in Python (projects/templatetags/project_pages.py):
    the review's form with its key for the social worker, the receipt and the
    answer's link for the team, every value escaped."""
    waiting = spend(crew, "30.00", accept=False)
    queried = spend(crew, "20.00", accept=False)
    services.expense_review(
        expense=queried, actor=crew.worker, accept=False, query="<b>发票</b>抬头不对"
    )
    url = reverse("projects:money", args=[crew.project.pk])
    client.force_login(crew.worker)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    team = client_of(crew.team).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    worker = response.content.decode()
    form = next(e for e in response.context["page"].expenses if e.pk == waiting.pk)
    key = form.review_form["idempotency_key"].value()
    review = reverse("projects:expense_review", args=[crew.project.pk, waiting.pk])
    assert f'<form method="post" action="{review}" class="stack" data-once>' in worker
    assert 'name="csrfmiddlewaretoken"' in worker
    assert f'name="idempotency_key" value="{key}"' in worker
    assert "Question: &lt;b&gt;发票&lt;/b&gt;抬头不对" in worker
    assert "<b>发票" not in worker
    answer = reverse("projects:expense_answer", args=[crew.project.pk, queried.pk])
    assert answer in team
    assert answer not in worker
    assert reverse("projects:receipt", args=[crew.project.pk, waiting.pk]) in team
    assert review not in team


def client_of(user):
    client = Client()
    client.force_login(user)
    return client
