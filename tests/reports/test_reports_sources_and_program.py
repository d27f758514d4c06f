"""Per-source statements and the donor program's report."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fundapp import services
from fundapp.models import Category, Commitment, Role, Source
from proposals.models import Proposal
from reports import services as report_services
from reports.models import DonorProgram, ProgramOfficer
from reports.selectors import program_figures, source_figures
from tests.factories import key, make_member, make_proposal, make_round, make_user
from tests.reports.money import disburse
from tests.reports.reporting import YEAR, make_reporting_community

pytestmark = pytest.mark.django_db


def test_a_source_statement_says_what_its_tranches_received_paid_and_kept():
    community, _worker, _department, _viewer = make_reporting_community()
    donor = Source.objects.get(fund=community.fund, kind=Source.Kind.CORPORATE_DONOR)

    figures = source_figures(source=donor, year=YEAR)

    (tranche,) = figures["tranches"]
    assert tranche["reference"] == "HSBC-2016"
    assert tranche["received"] == Decimal("300000.00")
    assert figures["totals"]["received"] == Decimal("300000.00")
    paid = sum(row["disbursed"] for row in figures["projects"])
    assert paid == tranche["disbursed"] and paid > 0
    assert figures["left"]["held"] == Decimal("300000.00") - paid + tranche["returned"]
    assert figures["reconciliation"]["ok"]


def test_the_program_report_adds_up_its_communities_with_their_matching_money():
    first, _w1, _d1, _v1 = make_reporting_community()
    second, _w2, _d2, _v2 = make_reporting_community()
    program = DonorProgram.objects.create(code="HSBC-CPP", name="汇丰社区伙伴计划")
    program.sources.set(Source.objects.filter(kind=Source.Kind.CORPORATE_DONOR))

    figures = program_figures(program=program, year=YEAR)

    totals = figures["totals"]
    assert totals["program"] == Decimal("600000.00")
    assert totals["matched"] == Decimal("640000.00")
    assert totals["leverage"] == Decimal("1.07")
    assert totals["communities"] == 2 and totals["proposals_funded"] == 0
    assert totals["commitments_funded"] == 2
    assert [row["year"] for row in figures["years"]] == [YEAR]
    assert figures["reconciliation"]["ok"]


def test_the_program_report_costs_the_same_queries_for_one_community_or_three():
    make_reporting_community()
    program = DonorProgram.objects.create(code="HSBC-CPP", name="汇丰社区伙伴计划")
    program.sources.set(Source.objects.filter(kind=Source.Kind.CORPORATE_DONOR))
    with CaptureQueriesContext(connection) as one:
        program_figures(program=program, year=YEAR)
    make_reporting_community()
    make_reporting_community()
    program.sources.set(Source.objects.filter(kind=Source.Kind.CORPORATE_DONOR))

    with CaptureQueriesContext(connection) as three:
        figures = program_figures(program=program, year=YEAR)

    assert figures["totals"]["communities"] == 3
    # Each community's projects were read with queries of their own (8 a
    # community: 236 queries for the bench's 29).
    assert len(three) == len(one)


def test_the_program_report_counts_the_proposals_its_money_pays_for():
    community, _worker, _department, _viewer = make_reporting_community()
    make_reporting_community()
    commitment = Commitment.objects.get(fund=community.fund)
    proposal = make_proposal(make_round(community))
    Proposal.objects.filter(pk=proposal.pk).update(commitment=commitment)
    program = DonorProgram.objects.create(code="HSBC-CPP", name="汇丰社区伙伴计划")
    program.sources.set(Source.objects.filter(kind=Source.Kind.CORPORATE_DONOR))

    totals = program_figures(program=program, year=YEAR)["totals"]

    assert totals["commitments_funded"] == 2
    assert totals["proposals_funded"] == 1


def test_a_receipt_reversed_is_not_counted_in_the_program_report():
    community, _w, _d, _v = make_reporting_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)
    donor = Source.objects.get(fund=community.fund, kind=Source.Kind.CORPORATE_DONOR)
    mistaken = services.tranche_receive(
        fund=community.fund, source=donor, fiscal_year=YEAR, reference="HSBC-TWICE",
        amount=Decimal("300000.00"), received_on=date(YEAR, 3, 19), actor=keeper,
        idempotency_key=key(),
    )  # fmt: skip
    services.transaction_reverse(
        original=mistaken.transactions.get(kind="receive"), actor=keeper,
        reason="recorded twice", idempotency_key=key(), on=date(YEAR, 3, 20),
    )  # fmt: skip
    program = DonorProgram.objects.create(code="HSBC-CPP", name="汇丰社区伙伴计划")
    program.sources.set([donor])

    figures = program_figures(program=program, year=YEAR)

    assert figures["totals"]["program"] == Decimal("300000.00")
    assert figures["sources"] == [
        {"name": "汇丰银行(中国)", "amount": Decimal("300000.00")}
    ]


def test_a_program_officer_makes_the_program_report_and_no_one_else(
    django_capture_on_commit_callbacks,
):
    community, worker, _department, viewer = make_reporting_community()
    program = DonorProgram.objects.create(code="HSBC-CPP", name="汇丰社区伙伴计划")
    officer = make_user()
    ProgramOfficer.objects.create(user=officer, program=program)

    with django_capture_on_commit_callbacks(execute=True):
        version = report_services.report_request(
            kind="program", program=program, year=YEAR, language="en",
            requested_by=officer, idempotency_key=key(),
        )  # fmt: skip
    for person in (worker, viewer):
        with pytest.raises(Exception, match="right to do this"):
            report_services.report_request(
                kind="program", program=program, year=YEAR, language="en",
                requested_by=person, idempotency_key=key(),
            )  # fmt: skip

    version.refresh_from_db()
    assert version.status == "done"
    assert officer.has_perm("reports.view_version", version)
    assert not worker.has_perm("reports.view_version", version)


def test_a_source_statement_is_made_for_a_source_of_the_fund_only(
    django_capture_on_commit_callbacks,
):
    community, worker, _department, _viewer = make_reporting_community()
    other, _w, _d, _v = make_reporting_community()
    foreign = Source.objects.filter(fund=other.fund).first()
    own = Source.objects.filter(fund=community.fund).first()

    with pytest.raises(ValidationError, match="source of this fund"):
        report_services.report_request(
            kind="source", fund=community.fund, source=foreign, year=YEAR,
            language="zh-hans", requested_by=worker, idempotency_key=key(),
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        version = report_services.report_request(
            kind="source", fund=community.fund, source=own, year=YEAR,
            language="zh-hans", requested_by=worker, idempotency_key=key(),
        )  # fmt: skip

    version.refresh_from_db()
    assert version.status == "done"
    assert set(version.files.values_list("part", flat=True)) == {
        "report.pdf", "report.xlsx", "report.csv",
    }  # fmt: skip


def test_a_grant_paid_from_two_sources_shows_in_each_statement_for_its_share():
    community, _worker, _department, _viewer = make_reporting_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)
    commitment = services.commitment_create(
        fund=community.fund, purpose="大项目", category=Category.HEALTH,
        amount=Decimal("400000.00"), actor=keeper, idempotency_key=key(),
        on=date(YEAR, 8, 1),
    )  # fmt: skip
    disburse(commitment, "400000.00", date(YEAR, 9, 1))

    shares = [
        sum(
            row["disbursed"]
            for row in source_figures(source=source, year=YEAR)["projects"]
            if row["title"] == "大项目"
        )
        for source in Source.objects.filter(fund=community.fund)
    ]

    assert sum(shares) == Decimal("400000.00")
    assert all(share > 0 for share in shares)
