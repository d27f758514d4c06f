"""Calls for proposals (rounds): opening and closing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fundapp import selectors as fund_selectors
from fundapp.permissions import require_perm
from fundapp.views import attach_errors

from .. import services
from ..forms import (
    OptionalReasonForm,
    RoundForm,
)
from ..models import Round


@login_required
def round_open(request, code):
    community = fund_selectors.community_get(code=code)
    require_perm(request.user, "proposals.open_round", community)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.round_open(
                community=community, actor=request.user, **form.cleaned_data
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
            round=call, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The call “%(title)s” is closed.") % {"title": call}
        )
    return redirect("proposals:list", code=call.community.code)
