"""The projects' scale data: a third of the proposals funded, the ledger balanced."""

import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from fundapp import bench
from fundapp.models import Account, Fund, LedgerEntry, LedgerTransaction
from fundapp.selectors import fund_balances
from projects.models import Disbursement, Installment, Project, Rating
from proposals.models import Proposal
from proposals.permissions import team_ids
from tests.bench import fund_scale, proposal_scale, targets
from tests.bench import project_scale as scale

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_data():
    call_command(
        fund_scale.Command(),
        *["--communities", "3", "--years", "6", "--entries", "1500", "--seed", "7"],
        stdout=io.StringIO(),
    )
    call_command(proposal_scale.Command(), "--proposals", "240", stdout=io.StringIO())
    call_command(scale.Command(), stdout=io.StringIO())


def fen_sums(queryset, key: str) -> dict:
    # Summed in Python: SQLite sums decimals as floats.
    totals = defaultdict(lambda: Decimal("0.00"))
    for owner, amount in queryset.values_list(key, "amount"):
        totals[owner] += amount
    return totals


def test_about_a_third_of_the_proposals_are_funded_projects(project_data):
    proposals = Proposal.objects.count()
    projects = Project.objects.count()

    assert 0.25 < projects / proposals < 0.42
    assert not Project.objects.exclude(proposal__status__in=scale.FUNDED).exists()
    assert Project.objects.filter(proposal__commitment__isnull=True).count() == 0


def test_the_ledger_stays_balanced_and_never_negative(project_data):
    by_movement = fen_sums(LedgerEntry.objects.all(), "transaction_id")
    by_account = fen_sums(LedgerEntry.objects.all(), "account_id")
    own = Account.objects.exclude(kind=Account.Kind.EXTERNAL_SOURCE)

    assert LedgerTransaction.objects.filter(kind="disburse").count() > 50
    assert all(total == 0 for total in by_movement.values())
    for account in Account.objects.all():
        assert account.balance == by_account.get(account.pk, Decimal("0.00"))
    assert not own.filter(balance__lt=0).exists()


def test_each_projects_payments_are_its_disbursements_in_the_ledger(project_data):
    paid = fen_sums(
        Disbursement.objects.filter(status="paid"), "installment__project_id"
    )
    scheduled = fen_sums(Installment.objects.all(), "project_id")
    disbursed = fen_sums(
        LedgerTransaction.objects.filter(kind="disburse"), "commitment_id"
    )

    for project in Project.objects.select_related("proposal__commitment"):
        commitment = project.proposal.commitment
        assert scheduled[project.pk] == project.proposal.approved_amount
        assert commitment.amount == project.proposal.approved_amount
        assert paid[project.pk] == disbursed[commitment.pk] <= commitment.amount
    assert not Disbursement.objects.filter(
        status="paid", ledger_transaction__isnull=True
    ).exists()


def test_the_fund_page_figures_count_the_disbursements(project_data):
    for fund in Fund.objects.filter(community__code__startswith="S"):
        paid = Disbursement.objects.filter(
            status="paid", installment__project__community=fund.community
        ).aggregate(total=Sum("amount"))["total"]

        assert fund_balances(fund=fund).disbursed == Decimal(paid or 0)


def test_nobody_rates_their_own_project(project_data):
    for project in Project.objects.select_related("proposal"):
        team = team_ids(project.proposal)
        raters = set(
            Rating.objects.filter(project=project).values_list("resident", flat=True)
        )
        assert not raters & set(team)


def test_the_biggest_and_the_smallest_project_cost_the_same_queries(
    project_data, client
):
    big = Project.objects.get(pk=scale.BIG_PROJECT_ID)
    small = Project.objects.get(pk=scale.SMALL_PROJECT_ID)

    def queries(path):
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        return len(captured)

    assert big.shifts.count() > 300
    assert big.expenses.count() == scale.BIG["expenses"]
    assert big.ratings.count() == scale.BIG["ratings"]
    assert (small.installments.count(), small.expenses.count()) == (1, 1)
    assert not small.shifts.exists() and not small.ratings.exists()
    for page in ("/projects/{}/", "/projects/{}/money/"):
        assert queries(page.format(big.pk)) == queries(page.format(small.pk))


def test_a_second_run_adds_nothing(project_data):
    before = (Project.objects.count(), LedgerTransaction.objects.count())

    call_command(scale.Command(), stdout=io.StringIO())

    assert (Project.objects.count(), LedgerTransaction.objects.count()) == before


def test_the_bench_measures_the_project_pages_after_the_proposals():
    targets.discover()

    names = {target.name for target in bench.TARGETS}
    steps = [step.app for step in targets.scale_steps()]

    assert {"project page", "project page, smallest", "project money page"} <= names
    assert steps.index("proposals") < steps.index("projects")
