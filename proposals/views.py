"""The proposals' pages: thin views that fetch, authorise, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fundapp import selectors as fund_selectors
from fundapp.permissions import require_perm
from fundapp.views import attach_errors

from . import selectors, services
from .budget import parse_lines
from .forms import (
    AttachmentForm,
    CommentForm,
    CompareForm,
    HideCommentForm,
    OptionalReasonForm,
    PlanForm,
    ProblemForm,
    ProposalStartForm,
    ReasonForm,
    RoundForm,
    TeamForm,
    budget_rows,
)
from .models import Attachment, Comment, Proposal, Round, Support

PAGE_SIZE = 20
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


def _proposal_or_404(pk) -> Proposal:
    try:
        return selectors.proposal_get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None


def proposal_list(request, code):
    """The community's open calls and its proposals.

    Unless it shows a form (closing a call), the body is cached under
    `proposal_list_version` and the day (see the template), so the calls,
    the filter and the page are lazy: a cache hit reads none of them.
    """
    community = fund_selectors.community_get(code=code)
    found = SimpleLazyObject(
        lambda: selectors.proposal_list(filters=request.GET, community=community)
    )
    page = SimpleLazyObject(
        lambda: Paginator(found.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    )
    query = request.GET.copy()
    query.pop("page", None)
    can_open_round = request.user.has_perm("proposals.open_round", community)
    context = {
        "community": community,
        "filter": found,
        "page": page,
        "query": query.urlencode(),
        "full_query": request.GET.urlencode(),
        "version": selectors.proposal_list_version(community=community),
        "today": timezone.localdate().isoformat(),
        "open_rounds": SimpleLazyObject(
            lambda: list(selectors.round_open_list(community=community))
        ),
        "can_open_round": can_open_round,
        # The form that closes a call carries a CSRF token: never cached.
        "cache_body": not can_open_round,
        "can_propose": request.user.has_perm("proposals.create_proposal", community),
        "can_screen": request.user.has_perm("proposals.screen_proposal", community),
    }
    return render(request, "proposals/proposal_list.html", context)


@login_required
def round_open(request, code):
    community = fund_selectors.community_get(code=code)
    require_perm(request.user, "proposals.open_round", community)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.round_open(
                community=community, opened_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("The call “%(title)s” is open.") % {"title": call}
            )
            return redirect("proposals:list", code=community.code)
    return render(
        request, "proposals/round_form.html", {"community": community, "form": form}
    )


@login_required
def proposal_create(request, round_pk):
    call = get_object_or_404(Round.objects.select_related("community"), pk=round_pk)
    require_perm(request.user, "proposals.create_proposal", call)
    form = ProposalStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                round=call, proposer=request.user, title=form.cleaned_data["title"]
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
                saved_by=user,
                co_proposer_phones=form.cleaned_data["co_proposers"],
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
                proposal=proposal, uploaded_by=user, upload=form.cleaned_data["file"]
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
        save(proposal=proposal, saved_by=user, **form.cleaned_data)
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
        phones = "\n".join(user.phone or "" for user in proposal.co_proposers.all())
        return TeamForm(initial={"co_proposers": phones})
    if step == "files":
        return AttachmentForm()
    return None


@login_required
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
                proposal=proposal, saved_by=request.user, lines=rows
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
        blank = max(int(wanted) - len(rows), 0) if wanted.isdigit() else 0
        rows += [{}] * min(max(blank, 1 if rows else BLANK_BUDGET_ROWS), 20)
    lines, total = parse_lines(rows or [])
    context = {
        "proposal": proposal,
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


def proposal_detail(request, pk):
    """A proposal's page.

    When it shows no form, its body is cached under the proposal's
    `updated_at` (see the template), and what it lists is read only on a miss.
    """
    try:
        proposal = selectors.proposal_get_for_page(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
    require_perm(request.user, "proposals.view_proposal", proposal)
    user = request.user
    supported = (
        user.is_authenticated
        and Support.objects.filter(proposal=proposal, resident=user).exists()
    )
    flags = {
        "supported": supported,
        "can_edit": proposal.is_editable
        and user.has_perm("proposals.edit_proposal", proposal),
        "can_submit": proposal.status
        in (Proposal.Status.DRAFT, Proposal.Status.RETURNED)
        and user.has_perm("proposals.submit_proposal", proposal),
        "can_withdraw": proposal.can_move_to(Proposal.Status.WITHDRAWN)
        and user.has_perm("proposals.withdraw_proposal", proposal),
        "can_support": not supported
        and proposal.status in Proposal.OPEN_FOR_SUPPORT
        and user.has_perm("proposals.support_proposal", proposal),
        "can_withdraw_support": supported
        and proposal.status in services.SUPPORT_WITHDRAWABLE,
        "can_comment": user.has_perm("proposals.comment_proposal", proposal),
        "can_screen": proposal.status
        in (Proposal.Status.SUBMITTED, Proposal.Status.SCREENING)
        and user.has_perm("proposals.screen_proposal", proposal),
        "can_moderate": user.has_perm("proposals.moderate_comments", proposal),
    }
    # A form carries a CSRF token, which must never be cached for others.
    shows_a_form = any(
        flags[name]
        for name in (
            "can_withdraw",
            "can_support",
            "can_withdraw_support",
            "can_comment",
            "can_screen",
            "can_moderate",
        )
    )
    context = {
        "proposal": proposal,
        "community": proposal.community,
        **selectors.proposal_page_lists(proposal),
        **flags,
        "cache_body": not shows_a_form,
        "comment_form": CommentForm(),
        "reason_form": ReasonForm(),
        "compare_form": CompareForm(
            initial={
                "old": max(proposal.version_number - 1, 1),
                "new": proposal.version_number,
            }
        ),
    }
    return render(request, "proposals/proposal_detail.html", context)


def _act(request, pk, action, success, form_class=None):
    """Run one transition service from a POST and go back to the proposal."""
    proposal = get_object_or_404(Proposal, pk=pk)
    data = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, errors[0])
            return redirect(proposal)
        data = form.cleaned_data
    try:
        action(proposal, request.user, data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(proposal)


@require_POST
@login_required
def proposal_submit(request, pk):
    return _act(
        request,
        pk,
        lambda p, u, d: services.proposal_submit(proposal=p, submitted_by=u),
        _("Your proposal is submitted. Neighbours can now support it."),
    )


@require_POST
@login_required
def proposal_withdraw(request, pk):
    return _act(
        request,
        pk,
        lambda p, u, d: services.proposal_withdraw(proposal=p, withdrawn_by=u, **d),
        _("The proposal is withdrawn."),
        OptionalReasonForm,
    )


@require_POST
@login_required
def proposal_support(request, pk):
    return _act(
        request,
        pk,
        lambda p, u, d: services.proposal_support(proposal=p, supporter=u),
        _("Thank you: you support this proposal."),
    )


@require_POST
@login_required
def proposal_support_withdraw(request, pk):
    return _act(
        request,
        pk,
        lambda p, u, d: services.proposal_support_withdraw(proposal=p, supporter=u),
        _("Your support is withdrawn."),
    )


@require_POST
@login_required
def round_close(request, round_pk):
    call = get_object_or_404(Round.objects.select_related("community"), pk=round_pk)
    require_perm(request.user, "proposals.open_round", call.community)
    form = OptionalReasonForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("proposals:list", code=call.community.code)
    try:
        services.round_close(
            round=call, closed_by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The call “%(title)s” is closed.") % {"title": call}
        )
    return redirect("proposals:list", code=call.community.code)


@require_POST
@login_required
def proposal_screen(request, pk):
    return _act(
        request,
        pk,
        lambda p, u, d: services.proposal_screen_start(proposal=p, screened_by=u),
        _("Screening started."),
    )


@require_POST
@login_required
def proposal_return(request, pk):
    return _act(
        request,
        pk,
        lambda p, u, d: services.proposal_return(proposal=p, returned_by=u, **d),
        _("The proposal is returned to its team for revision."),
        ReasonForm,
    )


@require_POST
@login_required
def proposal_mark_eligible(request, pk):
    return _act(
        request,
        pk,
        lambda p, u, d: services.proposal_mark_eligible(proposal=p, marked_by=u),
        _("The proposal is eligible for the council's agenda."),
    )


@require_POST
@login_required
def comment_add(request, pk):
    return _act(
        request,
        pk,
        lambda p, u, d: services.comment_add(proposal=p, author=u, **d),
        _("Your comment is posted."),
        CommentForm,
    )


@require_POST
@login_required
def comment_hide(request, pk, comment_pk):
    comment = get_object_or_404(Comment, pk=comment_pk, proposal_id=pk)
    return _act(
        request,
        pk,
        lambda p, u, d: services.comment_hide(comment=comment, hidden_by=u, **d),
        _("The comment is hidden."),
        HideCommentForm,
    )


def version_compare(request, pk):
    proposal = _proposal_or_404(pk)
    require_perm(request.user, "proposals.view_proposal", proposal)
    form = CompareForm(request.GET or None)
    changes = None
    if form.is_valid():
        changes = selectors.proposal_version_compare(
            proposal=proposal,
            old_number=form.cleaned_data["old"],
            new_number=form.cleaned_data["new"],
        )
    return render(
        request,
        "proposals/version_compare.html",
        {
            "proposal": proposal,
            "form": form,
            "changes": changes,
            "versions": list(proposal.versions.all()),
        },
    )


def attachment_download(request, pk, attachment_pk):
    attachment = get_object_or_404(
        Attachment.objects.select_related("proposal"), pk=attachment_pk, proposal_id=pk
    )
    require_perm(request.user, "proposals.view_proposal", attachment.proposal)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@login_required
def attachment_remove(request, pk, attachment_pk):
    attachment = get_object_or_404(
        Attachment.objects.select_related("proposal"), pk=attachment_pk, proposal_id=pk
    )
    try:
        services.attachment_remove(attachment=attachment, removed_by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("proposals:edit", pk=pk, step="files")


@login_required
def screening_queue(request, code):
    community = fund_selectors.community_get(code=code)
    require_perm(request.user, "proposals.screen_proposal", community)
    return render(
        request,
        "proposals/screening_queue.html",
        {
            "community": community,
            "queue": selectors.screening_queue(community=community),
            "eligible": selectors.proposals_eligible_for_agenda(community),
        },
    )


@login_required
def my_proposals(request):
    return render(
        request,
        "proposals/proposal_mine.html",
        {"proposals": selectors.proposal_list_of_user(user=request.user)},
    )


@login_required
def notifications(request):
    if request.method == "POST":
        services.notification_mark_read(user=request.user)
        return redirect("proposals:notifications")
    return render(
        request,
        "proposals/notification_list.html",
        {"notifications": selectors.notification_list(user=request.user)},
    )
