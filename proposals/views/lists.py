"""Lists: a community's calls and proposals, mine, and my notifications."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from fundapp import selectors as fund_selectors

from .. import selectors, services

PAGE_SIZE = 20


def proposal_list(request, code):
    """The community's open calls and its proposals.

    Unless it shows a form (closing a call), the body is cached under
    `proposal_list_version` and the day (see the template), so the calls,
    the filter and the page are lazy: a cache hit reads none of them.
    """
    community = fund_selectors.community_get(code=code)
    calls = SimpleLazyObject(lambda: selectors.community_calls(community=community))
    found = SimpleLazyObject(
        lambda: selectors.proposal_list(
            filters=request.GET, community=community, calls=calls.all
        )
    )
    page = SimpleLazyObject(
        lambda: selectors.proposal_card_page(
            found.qs, request.GET.get("page"), PAGE_SIZE
        )
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
        "open_rounds": SimpleLazyObject(lambda: calls.open),
        "can_open_round": can_open_round,
        # The form that closes a call carries a CSRF token: never cached.
        "cache_body": not can_open_round,
        "can_propose": request.user.has_perm("proposals.create_proposal", community),
        "can_screen": request.user.has_perm("proposals.screen_proposal", community),
    }
    return render(request, "proposals/proposal_list.html", context)


@login_required
def my_proposals(request):
    return render(
        request,
        "proposals/proposal_mine.html",
        {
            "proposals": selectors.proposal_list_of_user(actor=request.user),
            "invitations": selectors.invitations_for(actor=request.user),
        },
    )


@login_required
def notifications(request):
    if request.method == "POST":
        services.notification_mark_read(actor=request.user)
        return redirect("proposals:notifications")
    return render(
        request,
        "proposals/notification_list.html",
        {"notifications": selectors.notification_list(actor=request.user)},
    )
