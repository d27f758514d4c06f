"""Co-delivery: expenses with receipts, progress reports, volunteer hours."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from fundapp import clock
from fundapp.models import Membership, Role, User
from fundapp.money import ZERO, format_cny, parse_amount
from fundapp.permissions import require_perm
from projects.models import (
    Expense,
    Milestone,
    ProgressPhoto,
    ProgressReport,
    Project,
    ReviewStatus,
    VolunteerShift,
)
from proposals.models import BudgetLine, Proposal
from proposals.services import proposal_complete
from proposals.uploads import clean_upload

from .common import (
    RUNNING,
    lock_project,
    project_changed,
    require_not_future,
    require_plausible_date,
    require_status,
)

DELIVERING = frozenset({*RUNNING, Proposal.Status.COMPLETED})
MAX_PHOTOS = 6


def _require_delivering(project: Project) -> None:
    require_status(
        project,
        DELIVERING,
        _("Nothing more is recorded for a project that is %(status)s."),
    )


@transaction.atomic
def expense_record(
    *,
    project: Project,
    actor: User,
    budget_line: BudgetLine,
    amount: Decimal,
    spent_on: datetime.date,
    description: str,
    receipt,
    over_budget_reason: str = "",
) -> Expense:
    """Record money the grantee spent, with its receipt (JPEG, PNG or PDF by
    content, at most 10 MB; photos are cleaned of their metadata).

    Needs `projects.record_expense` (the project's team). An expense that
    takes its budget line over its budget needs a reason, and is shown as
    over budget.
    """
    project = lock_project(project)
    require_perm(actor, "projects.record_expense", project)
    _require_delivering(project)
    if project.returns.exists():
        raise ValidationError(
            _("Unspent money was already returned; no more expenses are recorded."),
            code="returned",
        )
    if budget_line.proposal_id != project.proposal_id:
        raise ValidationError(
            {
                "budget_line": ValidationError(
                    _("Choose a line of this project's budget."), code="foreign_line"
                )
            }
        )
    amount = parse_amount(amount)
    description = description.strip()
    if not description:
        raise ValidationError({"description": _("Say what was bought.")})
    require_not_future(spent_on, "spent_on")
    require_plausible_date(spent_on, "spent_on", _("The day"))
    reason = over_budget_reason.strip()
    used = (
        Expense.objects.filter(budget_line=budget_line).aggregate(total=Sum("amount"))[
            "total"
        ]
        or ZERO
    )
    left = budget_line.total - used
    if amount > left and not reason:
        raise ValidationError(
            {
                "over_budget_reason": ValidationError(
                    _(
                        "This line's budget has %(left)s left and this expense is "
                        "%(amount)s; say why it goes over."
                    )
                    % {
                        "left": format_cny(max(left, ZERO)),
                        "amount": format_cny(amount),
                    },
                    code="over_budget",
                )
            }
        )
    cleaned = clean_upload(receipt)
    expense = Expense(
        project=project,
        budget_line=budget_line,
        amount=amount,
        spent_on=spent_on,
        description=description[:200],
        over_budget_reason=reason[:300] if amount > left else "",
        receipt_name=cleaned.original_name,
        receipt_type=cleaned.content_type,
        receipt_size=cleaned.size,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    expense.receipt.save(cleaned.original_name, cleaned.content, save=False)
    expense.save()
    project_changed(project.pk)
    return expense


def _review(subject, *, actor: User, status: str, query: str, fields=()) -> None:
    if not subject.can_move_to(status):
        raise ValidationError(
            _("This is %(status)s and cannot be reviewed now.")
            % {"status": subject.get_status_display()},
            code="invalid_transition",
        )
    if status == ReviewStatus.QUERIED:
        query = query.strip()
        if not query:
            raise ValidationError({"query": _("Say what needs to be explained.")})
        subject.query = query[:300]
    subject.status = status
    subject.reviewed_by = actor
    subject.reviewed_at = clock.now()
    subject.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "query", *fields]
    )


@transaction.atomic
def expense_review(
    *, expense: Expense, actor: User, accept: bool, query: str = ""
) -> Expense:
    """Accept an expense, or query it with a question. Needs
    `projects.review_delivery` (the social worker)."""
    expense = Expense.objects.select_for_update().get(pk=expense.pk)
    require_perm(actor, "projects.review_delivery", expense.project)
    _review(
        expense,
        actor=actor,
        status=ReviewStatus.ACCEPTED if accept else ReviewStatus.QUERIED,
        query=query,
    )
    project_changed(expense.project_id)
    return expense


@transaction.atomic
def expense_answer(
    *, expense: Expense, actor: User, answer: str, receipt=None
) -> Expense:
    """Answer a queried expense (and replace its receipt); it waits for
    review again. Needs `projects.record_expense`."""
    expense = Expense.objects.select_for_update().get(pk=expense.pk)
    require_perm(actor, "projects.record_expense", expense.project)
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Answer the question.")})
    if not expense.can_move_to(ReviewStatus.SUBMITTED):
        raise ValidationError(
            _("Only a queried expense can be answered."), code="invalid_transition"
        )
    fields = ["status", "query"]
    if receipt is not None:
        cleaned = clean_upload(receipt)
        expense.receipt.save(cleaned.original_name, cleaned.content, save=False)
        expense.receipt_name = cleaned.original_name
        expense.receipt_type = cleaned.content_type
        expense.receipt_size = cleaned.size
        fields += ["receipt", "receipt_name", "receipt_type", "receipt_size"]
    expense.query = (
        _("%(query)s — Answer: %(answer)s") % {"query": expense.query, "answer": answer}
    )[:300]
    expense.status = ReviewStatus.SUBMITTED
    expense.save(update_fields=fields)
    project_changed(expense.project_id)
    return expense


@transaction.atomic
def progress_report_file(
    *,
    project: Project,
    actor: User,
    kind: str,
    summary: str,
    happened_on: datetime.date,
    place: str,
    participants: int,
    milestone: Milestone | None = None,
    photos: list = (),
) -> ProgressReport:
    """File what was done, when, where, with how many residents, and photos.

    Needs `projects.record_delivery` (the team or the social worker). At most
    six photos, each a JPEG or PNG by content, cleaned of its metadata.
    """
    project = lock_project(project)
    require_perm(actor, "projects.record_delivery", project)
    _require_delivering(project)
    if kind not in ProgressReport.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of report.")})
    summary, place = summary.strip(), place.strip()
    errors = {}
    if not summary:
        errors["summary"] = _("Say what was done.")
    if not place:
        errors["place"] = _("Say where.")
    if not isinstance(participants, int) or not 0 <= participants <= 100_000:
        errors["participants"] = _("Give how many residents took part.")
    if milestone is not None and milestone.project_id != project.pk:
        errors["milestone"] = _("Choose a milestone of this project.")
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("A report has at most %(limit)s photos.") % {
            "limit": MAX_PHOTOS
        }
    if errors:
        raise ValidationError(errors)
    require_not_future(happened_on, "happened_on")
    require_plausible_date(happened_on, "happened_on", _("The day"))
    cleaned = [clean_upload(photo, photos_only=True) for photo in photos]
    report = ProgressReport.objects.create(
        project=project,
        kind=kind,
        milestone=milestone,
        summary=summary,
        happened_on=happened_on,
        place=place[:200],
        participants=participants,
        filed_by=actor,
        filed_at=clock.now(),
    )
    for photo in cleaned:
        row = ProgressPhoto(
            report=report,
            original_name=photo.original_name,
            content_type=photo.content_type,
            size=photo.size,
        )
        row.file.save(photo.original_name, photo.content, save=False)
        row.save()
    project_changed(project.pk)
    return report


@transaction.atomic
def progress_report_review(
    *, report: ProgressReport, actor: User, accept: bool, query: str = ""
) -> ProgressReport:
    """Accept a report (its milestone is then reached) or query it. Needs
    `projects.review_delivery`."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    require_perm(actor, "projects.review_delivery", report.project)
    _review(
        report,
        actor=actor,
        status=ReviewStatus.ACCEPTED if accept else ReviewStatus.QUERIED,
        query=query,
    )
    if accept and report.milestone_id is not None:
        Milestone.objects.filter(
            pk=report.milestone_id, reached_on__isnull=True
        ).update(reached_on=report.happened_on)
    project_changed(report.project_id)
    return report


@transaction.atomic
def progress_report_answer(
    *, report: ProgressReport, actor: User, summary: str
) -> ProgressReport:
    """Correct a queried report; it waits for review again."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    require_perm(actor, "projects.record_delivery", report.project)
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": _("Say what was done.")})
    if not report.can_move_to(ReviewStatus.SUBMITTED):
        raise ValidationError(
            _("Only a queried report can be corrected."), code="invalid_transition"
        )
    report.summary = summary
    report.status = ReviewStatus.SUBMITTED
    report.save(update_fields=["summary", "status"])
    project_changed(report.project_id)
    return report


MAX_HOURS = Decimal("24")


@transaction.atomic
def volunteer_shift_record(
    *,
    project: Project,
    actor: User,
    activity: str,
    served_on: datetime.date,
    hours: Decimal,
    volunteer: User | None = None,
    volunteer_name: str = "",
) -> VolunteerShift:
    """Record hours a volunteer gave: a verified resident of the community,
    or a named person who is not registered.

    Needs `projects.record_delivery`. Hours are more than 0 and at most 24,
    to the tenth; the day is within the project's dates and not ahead.
    """
    project = lock_project(project)
    require_perm(actor, "projects.record_delivery", project)
    _require_delivering(project)
    activity, volunteer_name = activity.strip(), volunteer_name.strip()
    errors = {}
    if not activity:
        errors["activity"] = _("Say what the volunteer did.")
    if volunteer is None and not volunteer_name:
        errors["volunteer_name"] = _("Name the volunteer.")
    if (
        volunteer is not None
        and not Membership.objects.filter(
            user=volunteer,
            community=project.community,
            role=Role.RESIDENT,
            verified_at__isnull=False,
        ).exists()
    ):
        errors["volunteer"] = _(
            "Only a verified resident of this community is chosen by name; "
            "write the name of anyone else."
        )
    try:
        hours = Decimal(str(hours))
        valid_hours = hours.is_finite() and 0 < hours <= MAX_HOURS
        valid_hours = valid_hours and hours == hours.quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        valid_hours = False
    if not valid_hours:
        errors["hours"] = _("Give the hours: more than 0, at most 24, to 0.1 hour.")
    if errors:
        raise ValidationError(errors)
    require_not_future(served_on, "served_on")
    end = project.completed_on or project.ends_on
    if not project.starts_on <= served_on <= end:
        raise ValidationError(
            {
                "served_on": ValidationError(
                    _("The day is within the project's dates."), code="outside_project"
                )
            }
        )
    shift = VolunteerShift.objects.create(
        project=project,
        volunteer=volunteer,
        volunteer_name=volunteer_name[:60] if volunteer is None else "",
        activity=activity[:120],
        served_on=served_on,
        hours=hours,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    project_changed(project.pk)
    return shift


@transaction.atomic
def project_complete(
    *, project: Project, actor: User, completed_on: datetime.date
) -> Project:
    """Mark delivery done, once the final report is accepted: the proposal
    becomes COMPLETED and the residents' rating window runs from that day.
    Needs `projects.manage_project` (the social worker)."""
    project = lock_project(project)
    require_perm(actor, "projects.manage_project", project)
    if project.proposal.status != Proposal.Status.ACTIVE:
        raise ValidationError(
            _("Only a running project can be completed; this one is %(status)s.")
            % {"status": project.proposal.get_status_display()},
            code="project_status",
        )
    if not project.reports.filter(
        kind=ProgressReport.Kind.FINAL, status=ReviewStatus.ACCEPTED
    ).exists():
        raise ValidationError(
            _("A project is completed once its final report is accepted."),
            code="no_final_report",
        )
    require_not_future(completed_on, "completed_on")
    if completed_on < project.starts_on:
        raise ValidationError(
            {"completed_on": _("The project cannot end before it starts.")}
        )
    project.completed_on = completed_on
    project.save(update_fields=["completed_on"])
    proposal_complete(proposal=project.proposal, actor=actor)
    project_changed(project.pk)
    return project
