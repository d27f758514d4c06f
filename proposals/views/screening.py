"""Screening by the social worker: the queue and the screening decisions."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fundapp import selectors as fund_selectors
from fundapp.permissions import require_perm

from .. import selectors, services
from ..forms import (
    ReasonForm,
)
from .detail import _act


@require_POST
@login_required
def proposal_screen(request, pk):
    return _act(
        request,
        pk,
        lambda p, u, d: services.proposal_screen_start(proposal=p, actor=u),
        _("Screening started."),
    )


@require_POST
@login_required
def proposal_return(request, pk):
    return _act(
        request,
        pk,
        lambda p, u, d: services.proposal_return(proposal=p, actor=u, **d),
        _("The proposal is returned to its team for revision."),
        ReasonForm,
    )


@require_POST
@login_required
def proposal_mark_eligible(request, pk):
    return _act(
        request,
        pk,
        lambda p, u, d: services.proposal_mark_eligible(proposal=p, actor=u),
        _("The proposal is eligible for the council's agenda."),
    )


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
