"""Writing a proposal: starting it, its steps, the budget and attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fundapp.permissions import require_perm
from fundapp.ratelimits import rate_limited
from fundapp.views import attach_errors

from .. import selectors, services
from ..budget import parse_lines
from ..forms import (
    AttachmentForm,
    PlanForm,
    ProblemForm,
    ProposalStartForm,
    TeamForm,
    budget_rows,
)
from ..models import Attachment, Proposal, Round
from .detail import _proposal_or_404

STEPS = [
    ("problem", gettext_lazy("Problem")),
    ("plan", gettext_lazy("Plan")),
    ("budget", gettext_lazy("Budget")),
    ("team", gettext_lazy("Team")),
    ("files", gettext_lazy("Photos and files")),
    ("review", gettext_lazy("Review and submit")),
]
STEP_NAMES = [name for name, _label in STEPS]
# A new budget offers three empty lines; a started one, one more.
BLANK_BUDGET_ROWS = 3


@login_required
def proposal_create(request, round_pk):
    call = get_object_or_404(Round.objects.select_related("community"), pk=round_pk)
    require_perm(request.user, "proposals.create_proposal", call)
    form = ProposalStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                round=call, actor=request.user, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("proposals:edit", pk=proposal.pk, step="problem")
    return render(
        request,
        "proposals/proposal_start.html",
        {"round": call, "community": call.community, "form": form},
    )


def _save_step(request, proposal, step):
    """Validate and save one step; returns (form, saved)."""
    user = request.user
    if step == "problem":
        form = ProblemForm(request.POST)
        save = services.proposal_save_problem
    elif step == "plan":
        form = PlanForm(request.POST)
        save = services.proposal_save_plan
    elif step == "team":
        form = TeamForm(request.POST)
        if not form.is_valid():
            return form, False
        try:
            services.proposal_save_team(
                proposal=proposal,
                actor=user,
                co_proposer_phones=form.cleaned_data["co_proposers"],
                beneficiary_phones=form.cleaned_data["beneficiaries"],
            )
        except ValidationError as error:
            attach_errors(form, error)
            return form, False
        return form, True
    elif step == "files":
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            return form, False
        try:
            services.attachment_add(
                proposal=proposal, actor=user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            attach_errors(form, error)
            return form, False
        return form, True
    else:
        return None, False
    if not form.is_valid():
        return form, False
    try:
        save(proposal=proposal, actor=user, **form.cleaned_data)
    except ValidationError as error:
        attach_errors(form, error)
        return form, False
    return form, True


def _step_form(proposal, step):
    if step == "problem":
        return ProblemForm(
            initial={
                name: getattr(proposal, name)
                for name in ("title", "category", "problem", "affected", "evidence")
            }
        )
    if step == "plan":
        return PlanForm(
            initial={
                name: getattr(proposal, name)
                for name in ("activities", "schedule", "place", "volunteers")
            }
        )
    if step == "team":
        phones = [user.phone or "" for user in proposal.co_proposers.all()]
        phones += proposal.invitations.filter(answered_at__isnull=True).values_list(
            "phone", flat=True
        )
        return TeamForm(
            initial={
                "co_proposers": "\n".join(dict.fromkeys(phones)),
                "beneficiaries": "\n".join(proposal.beneficiary_phones),
            }
        )
    if step == "files":
        return AttachmentForm()
    return None


@login_required
@rate_limited("upload", only_with_files=True)
def proposal_edit(request, pk, step):
    if step not in STEP_NAMES:
        raise Http404
    proposal = _proposal_or_404(pk)
    require_perm(request.user, "proposals.edit_proposal", proposal)
    if not proposal.is_editable:
        messages.error(
            request, _("This proposal cannot be edited until it is returned.")
        )
        return redirect(proposal)
    budget_errors = []
    rows = None
    if request.method == "POST" and step == "budget":
        rows = budget_rows(request.POST)
        try:
            services.proposal_save_budget(
                proposal=proposal, actor=request.user, lines=rows
            )
        except ValidationError as error:
            budget_errors = error.messages
        else:
            if "more" in request.POST:
                return redirect(f"{request.path}?rows={len(rows) + 3}")
            return _after_save(request, proposal, step)
        form = None
    elif request.method == "POST":
        form, saved = _save_step(request, proposal, step)
        if saved:
            if step == "files" and "another" in request.POST:
                return redirect(request.path)
            return _after_save(request, proposal, step)
    else:
        form = _step_form(proposal, step)
    if step == "budget" and rows is None:
        rows = [
            {
                "item": line.item,
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_cost": line.unit_cost,
            }
            for line in proposal.budget_lines.all()
        ]
        wanted = request.GET.get("rows", "")
        blank = max(int(wanted) - len(rows), 0) if wanted.isdecimal() else 0
        rows += [{}] * min(max(blank, 1 if rows else BLANK_BUDGET_ROWS), 20)
    lines, total = parse_lines(rows or [])
    context = {
        "proposal": proposal,
        "return_reason": selectors.proposal_return_reason(proposal),
        "step": step,
        "steps": STEPS,
        "form": form,
        "rows": rows,
        "budget_errors": budget_errors,
        "total": total,
        "lines": lines,
        "over_ceiling": total > proposal.round.ceiling_amount,
        "problems": selectors.proposal_problems(proposal) if step == "review" else [],
        "can_submit": request.user.has_perm("proposals.submit_proposal", proposal),
        "next_step": _next_step(step),
        "invitations": selectors.proposal_invitations(proposal)
        if step == "team"
        else [],
    }
    return render(request, "proposals/proposal_edit.html", context)


def _next_step(step):
    index = STEP_NAMES.index(step)
    return STEP_NAMES[index + 1] if index + 1 < len(STEP_NAMES) else None


def _after_save(request, proposal, step):
    messages.success(request, _("Saved."))
    return redirect("proposals:edit", pk=proposal.pk, step=_next_step(step) or step)


@require_POST
@login_required
def budget_totals(request, pk):
    """The totals fragment the budget step shows while the proposer types."""
    proposal = get_object_or_404(Proposal.objects.select_related("round"), pk=pk)
    require_perm(request.user, "proposals.edit_proposal", proposal)
    lines, total = parse_lines(budget_rows(request.POST))
    context = {
        "proposal": proposal,
        "lines": lines,
        "total": total,
        "over_ceiling": total > proposal.round.ceiling_amount,
    }
    return render(request, "proposals/includes/budget_totals.html", context)


@require_POST
@login_required
def attachment_remove(request, pk, attachment_pk):
    attachment = get_object_or_404(
        Attachment.objects.select_related("proposal"), pk=attachment_pk, proposal_id=pk
    )
    try:
        services.attachment_remove(attachment=attachment, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("proposals:edit", pk=pk, step="files")
