"""What every project service shares: the lock, the checks, the clock."""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp import clock
from fundapp.models import User
from fundapp.permissions import require_perm
from projects.models import DeviationFlag, Project, ProjectVersion
from proposals.models import Proposal

# Where the proposal's lifecycle lets money move, deliveries be recorded, ...
PAYABLE = frozenset(
    {Proposal.Status.APPROVED, Proposal.Status.ACTIVE, Proposal.Status.COMPLETED}
)
RUNNING = frozenset({Proposal.Status.APPROVED, Proposal.Status.ACTIVE})
# A date typed for a project is within this many days of today.
PLAUSIBLE_DAYS = 5 * 366


def lock_project(project: Project) -> Project:
    """Re-read the project under a row lock (the caller is in a transaction).

    Every service that moves money or holds it takes this lock first, so a
    flag raised and a payment approved at the same moment are ordered.
    """
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("proposal__commitment__fund", "community")
        .get(pk=project.pk)
    )


def project_changed(*project_ids: int) -> None:
    """Give the projects' pages a new version (`ProjectVersion`): what was
    cached of them is not read again.

    Called by every service that changes what a project's pages show, in its
    transaction and after its other locks (the version row is locked last,
    so it adds no deadlock). One statement per project, also for a project
    that has no version row yet (the scale data's, loaded by COPY).
    """
    table = connection.ops.quote_name(ProjectVersion._meta.db_table)
    with connection.cursor() as cursor:
        for project_id in sorted(set(project_ids)):
            cursor.execute(
                f"INSERT INTO {table} (project_id, number) VALUES (%s, 1) "  # noqa: S608
                f"ON CONFLICT (project_id) DO UPDATE SET number = {table}.number + 1",
                [project_id],
            )


def require(actor: User, perm: str, project: Project) -> None:
    require_perm(actor, perm, project)


def require_status(project: Project, allowed: frozenset, message) -> None:
    """Refuse unless the project's proposal is in one of `allowed` statuses."""
    if project.proposal.status not in allowed:
        raise ValidationError(
            message % {"status": project.proposal.get_status_display()},
            code="project_status",
        )


def hold_in_force(project: Project) -> bool:
    """Whether an open or confirmed deviation flag holds the project's payments."""
    return project.flags.filter(state__in=DeviationFlag.HOLDING).exists()


def require_no_hold(project: Project) -> None:
    if hold_in_force(project):
        raise ValidationError(
            _(
                "This project is on hold after a deviation flag; nothing can be "
                "paid until the fund committee lifts the hold."
            ),
            code="on_hold",
        )


def today() -> datetime.date:
    return timezone.localdate(clock.now())


def require_plausible_date(value: datetime.date, field: str, label) -> None:
    """Refuse a date far from today (a typing error, such as 1900 or 2206)."""
    if abs((value - today()).days) > PLAUSIBLE_DAYS:
        raise ValidationError(
            {
                field: ValidationError(
                    _("%(label)s must be within five years of today.")
                    % {"label": label},
                    code="implausible_date",
                )
            }
        )


def require_not_future(value: datetime.date, field: str) -> None:
    if value > today():
        raise ValidationError(
            {
                field: ValidationError(
                    _("This date is in the future."), code="future_date"
                )
            }
        )
