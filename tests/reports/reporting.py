"""A community with a year of money, its social worker and its department,
for the reports' tests."""

from datetime import date
from decimal import Decimal

from fundapp import services
from fundapp.models import Category, Role, Source
from reports.models import Department, DepartmentViewer
from tests.factories import (
    key,
    make_community,
    make_member,
    make_source,
    make_user,
)
from tests.reports.money import disburse, give_back

YEAR = 2016


def make_reporting_community(code: str | None = None):
    """A fund with a donor, matched by the district, one grant paid in part
    and something given back; a social worker; a department supervising it
    with one viewer. Returns (community, worker, department, viewer)."""
    community = make_community(code=code) if code else make_community()
    fund = community.fund
    keeper = make_member(community, Role.FUND_COMMITTEE)
    worker = make_member(community, Role.SOCIAL_WORKER)
    donor = make_source(fund, kind=Source.Kind.CORPORATE_DONOR, name="汇丰银行(中国)")
    district = make_source(
        fund, kind=Source.Kind.GOVERNMENT_MATCHING, name="雨花台区人民政府"
    )
    gift = services.tranche_receive(
        fund=fund, source=donor, fiscal_year=YEAR, reference="HSBC-2016",
        amount=Decimal("300000.00"), received_on=date(YEAR, 3, 18), actor=keeper,
        idempotency_key=key(),
    )  # fmt: skip
    services.tranche_receive(
        fund=fund, source=district, fiscal_year=YEAR, reference="YHT-2016",
        amount=Decimal("320000.00"), received_on=date(YEAR, 4, 12), actor=keeper,
        idempotency_key=key(), matches=gift, match_ratio=Decimal("1.2"),
    )  # fmt: skip
    commitment = services.commitment_create(
        fund=fund, purpose="老年食堂", category=Category.ELDERLY_CARE,
        amount=Decimal("152000.00"), actor=keeper, idempotency_key=key(),
        on=date(YEAR, 5, 6),
    )  # fmt: skip
    disburse(commitment, "100000.00", date(YEAR, 6, 1))
    give_back(commitment, "1234.56", date(YEAR, 12, 1))
    department = Department.objects.create(
        code=f"D-{community.code}",
        name="雨花台区民政局",
        name_en="YHT District Civil Affairs Bureau",
        kind=Department.Kind.CIVIL_AFFAIRS,
        emails=["minzheng@example.org", "archive@example.org"],
    )
    department.communities.add(community)
    viewer = make_user()
    DepartmentViewer.objects.create(user=viewer, department=department)
    return community, worker, department, viewer
