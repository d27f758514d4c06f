"""The council's reads: who sits, a meeting's setup, log and outcome, and the
business it carries to the next (the live page's reads are in live.py).

A meeting's state is the engine's after its whole log (councils/logs.py),
kept between requests and advanced one event at a time
(councils/meeting_state.py). The outcome and each person's actions are
cached by (meeting, number of events), so a poll costs a fixed number of
queries whatever the length of the log.
"""

import datetime
import re

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from fundapp.models import Community, User
from proposals.models import Proposal
from proposals.selectors import proposal_conflicted_user_ids, proposals_granted_unpaid

from .logs import meeting_log
from .meeting_state import MeetingState, meeting_state_read, meeting_state_store
from .models import AgendaItem, Council, Meeting, Seat

OUTCOME_CACHE_SECONDS = 6 * 3600


def member_id(user_pk: int) -> str:
    """A user's id as the engine knows it."""
    return str(user_pk)


def council_get(*, code: str) -> Council:
    return get_object_or_404(
        Council.objects.select_related("community"), community__code=code.upper()
    )


def council_of_community(community: Community) -> Council | None:
    return Council.objects.filter(community=community).first()


def seats_current(*, council: Council, on: datetime.date):
    """Seats held on a day, coordinators first, with their holders (one query)."""
    return (
        Seat.objects.filter(term__council=council, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .filter(Q(term__ends_on__isnull=True) | Q(term__ends_on__gte=on))
        .select_related("holder", "term")
        .order_by("role", "holder__display_name", "pk")
    )


def seat_history(*, council: Council):
    """Every seat ever held, by term, with holders (one query)."""
    return (
        Seat.objects.filter(term__council=council)
        .select_related("holder", "term")
        .order_by("term__starts_on", "role", "starts_on", "pk")
    )


def proposal_conflicted_ids(proposal: Proposal) -> list[str]:
    """Members recused from a proposal (proposer, co-proposers, beneficiaries)."""
    return sorted(member_id(pk) for pk in proposal_conflicted_user_ids(proposal))


def person_by_phone(phone: str) -> User | None:
    """Whoever registered with this phone number."""
    return User.objects.filter(phone=phone.strip()).first()


def agenda_proposals(meeting: Meeting) -> list[Proposal]:
    """The proposals on the meeting's agenda, with their teams (two queries)."""
    items = (
        AgendaItem.objects.filter(meeting=meeting, proposal__isnull=False)
        .select_related("proposal")
        .prefetch_related("proposal__co_proposers")
        .order_by("position")
    )
    return [item.proposal for item in items]


def meeting_setup_build(meeting: Meeting) -> dict:
    """The engine's setup (ROBERTS_RULES §1) from the seats on the meeting's day.

    The chair, if not seated, joins as a non-voting presiding officer.
    """
    council = meeting.council
    seats = list(
        seats_current(council=council, on=timezone.localdate(meeting.scheduled_at))
    )
    members = [
        {"id": member_id(seat.holder_id), "voting": seat.is_voting} for seat in seats
    ]
    ids = {entry["id"] for entry in members}
    if meeting.chair_id and member_id(meeting.chair_id) not in ids:
        members.append({"id": member_id(meeting.chair_id), "voting": False})
        ids.add(member_id(meeting.chair_id))
    recusals = {
        str(proposal.pk): sorted(set(proposal_conflicted_ids(proposal)) & ids)
        for proposal in agenda_proposals(meeting)
    }
    above = council.main_motion_two_thirds_above
    setup = {
        "members": members,
        "quorum": council.quorum,
        "small_board_rules": council.small_board_rules,
        "recusals": recusals,
        "consent_calendar": council.consent_calendar,
    }
    if above is not None:
        setup["main_motion_two_thirds_above"] = str(above)
    if meeting.log_from_id is None:
        earlier = []
        for proposal in proposals_granted_unpaid(community=council.community):
            earlier.append(earlier_decision(proposal))
            recusals.setdefault(
                str(proposal.pk), sorted(set(proposal_conflicted_ids(proposal)) & ids)
            )
        if earlier:
            setup["earlier_decisions"] = earlier
    return setup


def earlier_decision(proposal: Proposal) -> dict:
    """An unpaid grant as the engine's setup gives it (`earlier_decisions`)."""
    return {
        "ref": proposal.decision_reference or f"P-{proposal.pk}",
        "motion": "main",
        "text": proposal.conditions or str(proposal),
        "proposal": str(proposal.pk),
        "amount": str(proposal.approved_amount),
        "mover": None,
    }


def outcome_cache_key(meeting: Meeting, event_count: int) -> str:
    return f"councils:outcome:{meeting.pk}:{meeting.log_offset}:{event_count}"


def meeting_state_now(meeting: Meeting) -> MeetingState:
    """The engine's state after the meeting's events (councils/meeting_state.py),
    kept for the next reader once this transaction commits unless it was read
    as kept (40 KB of pickle for a long meeting: each poll that works out a
    member's actions stored it again)."""
    state, news = meeting_state_read(
        meeting, meeting.setup or meeting_setup_build(meeting)
    )
    if news:
        transaction.on_commit(lambda: meeting_state_store(meeting, state))
    return state


def meeting_outcome(meeting: Meeting) -> dict:
    """The engine's outcome for the meeting, cached per event count.

    Adds `floor`, the member holding the floor, `log_offset`, and `cast`,
    the votes cast on the question being voted on; leaves out `results`
    (each event's answer: the log's length, read by no page).
    """
    key = outcome_cache_key(meeting, meeting.event_count)
    outcome = cache.get(key)
    if outcome is None:
        outcome = meeting_state_now(meeting).outcome(results=False)
        cache.set(key, outcome, OUTCOME_CACHE_SECONDS)
    return outcome


def meeting_actions(meeting: Meeting, actor: User) -> list:
    """The actions in order for this person now, from the engine."""
    key = (
        f"councils:actions:{meeting.pk}:{meeting.log_offset}:"
        f"{meeting.event_count}:{actor.pk}"
    )
    actions = cache.get(key)
    if actions is None:
        actions = meeting_state_now(meeting).actions(member_id(actor.pk))
        cache.set(key, actions, OUTCOME_CACHE_SECONDS)
    return actions


def people_by_member_id(meeting: Meeting, setup: dict) -> dict[str, User]:
    """The users behind the engine's member ids (one query)."""
    ids = [int(entry["id"]) for entry in setup["members"]]
    return {member_id(user.pk): user for user in User.objects.filter(pk__in=ids)}


UNFINISHED_ORIGINS = {
    "order": "pending",
    "postponed": "postponed",
    "tabled": "tabled",
    "REFERRED": "referred",
}


def unfinished_at(outcome: dict, number: int) -> list[dict]:
    """The engine's `unfinished` items before the council at meeting `number`
    of the log (the outcome's own meeting or the next): general orders, items
    postponed to it (or before), and items on the table still alive there.
    The engine lists only living tabled items, and says of each whether it
    lives to the next meeting (sessions, not meetings, bound it: §2.3 B1)."""
    current = outcome["meeting"]["number"]
    return [
        item
        for item in outcome.get("unfinished", [])
        if item["kind"] == "order"
        or (item["kind"] == "postponed" and item["meeting"] <= number)
        or (
            item["kind"] == "tabled"
            and (number <= current or item["alive_next_meeting"])
        )
    ]


def carries_business(outcome: dict) -> bool:
    """Whether the engine must carry business from this log to a later
    meeting: anything before the next meeting, or postponed beyond it."""
    number = outcome["meeting"]["number"]
    return bool(unfinished_at(outcome, number + 1)) or any(
        item["kind"] == "postponed" for item in outcome.get("unfinished", [])
    )


def unfinished_business(meeting: Meeting, outcome: dict | None = None) -> list[dict]:
    """What the meeting leaves to the next one (ROBERTS_RULES §2.5 item 6).

    From the engine: general orders (pending at adjournment, or postponed and
    due), items postponed to the next meeting, items laid on the table at this
    meeting (alive through the next); and main motions referred here, which
    come back through the proposal. `motion_id` is the id in the log.
    """
    outcome = outcome or meeting_outcome(meeting)
    number = outcome["meeting"]["number"]
    carried = [
        (item["id"], UNFINISHED_ORIGINS[item["kind"]])
        for item in unfinished_at(outcome, number + 1)
    ]
    for key, motion in outcome["motions"].items():
        if (
            motion["motion"] == "main"
            and motion["state"] == "REFERRED"
            and motion.get("meeting") == number
        ):
            carried.append((int(key), UNFINISHED_ORIGINS["REFERRED"]))
    items = []
    for motion_id, origin in carried:
        motion = outcome["motions"].get(motion_id) or outcome["motions"][str(motion_id)]
        proposal = motion.get("proposal")
        items.append(
            {
                "motion_id": motion_id,
                "origin": origin,
                "title": motion["text"] or "-",
                "proposal_id": int(proposal) if proposal not in (None, "") else None,
                "amount": motion.get("amount"),
            }
        )
    return items


def meeting_previous_held(meeting: Meeting) -> Meeting | None:
    """The council's last meeting before this one that was held (has events)."""
    return (
        Meeting.objects.filter(
            council_id=meeting.council_id,
            number__lt=meeting.number,
            event_count__gt=0,
        )
        .select_related("log_from")
        .order_by("-number")
        .first()
    )


def meeting_after(meeting: Meeting) -> Meeting | None:
    """The council's next meeting by number, held or not."""
    return (
        Meeting.objects.filter(council_id=meeting.council_id, number__gt=meeting.number)
        .order_by("number")
        .first()
    )


def meeting_locked(pk: int) -> Meeting:
    """The meeting's row locked for this transaction, with `later_begun`:
    whether a later meeting of its council has begun, read in the same
    statement (every statement under the lock is one more that each of 23
    votes at once waits for)."""
    return (
        Meeting.objects.select_for_update(of=("self",))
        .annotate(
            later_begun=Exists(
                Meeting.objects.filter(
                    council_id=OuterRef("council_id"),
                    number__gt=OuterRef("number"),
                    event_count__gt=0,
                )
            )
        )
        .get(pk=pk)
    )


def meetings_of(council: Council):
    return council.meetings.select_related("minutes").order_by("-scheduled_at")


def meeting_row(pk: int) -> Meeting:
    """The meeting's row alone, no relations joined: what an action needs
    before its service locks the row and reads it again."""
    return get_object_or_404(Meeting, pk=pk)


def meeting_get(pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related(
            "council__community__fund", "chair", "secretary"
        ),
        pk=pk,
    )


# Motions that bring back another: the wording shown is the one brought back.
BRINGS_BACK_MOTION = frozenset({"take_from_table", "discharge_committee"})
BRINGS_BACK_DECISION = frozenset({"reconsider", "rescind", "amend_previously_adopted"})


def outcome_motion(outcome: dict, motion_id) -> dict:
    """A motion of an outcome by id (int keys, or str once through JSON)."""
    if motion_id is None:
        return {}
    motions = outcome["motions"]
    return motions.get(motion_id) or motions.get(str(motion_id)) or {}


def motion_wording(outcome: dict, motion_id) -> str:
    """A motion's wording; for one that has none of its own and brings
    another back (from the table, a committee, a decision to reconsider,
    rescind or amend), the wording of what it brings back."""
    motion = outcome_motion(outcome, motion_id)
    if motion.get("text"):
        return motion["text"]
    target = motion.get("applies_to")
    if motion.get("motion") in BRINGS_BACK_MOTION:
        return outcome_motion(outcome, target).get("text") or ""
    decisions = outcome["decisions"]
    if motion.get("motion") in BRINGS_BACK_DECISION and isinstance(target, int):
        if 0 <= target < len(decisions):
            return decisions[target]["text"] or ""
    return ""


CITATION = re.compile(
    r"^(?P<code>[A-Z][A-Z0-9]{1,11})-(?P<number>\d{1,6})#(?P<place>\d{1,7})$"
)
# A motion is decided at its own meeting or, carried, at one of the next few.
CITATION_REACH = 10


def decision_cited(*, community: Community, reference: str) -> bool:
    """Whether `reference` ("JMJY-5#3": meeting 5, the motion made at its event
    3) names a motion of this community's council that was decided.

    Replays (from the cache) the meeting and the few later meetings whose
    logs may continue it, since a motion carried over is decided later.
    """
    match = CITATION.match(reference or "")
    if match is None or match["code"] != community.code:
        return False
    number, place = int(match["number"]), int(match["place"])
    candidates = Meeting.objects.filter(
        council__community=community,
        event_count__gt=0,
        number__gte=number,
        number__lte=number + CITATION_REACH,
    ).select_related("log_from", "council__community")
    for meeting in candidates.order_by("number"):
        if meeting.number != number and (
            meeting.log_from is None or meeting.log_from.number > number
        ):
            continue
        log = meeting_log(meeting, [], meeting.setup or {})
        for decision in meeting_outcome(meeting)["decisions"]:
            motion_id = decision.get("motion_id")
            if not isinstance(motion_id, int) or motion_id < 0:
                continue
            held, held_place = log.meeting_of(motion_id)
            if (held.number, held_place) == (number, place):
                return True
    return False
