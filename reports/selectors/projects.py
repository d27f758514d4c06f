"""What the funded projects achieved, as the annual report carries it.

The co-evaluation figures (satisfaction, participants, volunteers and their
hours) come from the projects app's `project_summaries(fund=, year=)` (issue
10). Until that app is installed the report shows those sections with zero and
says so: `available` is False.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from fundapp.models import Fund
from fundapp.money import ZERO


@dataclass
class ProjectFigures:
    """One funded project's co-evaluation, as the report shows it."""

    reference: str
    title: str
    category: str
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
    """Whether the projects' co-evaluation exists yet, and each project's figures.

    The projects app is not installed yet (issue 10): no figures.
    """
    return False, []
