"""Who may do what in the council: the pages' rules and who gives an action.

The pages' rules are `rules` permissions (registered from
CouncilsConfig.ready()). In a meeting, each action names who gives it
(councils.actions); what that means is decided here (`require_may_give`):
the presiding officer, a member of the council for themselves, or the
community's social worker. The engine then decides whether the event is in
order.
"""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from fundapp.models import Community, User
from fundapp.permissions import (
    community_of,
    is_coordinator,
    is_social_worker,
    require_perm,
)

from .models import Meeting, Minutes, Seat
from .selectors import member_id


@rules.predicate
def is_meeting_chair(user, meeting):
    """The user is the chair the meeting was scheduled with."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(meeting, "chair_id", None) == user.pk
    )


@rules.predicate
def holds_a_seat(user, obj):
    """The user holds (or held) a seat in the council the object belongs to."""
    if not getattr(user, "is_authenticated", False):
        return False
    council = getattr(obj, "council", obj)
    return Seat.objects.filter(term__council=council, holder=user).exists()


@rules.predicate
def has_approved_minutes(user, meeting):
    # (A meeting caches its minutes, or their absence, once read.)
    minutes = getattr(meeting, "minutes", None)
    return minutes is not None and minutes.status == Minutes.Status.APPROVED


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


may_read_draft_minutes = is_social_worker_here | holds_a_seat | is_meeting_chair

rules.add_perm("councils.view_council", rules.always_allow)
rules.add_perm("councils.manage_council", is_social_worker_here)
rules.add_perm("councils.set_agenda", is_social_worker_here | is_meeting_chair)
rules.add_perm("councils.view_meeting", rules.always_allow)
rules.add_perm("councils.view_draft_minutes", may_read_draft_minutes)
# On the meeting: its minutes are public once approved.
rules.add_perm("councils.view_minutes", has_approved_minutes | may_read_draft_minutes)
# On a meeting (or its council): a member declares an interest in its business.
rules.add_perm("councils.declare_interest", holds_a_seat)
# On the later meeting at which the minutes are approved: its chair.
rules.add_perm("councils.approve_minutes", is_meeting_chair)


# Who gives an action of a meeting (each action names one: councils.actions).
CHAIR = "chair"  # the presiding officer
MEMBER = "member"  # a member of the council, for themselves
STAFF = "staff"  # the community's social worker, in or out of a meeting


def presiding_member(meeting: Meeting, outcome: dict) -> str | None:
    """The engine's id of whoever presides: the chair in the log, else the
    chair the meeting was scheduled with."""
    return outcome["meeting"].get("chair") or (
        member_id(meeting.chair_id) if meeting.chair_id else None
    )


def is_presiding(user: User, meeting: Meeting, outcome: dict) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and presiding_member(meeting, outcome) == member_id(user.pk)
    )


def require_presiding(user: User, meeting: Meeting, outcome: dict) -> None:
    if not is_presiding(user, meeting, outcome):
        raise PermissionDenied(_("Only the chair can do this."))


def require_may_give(
    actor: User, meeting: Meeting, giver: str | None, event: dict, outcome: dict
) -> None:
    """Raise PermissionDenied unless `actor` may give this event now.

    `giver` is who gives it: the chair's events need the presiding officer;
    a member's events need a member of the meeting acting for themselves
    (`event["member"]`); the staff's (`executed`) need
    `councils.manage_council`. An event nobody gives (None) is no action of
    a meeting (ValidationError).
    """
    if giver == STAFF:
        require_perm(actor, "councils.manage_council", meeting.council)
    elif giver == CHAIR:
        require_presiding(actor, meeting, outcome)
    elif giver == MEMBER:
        members = {entry["id"] for entry in meeting.setup["members"]}
        if event.get("member") not in members:
            raise PermissionDenied(_("Only members of the council can do this."))
        if event["member"] != member_id(actor.pk):
            raise PermissionDenied(_("You can only act for yourself."))
    else:
        raise ValidationError(_("This is not an action of a meeting."))
