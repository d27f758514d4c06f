"""What the funded projects achieved, as the annual report carries it: the
co-evaluation figures (satisfaction, participants, volunteers and their
hours) from the projects app's summaries (issue 10), frozen into the report
as plain figures."""

from dataclasses import dataclass, field
from decimal import Decimal

from fundapp.models import Fund
from fundapp.money import ZERO
from projects.selectors import project_summaries_by_fund


@dataclass
class ProjectFigures:
    """One funded project's co-evaluation, as the report shows it."""

    reference: str
    title: str
    category: str
    proposal_id: int | None = None
    approved_amount: Decimal = ZERO
    paid_amount: Decimal = ZERO
    spent_amount: Decimal = ZERO
    returned_amount: Decimal = ZERO
    satisfaction_mean: Decimal | None = None
    rating_count: int = 0
    rating_distribution: dict = field(default_factory=dict)
    participants: int = 0
    volunteer_count: int = 0
    volunteer_hours: Decimal = ZERO
    flags: list = field(default_factory=list)


def project_figures(*, fund: Fund, year: int) -> tuple[bool, list[ProjectFigures]]:
    """Whether the co-evaluation is recorded (it is, by the projects app), and
    each project of the fund running in the year, with its figures to date
    (a fixed number of queries)."""
    available, by_fund = project_figures_by_fund(funds=[fund], year=year)
    return available, by_fund.get(fund.pk, [])


def project_figures_by_fund(
    *, funds, year: int
) -> tuple[bool, dict[int, list[ProjectFigures]]]:
    """`project_figures` of many funds, by fund id, in the same fixed number
    of queries however many funds there are."""
    return True, {
        fund_id: [_figures(summary) for summary in summaries]
        for fund_id, summaries in project_summaries_by_fund(
            funds=funds, year=year
        ).items()
    }


def _figures(summary) -> ProjectFigures:
    return ProjectFigures(
        reference=summary.reference,
        title=summary.title,
        category=summary.category,
        proposal_id=summary.proposal.pk,
        approved_amount=summary.approved_amount,
        paid_amount=summary.paid_amount,
        spent_amount=summary.spent_amount,
        returned_amount=summary.returned_amount,
        satisfaction_mean=summary.satisfaction_mean,
        rating_count=summary.rating_count,
        rating_distribution={
            str(score): count
            for score, count in sorted(summary.rating_distribution.items())
        },
        participants=summary.participants,
        volunteer_count=summary.volunteer_count,
        volunteer_hours=summary.volunteer_hours,
        flags=[list(flag) for flag in summary.flags],
    )
