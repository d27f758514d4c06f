"""Recording unspent money given back (issue 17): every refusal whole, under
its field, with its code; one return after another."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fundapp.models import LedgerTransaction, Role
from fundapp.selectors import fund_balances
from projects import services
from tests.factories import make_approved_proposal, make_member, make_project
from tests.projects.steps import codes_of, file_report, pay, spend

pytestmark = pytest.mark.django_db


def finish(crew):
    file_report(crew, "final")
    services.project_complete(
        project=crew.project, actor=crew.worker, completed_on=date(2026, 5, 1)
    )


def give_back(crew, amount="10.00", **fields):
    return services.return_record(
        project=crew.project,
        actor=crew.signers[0],
        amount=Decimal(amount),
        returned_on=fields.pop("returned_on", date(2026, 6, 1)),
        bank_reference=fields.pop("bank_reference", "RET-1"),
    )


def refusal(crew, **fields) -> ValidationError:
    with pytest.raises(ValidationError, match=".") as refused:
        give_back(crew, **fields)
    return refused.value


@pytest.fixture
def completed(crew):
    """¥592.50 paid, ¥500.00 spent: ¥92.50 unspent; the project completed."""
    pay(crew, crew.project.installments.get(position=1))
    spend(crew, "500.00")
    finish(crew)
    return crew


def test_money_is_returned_once_the_project_is_completed(crew):
    pay(crew, crew.project.installments.get(position=1))

    refused = refusal(crew)

    assert (refused.code, refused.messages) == (
        "project_status",
        ["Unspent money is returned once the project is completed; it is active."],
    )


def test_a_return_gives_the_banks_reference(completed):
    refused = refusal(completed, bank_reference="   ")

    assert refused.message_dict == {
        "bank_reference": ["Give the bank's reference of the return."]
    }


def test_a_return_is_not_dated_tomorrow(completed):
    refused = refusal(completed, returned_on=timezone.localdate() + timedelta(days=1))

    assert codes_of(refused) == {"future_date"}
    assert refused.message_dict == {"returned_on": ["This date is in the future."]}


def test_a_return_is_dated_within_five_years(completed):
    refused = refusal(completed, returned_on=date(2000, 1, 1))

    assert codes_of(refused) == {"implausible_date"}
    assert refused.message_dict == {
        "returned_on": ["The day must be within five years of today."]
    }


def test_a_return_beyond_what_is_unspent_names_both_amounts(completed):
    refused = refusal(completed, amount="92.51")

    assert codes_of(refused) == {"beyond_unspent"}
    assert refused.message_dict == {
        "amount": [
            "Only ¥92.50 of what was paid is unspent (expenses accepted or waiting "
            "for review count as spent); ¥92.51 cannot be returned."
        ]
    }


def test_unspent_money_is_returned_in_several_returns(completed):
    fund = completed.project.community.fund

    first = give_back(completed, "50.00")
    second = give_back(completed, "42.50", bank_reference="RET-2")

    assert first.ledger_transaction != second.ledger_transaction
    assert fund_balances(fund=fund).returned == Decimal("92.50")
    assert [r.bank_reference for r in completed.project.returns.order_by("id")] == [
        "RET-1",
        "RET-2",
    ]


def test_a_return_is_posted_to_the_ledger_naming_the_project_and_the_reference(
    completed,
):
    returned = give_back(completed, "92.50", bank_reference="  ICBC-RET-01 ")

    movement = returned.ledger_transaction
    assert returned.bank_reference == "ICBC-RET-01"
    assert (movement.kind, movement.amount) == (
        LedgerTransaction.Kind.RETURN,
        Decimal("92.50"),
    )
    assert movement.memo == (
        f"Unspent money of {completed.proposal.title} returned, ICBC-RET-01"
    )
    assert movement.effective_on == date(2026, 6, 1)
    assert movement.created_by == completed.signers[0]


def test_a_return_keeps_sixty_characters_of_its_reference_and_the_ledger_all(
    completed,
):
    reference = "R" * 60 + "9"

    returned = give_back(completed, bank_reference=reference)

    returned.refresh_from_db()
    assert returned.bank_reference == "R" * 60
    assert returned.ledger_transaction.memo.endswith(f"returned, {reference}")


def test_the_first_return_of_each_project_is_recorded(completed):
    proposal = make_approved_proposal()
    worker = make_member(proposal.community, Role.SOCIAL_WORKER)
    other = SimpleNamespace(
        project=make_project(proposal, worker=worker),
        worker=worker,
        signers=tuple(
            make_member(proposal.community, Role.FUND_COMMITTEE) for _ in range(2)
        ),
        team=proposal.proposer,
    )
    pay(other, other.project.installments.get(position=1))
    spend(other, "500.00")
    finish(other)

    give_back(completed, "92.50")
    give_back(other, "92.50")

    for each in (completed, other):
        fund = each.project.community.fund
        assert fund_balances(fund=fund).returned == Decimal("92.50")
        assert each.project.returns.get().amount == Decimal("92.50")
