"""The annual report's figures: from the ledger, reconciled to the fen."""

import random
from collections import defaultdict
from datetime import date
from decimal import ROUND_DOWN, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fundapp import services
from fundapp.models import Category, LedgerTransaction, Source
from fundapp.selectors import fund_balances
from reports.capitals import amount_in_capitals
from reports.figures import freeze, thaw
from reports.selectors import annual_figures, leverage_ratio
from tests.factories import key, make_funded_community, make_project, make_source
from tests.reports.money import disburse, give_back

pytestmark = pytest.mark.django_db

YEARS = (2014, 2015, 2016, 2017)


def fen(rng, low, high) -> Decimal:
    """A random amount; in whole yuan on SQLite, which keeps balances as
    floats (taking ¥12.34 off ¥12.34 can leave -2e-15, which its check
    refuses), to the fen on PostgreSQL."""
    if connection.vendor != "postgresql":
        return Decimal(rng.randrange(low, high)).quantize(Decimal("0.01"))
    return Decimal(rng.randrange(low * 100, high * 100)) / 100


def simulate(seed: int):
    """Random years of a fund through the services, and what they should sum to."""
    rng = random.Random(seed)
    community, keeper, _first = make_funded_community("1000.00")
    fund = community.fund
    donor = make_source(fund, kind=Source.Kind.CORPORATE_DONOR, name="捐赠方")
    district = make_source(fund, kind=Source.Kind.GOVERNMENT_MATCHING, name="区政府")
    crowd = make_source(fund, kind=Source.Kind.CROWDFUNDING, name="居民众筹")
    expected = defaultdict(lambda: defaultdict(lambda: Decimal("0.00")))
    # make_funded_community's tranche arrives on 1 March 2026: not in YEARS.
    commitments = []
    for year in YEARS:
        gift = fen(rng, 50_000, 300_000)
        donation = services.tranche_receive(
            fund=fund, source=donor, fiscal_year=year, reference=f"D{year}",
            amount=gift, received_on=date(year, 2, 1), actor=keeper,
            idempotency_key=key(),
        )  # fmt: skip
        match = fen(rng, 10_000, int(gift))
        services.tranche_receive(
            fund=fund, source=district, fiscal_year=year, reference=f"M{year}",
            amount=match, received_on=date(year, 3, 1), actor=keeper,
            idempotency_key=key(), matches=donation, match_ratio=Decimal("1"),
            allowed_categories=[Category.ELDERLY_CARE, Category.CULTURE],
        )  # fmt: skip
        expected[year]["received"] += gift + match
        expected[year]["government"] += match
        expected[year]["donor"] += gift
        if rng.random() < 0.6:
            mistaken = services.tranche_receive(
                fund=fund, source=crowd, fiscal_year=year, reference=f"C{year}",
                amount=fen(rng, 100, 5000), received_on=date(year, 3, 10),
                actor=keeper, idempotency_key=key(),
            )  # fmt: skip
            expected[year]["received"] += mistaken.amount
            receipt = LedgerTransaction.objects.get(tranche=mistaken, kind="receive")
            services.transaction_reverse(
                original=receipt, actor=keeper, reason="recorded twice",
                idempotency_key=key(), on=date(year, 3, 20),
            )  # fmt: skip
            expected[year]["received"] -= mistaken.amount
        for month in range(4, 4 + rng.randrange(2, 6)):
            category = rng.choice(
                [Category.ELDERLY_CARE, Category.CULTURE, Category.HEALTH]
            )
            balances = fund_balances(fund=fund)
            amount = min(fen(rng, 1000, 60_000), balances.available / 3)
            if connection.vendor != "postgresql":
                amount = amount.to_integral_value(ROUND_DOWN)
            try:
                commitment = services.commitment_create(
                    fund=fund, purpose=f"项目 {year}-{month}", category=category,
                    amount=amount.quantize(Decimal("0.01")), actor=keeper,
                    idempotency_key=key(), on=date(year, month, 5),
                )  # fmt: skip
            except Exception:  # a restricted category the tranches cannot cover
                continue
            expected[year]["committed"] += commitment.amount
            commitments.append(commitment)
        for commitment in commitments:
            if rng.random() < 0.5:
                paid = disburse(commitment, fen(rng, 100, 20_000), date(year, 10, 1))
                expected[year]["disbursed"] += paid
                if paid and rng.random() < 0.4:
                    back = give_back(commitment, fen(rng, 1, 500), date(year, 11, 1))
                    expected[year]["returned"] += back
            elif rng.random() < 0.3:
                outstanding = services.commitment_outstanding(commitment)
                if outstanding > 0:
                    services.commitment_release(
                        commitment=commitment, actor=keeper, idempotency_key=key(),
                        on=date(year, 12, 1),
                    )  # fmt: skip
                    expected[year]["released"] += outstanding
    return fund, expected


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_every_figure_reconciles_with_the_ledger_on_generated_years(seed):
    fund, expected = simulate(seed)

    held = Decimal("0.00")
    for year in YEARS:
        figures = annual_figures(fund=fund, year=year)

        spending = figures["spending"]
        assert figures["raised"]["total"] == expected[year]["received"]
        assert figures["raised"]["groups"]["government"] == expected[year]["government"]
        assert figures["raised"]["groups"]["donor"] == expected[year]["donor"]
        assert spending["committed"] == expected[year]["committed"]
        assert spending["released"] == expected[year]["released"]
        assert spending["disbursed"] == expected[year]["disbursed"]
        assert spending["returned"] == expected[year]["returned"]
        assert figures["balances"]["opening"]["held"] == held
        held += (
            expected[year]["received"]
            - expected[year]["disbursed"]
            + expected[year]["returned"]
        )
        assert figures["balances"]["closing"]["held"] == held
        assert figures["reconciliation"]["ok"], figures["reconciliation"]
        assert (
            sum(p["disbursed"] for p in spending["projects"]) == spending["disbursed"]
        )
    now = fund_balances(fund=fund)
    last = annual_figures(fund=fund, year=2026)["balances"]["closing"]
    assert last["held"] == now.held
    assert last["disbursed"] == now.disbursed - now.returned


def test_the_statement_gives_each_total_in_capitals():
    community, _keeper, _tranche = make_funded_community("1520000.00")

    statement = annual_figures(fund=community.fund, year=2026)["statement"]

    received = next(line for line in statement["lines"] if line["code"] == "received")
    assert received["capitals"] == "壹佰伍拾贰万元整"
    assert statement["total_in_capitals"] == amount_in_capitals(Decimal("1520000"))


def test_a_check_that_fails_says_so_with_both_figures(monkeypatch):
    community, _keeper, _tranche = make_funded_community("100.00")
    monkeypatch.setattr(
        "reports.selectors.annual.ledger_movement_totals",
        lambda fund, year: {"receive": Decimal("99.99")},
    )

    reconciliation = annual_figures(fund=community.fund, year=2026)["reconciliation"]

    (failed,) = [check for check in reconciliation["checks"] if not check["ok"]]
    assert failed["code"] == "received_by_movements"
    assert (failed["expected"], failed["found"]) == (
        Decimal("100.00"),
        Decimal("99.99"),
    )
    assert reconciliation["ok"] is False


def test_leverage_is_government_yuan_per_donor_yuan():
    assert leverage_ratio(Decimal("320000"), Decimal("300000")) == Decimal("1.07")
    assert leverage_ratio(Decimal("5"), Decimal("0")) is None


def test_frozen_figures_thaw_to_the_same_decimals():
    community, _keeper, _tranche = make_funded_community("1234.56")
    figures = annual_figures(fund=community.fund, year=2026)

    assert thaw(freeze(figures)) == figures


def test_the_figures_take_the_same_queries_for_one_project_or_ten():
    counts = []
    for projects in (1, 10):
        community, keeper, _tranche = make_funded_community("100000.00")
        for number in range(projects):
            commitment = services.commitment_create(
                fund=community.fund, purpose=f"P{number}", category=Category.HEALTH,
                amount=Decimal("100.00"), actor=keeper, idempotency_key=key(),
                on=date(2026, 5, 1),
            )  # fmt: skip
            disburse(commitment, "50.00", date(2026, 6, 1))
        with CaptureQueriesContext(connection) as captured:
            annual_figures(fund=community.fund, year=2026)
        counts.append(len(captured))

    assert counts[0] == counts[1]


def test_each_funded_project_running_in_the_year_is_in_the_report_with_its_evaluation():
    project = make_project()
    fund = project.proposal.community.fund

    evaluation = annual_figures(fund=fund, year=2026)["evaluation"]
    earlier = annual_figures(fund=fund, year=2025)["evaluation"]

    assert evaluation["available"] is True
    (row,) = evaluation["projects"]
    assert row["title"] == project.proposal.title
    assert row["approved_amount"] == project.proposal.approved_amount
    assert (row["rating_count"], row["satisfaction_mean"]) == (0, None)
    assert earlier["projects"] == []
