"""Who may do what in the council (registered from CouncilsConfig.ready()).

Acting in a meeting is decided per event by the services (the chair gives the
chair's events, a seated member their own); these rules cover the pages.
"""

import rules

from fundapp.models import Community
from fundapp.permissions import community_of, is_coordinator, is_social_worker


@rules.predicate
def is_meeting_chair(user, meeting):
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(meeting, "chair_id", None) == user.pk
    )


@rules.predicate
def holds_a_seat(user, obj):
    """The user holds (or held) a seat in the council the object belongs to."""
    from .models import Seat

    if not getattr(user, "is_authenticated", False):
        return False
    council = getattr(obj, "council", obj)
    return Seat.objects.filter(term__council=council, holder=user).exists()


@rules.predicate
def minutes_are_public(user, minutes):
    return minutes is not None and minutes.status == "approved"


def _council_community(obj):
    """The community of a council, a meeting or a seat; a community is its own.

    A community without a council yet must answer for itself, or nobody could
    create its first council.
    """
    if isinstance(obj, Community):
        return obj
    council = getattr(obj, "council", obj)
    return community_of(getattr(council, "community", None))


@rules.predicate
def is_social_worker_here(user, obj):
    return is_social_worker(user, _council_community(obj))


@rules.predicate
def is_coordinator_here(user, obj):
    return is_coordinator(user, _council_community(obj))


rules.add_perm("councils.view_council", rules.always_allow)
rules.add_perm("councils.manage_council", is_social_worker_here)
rules.add_perm("councils.set_agenda", is_social_worker_here | is_meeting_chair)
rules.add_perm("councils.view_meeting", rules.always_allow)
rules.add_perm(
    "councils.view_draft_minutes",
    is_social_worker_here | holds_a_seat | is_meeting_chair,
)
