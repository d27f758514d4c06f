"""The benchmark's raw SQL computes what the reports compute (`make bench`
times the reports' database time against it: tests/bench/reports.py)."""

from decimal import Decimal

import pytest
from django.db import connection

from fundapp.models import Account, LedgerEntry, Source
from reports.models import DonorProgram
from reports.selectors import annual_figures, program_figures
from tests.bench import reports as bench
from tests.fundapp.test_tasks import behind_the_ledgers_back
from tests.reports.reporting import YEAR, make_reporting_community

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_the_raw_sql_of_the_annual_report_finds_its_figures_and_checks():
    community, _worker, _department, _viewer = make_reporting_community()
    fund = community.fund
    params = {"fund": fund.pk, "year": YEAR}

    figures = annual_figures(fund=fund, year=YEAR)
    movements = dict(_rows(bench.RAW_MOVEMENTS, params))
    flows = _rows(bench.RAW_ANNUAL, params)

    received = sum(
        amount
        for movement, kind, _s, _t, _c, amount in flows
        if (movement, kind) == ("receive", "tranche_available")
    )
    assert received == figures["raised"]["total"] == movements["receive"]
    assert movements["disburse"] == figures["spending"]["disbursed"]
    assert _rows(bench.RAW_RECONCILE_ACCOUNTS, params) == []
    assert _rows(bench.RAW_RECONCILE_MOVEMENTS, params) == []


def test_the_raw_sql_finds_what_the_reconciliation_finds():
    community, _worker, _department, _viewer = make_reporting_community()
    other, _w, _d, _v = make_reporting_community()
    movement = community.fund.transactions.filter(kind="receive").first()
    foreign = Account.objects.filter(fund=other.fund, kind="tranche_available").first()
    with behind_the_ledgers_back():
        LedgerEntry.objects.create(transaction=movement, account=foreign, amount=5)
        LedgerEntry.objects.create(transaction=movement, account=foreign, amount=-5)

    report = annual_figures(fund=community.fund, year=YEAR)["reconciliation"]
    raw = _rows(bench.RAW_RECONCILE_MOVEMENTS, {"fund": community.fund.pk})
    there = _rows(bench.RAW_RECONCILE_ACCOUNTS, {"fund": other.fund.pk})

    # Its positive entries now move 5 more than it says, and one is foreign.
    assert {(p["kind"], p["transaction_id"]) for p in report["problems"]} == {
        ("amount_mismatch", movement.pk),
        ("foreign_entry", movement.pk),
    }
    assert [row[0] for row in raw] == [movement.pk]
    assert [row[0] for row in there] == [foreign.pk]


def test_the_raw_sql_of_the_program_report_finds_its_totals():
    make_reporting_community()
    make_reporting_community()
    program = DonorProgram.objects.create(code="HSBC-CPP", name="汇丰社区伙伴计划")
    program.sources.set(Source.objects.filter(kind=Source.Kind.CORPORATE_DONOR))
    sources = list(program.sources.values_list("pk", flat=True))
    params = {
        "funds": list(program.sources.values_list("fund_id", flat=True)),
        "sources": sources,
        "year": YEAR,
    }

    totals = program_figures(program=program, year=YEAR)["totals"]
    received = _rows(bench.RAW_PROGRAM, params)
    matching = dict(_rows(bench.RAW_PROGRAM_MATCHING, params))
    (counts,) = _rows(bench.RAW_PROGRAM_COMMITMENTS, params)
    ((participants, hours),) = _rows(bench.RAW_PROGRAM_PROJECTS, params)

    assert sum(row[4] for row in received if row[2] in sources) == totals["program"]
    assert (
        sum(row[4] for row in received if row[2] not in sources and row[3] in matching)
        == totals["matched"]
    )
    assert counts == (totals["commitments_funded"], totals["proposals_funded"])
    assert (participants or 0) == totals["participants"]
    assert Decimal(hours or 0) == totals["volunteer_hours"]
