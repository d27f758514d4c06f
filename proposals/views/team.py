"""Answering an invitation to join a proposal's team."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..models import CoProposerInvitation


def _answer(request, pk, answer, success):
    invitation = get_object_or_404(
        CoProposerInvitation.objects.select_related("proposal"), pk=pk
    )
    try:
        answer(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("proposals:mine")
    messages.success(request, success % {"title": invitation.proposal.title})
    return redirect("proposals:mine")


@require_POST
@login_required
def invitation_accept(request, pk):
    return _answer(
        request,
        pk,
        services.invitation_accept,
        _("You are now a co-proposer of “%(title)s”."),
    )


@require_POST
@login_required
def invitation_decline(request, pk):
    return _answer(
        request,
        pk,
        services.invitation_decline,
        _("You declined to join “%(title)s”."),
    )
