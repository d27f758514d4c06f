"""A proposal's page and what is posted from it.

Submitting and withdrawing, supports, comments, comparing versions and
downloading an attachment; `_act` runs one transition service from a POST
and goes back to the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fundapp.permissions import require_perm
from fundapp.ratelimits import rate_limited

from .. import selectors, services
from ..forms import (
    CommentForm,
    CompareForm,
    HideCommentForm,
    OptionalReasonForm,
    ReasonForm,
)
from ..models import Attachment, Comment, Proposal, Support


def _proposal_or_404(pk) -> Proposal:
    try:
        return selectors.proposal_get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None


def proposal_detail(request, pk):
    """A proposal's page.

    The parts of its body without a form are cached under the proposal's
    `updated_at` (templates/proposals/includes/proposal_body.html), for
    every reader, and what they list is read only on a miss; the forms (a
    support, a comment, screening, hiding a comment, withdrawing) are
    rendered for each reader, with their own CSRF token.
    """
    try:
        proposal = selectors.proposal_get_for_page(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
    require_perm(request.user, "proposals.view_proposal", proposal)
    user = request.user
    if user.is_authenticated:
        # Reading the proposal reads the news about it (the unread count
        # in the menu drops at once).
        services.notification_mark_read(actor=user, proposal=proposal)
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
    context = {
        "proposal": proposal,
        "community": proposal.community,
        **selectors.proposal_page_lists(proposal),
        **flags,
        "return_reason": selectors.proposal_return_reason(proposal),
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
    """Submit; an incomplete proposal goes to the wizard's review step, which
    lists what is missing, each linked to the step that asks for it."""
    proposal = get_object_or_404(Proposal, pk=pk)
    try:
        services.proposal_submit(proposal=proposal, actor=request.user)
    except ValidationError as error:
        proposal.refresh_from_db()
        if request.user.has_perm(
            "proposals.edit_proposal", proposal
        ) and selectors.proposal_problems(proposal):
            messages.error(request, _("Before you can submit, fix these:"))
            return redirect("proposals:edit", pk=proposal.pk, step="review")
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Your proposal is submitted. Neighbours can now support it.")
        )
    return redirect(proposal)


@require_POST
@login_required
def proposal_withdraw(request, pk):
    return _act(
        request,
        pk,
        lambda p, u, d: services.proposal_withdraw(proposal=p, actor=u, **d),
        _("The proposal is withdrawn."),
        OptionalReasonForm,
    )


@require_POST
@login_required
@rate_limited("support")
def proposal_support(request, pk):
    return _act(
        request,
        pk,
        lambda p, u, d: services.proposal_support(proposal=p, actor=u),
        _("Thank you: you support this proposal."),
    )


@require_POST
@login_required
@rate_limited("support")
def proposal_support_withdraw(request, pk):
    return _act(
        request,
        pk,
        lambda p, u, d: services.proposal_support_withdraw(proposal=p, actor=u),
        _("Your support is withdrawn."),
    )


@require_POST
@login_required
@rate_limited("comment")
def comment_add(request, pk):
    return _act(
        request,
        pk,
        lambda p, u, d: services.comment_add(proposal=p, actor=u, **d),
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
        lambda p, u, d: services.comment_hide(comment=comment, actor=u, **d),
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
