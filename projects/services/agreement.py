"""The grant agreement: a project opened for an approved proposal."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fundapp import clock
from fundapp.models import User
from fundapp.money import ZERO, cny, format_cny
from fundapp.permissions import require_perm
from fundapp.services import commitment_outstanding
from projects.models import Installment, Milestone, Project
from proposals.models import Proposal

from .common import project_changed, require_plausible_date

MAX_INSTALLMENTS = 12
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class SchedulePart:
    """One part of an installment schedule as a person sets it."""

    percent: Decimal
    trigger: str
    due_on: datetime.date | None = None


def schedule_amounts(amount: Decimal, parts: list[SchedulePart]) -> list[Decimal]:
    """Split `amount` by the parts' percentages, to the fen; the last part
    takes the rounding remainder, so the parts add up to the amount exactly.

    Raises ValidationError (field `schedule`) unless there are 1 to 12 parts
    of positive percentages with at most two decimals that add up to 100.
    """
    if not parts:
        raise ValidationError(
            {
                "schedule": ValidationError(
                    _("Give at least one installment."), code="no_installments"
                )
            }
        )
    if len(parts) > MAX_INSTALLMENTS:
        raise ValidationError(
            {
                "schedule": ValidationError(
                    _("A grant is paid in at most %(limit)s installments.")
                    % {"limit": MAX_INSTALLMENTS},
                    code="too_many_installments",
                )
            }
        )
    for part in parts:
        if not isinstance(part.percent, Decimal) or not part.percent.is_finite():
            raise TypeError("An installment's share is a Decimal.")
        if part.percent <= 0 or part.percent != part.percent.quantize(Decimal("0.01")):
            raise ValidationError(
                {
                    "schedule": ValidationError(
                        _("Each installment is a share above 0%, to 0.01%."),
                        code="bad_share",
                    )
                }
            )
        if part.trigger not in Installment.Trigger.values:
            raise ValidationError(
                {
                    "schedule": ValidationError(
                        _("Choose when each installment is paid."), code="bad_trigger"
                    )
                }
            )
        if part.trigger == Installment.Trigger.DATE and part.due_on is None:
            raise ValidationError(
                {
                    "schedule": ValidationError(
                        _("An installment paid on a date needs its date."),
                        code="no_due_date",
                    )
                }
            )
    total = sum((part.percent for part in parts), ZERO)
    if total != HUNDRED:
        raise ValidationError(
            {
                "schedule": ValidationError(
                    _(
                        "The installments add up to %(total)s%% of the grant; they "
                        "must add up to 100%%."
                    )
                    % {"total": f"{total:f}".rstrip("0").rstrip(".")},
                    code="schedule_not_whole",
                )
            }
        )
    amounts = [
        (amount * part.percent / HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)
        for part in parts[:-1]
    ]
    amounts.append(cny(amount - sum(amounts, ZERO)))
    if any(value <= 0 for value in amounts):
        raise ValidationError(
            {
                "schedule": ValidationError(
                    _("An installment of %(amount)s would be nothing; use fewer parts.")
                    % {"amount": format_cny(amount)},
                    code="empty_installment",
                )
            }
        )
    return amounts


@transaction.atomic
def project_open(
    *,
    proposal: Proposal,
    actor: User,
    grantee_kind: str,
    grantee_name: str,
    contact_name: str,
    contact_phone: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    schedule: list[SchedulePart],
    milestones: list[tuple[str, datetime.date]] = (),
) -> Project:
    """Open the grant agreement of an approved proposal.

    Needs `projects.open_project` (the community's social worker). The
    amount is the proposal's approved amount, never typed again, and its
    money must be committed in full; the council's conditions are the
    proposal's. Writes the project, its installments (adding up to the
    amount to the fen, `schedule_amounts`) and its milestones.
    """
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("community", "commitment")
        .get(pk=proposal.pk)
    )
    require_perm(actor, "projects.open_project", proposal)
    if proposal.status != Proposal.Status.APPROVED:
        raise ValidationError(
            _(
                "A project is opened for a proposal the council approved; this one "
                "is %(status)s."
            )
            % {"status": proposal.get_status_display()},
            code="not_approved",
        )
    if Project.objects.filter(proposal=proposal).exists():
        raise ValidationError(
            _("This proposal already has its project."), code="already_open"
        )
    amount = proposal.approved_amount
    if proposal.commitment is None or commitment_outstanding(
        proposal.commitment
    ) != cny(amount):
        raise ValidationError(
            _("The approved amount is not committed in full; ask the fund committee."),
            code="not_committed",
        )
    errors = {}
    grantee_name, contact_name = grantee_name.strip(), contact_name.strip()
    contact_phone = contact_phone.strip()
    if grantee_kind not in Project.GranteeKind.values:
        errors["grantee_kind"] = _("Say who delivers the project.")
    if not grantee_name:
        errors["grantee_name"] = _("Name the team or the organisation.")
    if not contact_name or not contact_phone:
        errors["contact_name"] = _("Name a contact person and their phone.")
    if errors:
        raise ValidationError(errors)
    require_plausible_date(starts_on, "starts_on", _("The start"))
    require_plausible_date(ends_on, "ends_on", _("The end"))
    if ends_on < starts_on:
        raise ValidationError(
            {
                "ends_on": ValidationError(
                    _("The project cannot end before it starts."),
                    code="ends_before_start",
                )
            }
        )
    amounts = schedule_amounts(amount, schedule)
    for part in schedule:
        if part.due_on is not None and not starts_on <= part.due_on <= ends_on:
            raise ValidationError(
                {
                    "schedule": ValidationError(
                        _("An installment's date is within the project's dates."),
                        code="due_outside_project",
                    )
                }
            )
    for title, due_on in milestones:
        if not title.strip() or not starts_on <= due_on <= ends_on:
            raise ValidationError(
                {
                    "milestones": ValidationError(
                        _("Each milestone has a name and a date within the project's."),
                        code="bad_milestone",
                    )
                }
            )
    try:
        project = Project.objects.create(
            proposal=proposal,
            community=proposal.community,
            grantee_kind=grantee_kind,
            grantee_name=grantee_name,
            contact_name=contact_name,
            contact_phone=contact_phone,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
            created_at=clock.now(),
        )
    except IntegrityError:
        raise ValidationError(
            _("This proposal already has its project."), code="already_open"
        ) from None
    Installment.objects.bulk_create(
        Installment(
            project=project,
            position=position,
            percent=part.percent,
            amount=value,
            trigger=part.trigger,
            due_on=part.due_on,
        )
        for position, (part, value) in enumerate(
            zip(schedule, amounts, strict=True), start=1
        )
    )
    Milestone.objects.bulk_create(
        Milestone(project=project, title=title.strip(), due_on=due_on)
        for title, due_on in milestones
    )
    project_changed(project.pk)
    return project


@transaction.atomic
def milestone_add(
    *, project: Project, actor: User, title: str, due_on: datetime.date
) -> Milestone:
    """Add a step to the plan. Needs `projects.manage_project`."""
    require_perm(actor, "projects.manage_project", project)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Name the milestone.")})
    if not project.starts_on <= due_on <= project.ends_on:
        raise ValidationError(
            {
                "due_on": ValidationError(
                    _("A milestone's date is within the project's dates."),
                    code="bad_milestone",
                )
            }
        )
    milestone = Milestone.objects.create(project=project, title=title, due_on=due_on)
    project_changed(project.pk)
    return milestone
