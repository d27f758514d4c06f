"""A project's public page, its money page, the grant agreement, its files."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from fundapp.permissions import require_perm
from projects import selectors, services
from projects.forms import (
    ConfirmForm,
    MilestoneFormSet,
    ProjectOpenForm,
    RatingForm,
    ReviewForm,
    SchedulePartFormSet,
)
from projects.models import (
    Expense,
    Installment,
    ProgressPhoto,
    ProgressReport,
    Project,
)
from proposals.models import Proposal

from .common import act_once, project_for
from .flags import page_flags

# The newest entries of a project's timeline shown at first (a patrol logs
# volunteer hours every day); the whole of it is one link away.
TIMELINE_SHOWN = 30

# The expenses listed at first on the money page (the totals count them all).
EXPENSES_SHOWN = 40

DEFAULT_SCHEDULE = [
    {"percent": "50", "trigger": Installment.Trigger.START},
    {"percent": "30", "trigger": Installment.Trigger.PROGRESS},
    {"percent": "20", "trigger": Installment.Trigger.FINAL},
]


def project_detail(request, pk):
    """Anyone's view of a funded project: its money in and out, its
    timeline, volunteer hours and evaluation summary.

    What everyone sees is cached under the project's version (see the
    template), so its selector is lazy: on a cache hit it does not run. What
    the reader may do (buttons, forms, their own rating) is decided for each
    request and never cached.
    """
    project = project_for(request, pk, "projects.view_project")
    whole = request.GET.get("timeline") == "all"
    page = SimpleLazyObject(
        lambda: selectors.project_page(
            project, timeline_shown=None if whole else TIMELINE_SHOWN
        )
    )
    flags = page_flags(request.user, project, on_hold=lambda: page.on_hold)
    user = request.user
    acts_on_installments = (
        flags["can_request"] or flags["can_sign"] or flags["can_withdraw"]
    )
    context = {
        "project": project,
        "proposal": project.proposal,
        "community": project.community,
        "version": selectors.project_version(project),
        "whole_timeline": whole,
        "page": page,
        "rating_closes": selectors.rating_window_closes(project),
        "acts_on_installments": acts_on_installments,
        **flags,
    }
    if acts_on_installments:
        _offer_installment_actions(page.installments, user, project, flags)
    if flags["can_review"]:
        context["reports_waiting"] = [
            (report, ReviewForm(user=user, form=f"review:{project.pk}"))
            for report in project.reports.filter(
                status=ProgressReport.Status.SUBMITTED
            ).prefetch_related("photos")
        ]
        context["expenses_waiting"] = project.expenses.filter(
            status=Expense.Status.SUBMITTED
        ).count()
    if flags["can_record_delivery"]:
        context["reports_queried"] = list(
            project.reports.filter(status=ProgressReport.Status.QUERIED)
        )
    if flags["can_rate"]:
        mine = project.ratings.filter(resident=user).first()
        context["my_rating"] = mine
        context["rating_form"] = RatingForm(
            user=user,
            form=f"rate:{project.pk}",
            initial={"score": mine.score, "comment": mine.comment} if mine else None,
        )
    return render(request, "projects/project_detail.html", context)


def _offer_installment_actions(rows, user, project, flags) -> None:
    """What this reader may do with each installment (never cached)."""
    requestable = True
    for row in rows:
        # Only the next installment is offered: they are paid in order.
        if row.state == "scheduled" and requestable and flags["can_request"]:
            row.request_form = ConfirmForm(user=user, form=f"request:{project.pk}")
            requestable = False
        if row.state in ("requested", "on_hold"):
            requestable = False
        signed = {approver_id for approver_id, _name in row.signatures}
        row.can_sign = (
            flags["can_sign"]
            and row.state == "requested"
            and user.pk not in signed
            and user.pk != row.disbursement.requested_by_id
        )
        row.signed_by_me = user.pk in signed


def project_money(request, pk):
    """Approved, paid, spent, queried and unspent, per budget line; the
    expenses that wait for someone first, then the newest.

    Cached under the project's version, as the project page is; the review
    forms of the social worker are not.
    """
    project = project_for(request, pk, "projects.view_project")
    flags = page_flags(request.user, project)
    whole = request.GET.get("expenses") == "all"
    page = SimpleLazyObject(
        lambda: selectors.project_money_page(
            project, expenses_shown=None if whole else EXPENSES_SHOWN
        )
    )
    if flags["can_review"]:
        for expense in page.expenses:
            if expense.status == Expense.Status.SUBMITTED:
                expense.review_form = ReviewForm(
                    user=request.user, form=f"review:{project.pk}"
                )
    context = {
        "project": project,
        "proposal": project.proposal,
        "community": project.community,
        "version": selectors.project_version(project),
        "whole_expenses": whole,
        "page": page,
        **flags,
    }
    return render(request, "projects/project_money.html", context)


def _formsets(request, data):
    parts = SchedulePartFormSet(data, prefix="parts", initial=DEFAULT_SCHEDULE)
    milestones = MilestoneFormSet(data, prefix="milestones")
    return parts, milestones


def _with_one_more_row(data, prefix: str, limit: int):
    data = data.copy()
    total = f"{prefix}-TOTAL_FORMS"
    try:
        count = int(data.get(total, 0))
    except ValueError:
        count = 0
    data[total] = str(min(count + 1, limit))
    return data


def project_open(request, proposal_pk):
    """The social worker opens the grant agreement of an approved proposal."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("community", "round"), pk=proposal_pk
    )
    existing = Project.objects.filter(proposal=proposal).first()
    if existing is not None:
        return redirect(existing)
    require_perm(request.user, "projects.open_project", proposal)
    name = f"open:{proposal.pk}"
    data = request.POST if request.method == "POST" else None
    adding = data is not None and ("add_part" in data or "add_milestone" in data)
    if adding:
        if "add_part" in data:
            data = _with_one_more_row(data, "parts", 12)
        else:
            data = _with_one_more_row(data, "milestones", 20)
        initial = {k: v for k, v in data.items() if k in ProjectOpenForm.base_fields}
        initial.pop("idempotency_key", None)
        form = ProjectOpenForm(initial=initial, user=request.user, form=name)
        parts, milestones = _formsets(request, data)
    else:
        form = ProjectOpenForm(data, user=request.user, form=name)
        if data is None:
            parts = SchedulePartFormSet(prefix="parts", initial=DEFAULT_SCHEDULE)
            milestones = MilestoneFormSet(prefix="milestones")
        else:
            parts, milestones = _formsets(request, data)
    if data is not None and not adding and parts.is_valid() and milestones.is_valid():
        schedule = [
            services.SchedulePart(row["percent"], row["trigger"], row.get("due_on"))
            for row in parts.cleaned_data
            if row
        ]
        plan = [(row["title"], row["due_on"]) for row in milestones.cleaned_data if row]
        project = act_once(
            request,
            form,
            project=None,
            operation="projects.open",
            extra={"proposal": proposal, "schedule": schedule, "milestones": plan},
            act=lambda values: services.project_open(
                proposal=proposal,
                actor=request.user,
                grantee_kind=values["grantee_kind"],
                grantee_name=values["grantee_name"],
                contact_name=values["contact_name"],
                contact_phone=values["contact_phone"],
                starts_on=values["starts_on"],
                ends_on=values["ends_on"],
                schedule=schedule,
                milestones=plan,
            ),
            success=_(
                "The project is open. Its first installment can be requested "
                "once it starts."
            ),
        )
        if project is not None:
            return redirect(
                project
                if isinstance(project, Project)
                else Project.objects.get(proposal=proposal)
            )
    return render(
        request,
        "projects/project_open.html",
        {
            "proposal": proposal,
            "community": proposal.community,
            "form": form,
            "parts": parts,
            "milestones": milestones,
        },
    )


def _file_response(file, name, content_type, *, inline: bool):
    response = FileResponse(
        file.open("rb"),
        as_attachment=not inline,
        filename=name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def receipt(request, pk, expense_pk):
    """An expense's receipt: for the people who keep the money straight."""
    project = project_for(request, pk, "projects.view_project")
    expense = get_object_or_404(Expense, pk=expense_pk, project=project)
    if not (
        request.user.has_perm("projects.view_receipts", project)
        or request.user.has_perm("projects.record_expense", project)
    ):
        raise PermissionDenied
    return _file_response(
        expense.receipt,
        expense.receipt_name,
        expense.receipt_type,
        inline=expense.receipt_type != "application/pdf",
    )


def photo(request, pk, photo_pk):
    """A progress report's photo (cleaned of its metadata): public."""
    project = project_for(request, pk, "projects.view_project")
    item = get_object_or_404(ProgressPhoto, pk=photo_pk, report__project=project)
    return _file_response(item.file, item.original_name, item.content_type, inline=True)
