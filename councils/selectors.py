"""The council's reads: who sits, what a meeting looks like now, what is owed.

A meeting's state is replayed from its log by the engine. The outcome is
cached by (meeting, number of events), so a poll costs one query for the
meeting row whatever the length of the log, and the replay runs once per new
event per process.
"""

import datetime
from decimal import Decimal

from django.apps import apps
from django.core.cache import cache
from django.db.models import Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from fundapp.models import Account, Community
from fundapp.money import ZERO, cny

from .logs import meeting_log
from .models import Council, FloorRequest, Meeting, Seat

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


def proposal_conflicted_ids(proposal_pk: int) -> list[str]:
    """Members recused from a proposal (proposer, co-proposers, beneficiaries)."""
    from proposals.selectors import proposal_conflicted_user_ids

    proposal = apps.get_model("proposals", "Proposal").objects.get(pk=proposal_pk)
    return sorted(member_id(pk) for pk in proposal_conflicted_user_ids(proposal))


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
    recusals = {}
    for proposal_pk in meeting.agenda_items.filter(
        proposal_pk__isnull=False
    ).values_list("proposal_pk", flat=True):
        recusals[str(proposal_pk)] = sorted(
            set(proposal_conflicted_ids(proposal_pk)) & ids
        )
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
    return setup


def meeting_events(meeting: Meeting) -> list[dict]:
    """The meeting's own events, in order."""
    if not meeting.event_count:
        return []
    return list(meeting.events.order_by("sequence").values_list("payload", flat=True))


def meeting_replay(meeting: Meeting, own_events: list[dict]) -> dict:
    """The engine's outcome for the meeting's whole log (councils/logs.py),
    with `log_offset`: the id of the meeting's first own event."""
    from .procedure import replay

    log = meeting_log(
        meeting, own_events, meeting.setup or meeting_setup_build(meeting)
    )
    return {**replay(log.setup, log.events), "log_offset": log.offset}


def floor_holder(events: list[dict]) -> str | None:
    """Who holds the floor after these (accepted) events."""
    holder = None
    for event in events:
        kind = event.get("type")
        if kind == "floor":
            holder = event.get("member")
        elif kind in ("yield", "move", "leave") and event.get("member") == holder:
            holder = None
        elif kind in ("announce", "new_meeting"):
            holder = None
    return holder


def outcome_cache_key(meeting: Meeting, event_count: int) -> str:
    return f"councils:outcome:{meeting.pk}:{meeting.log_offset}:{event_count}"


def outcome_with_floor(outcome: dict, events: list[dict]) -> dict:
    """The engine's outcome plus `floor`: who holds the floor after these
    (the meeting's own) events."""
    return {**outcome, "floor": floor_holder(events)}


def meeting_outcome(meeting: Meeting, events: list[dict] | None = None) -> dict:
    """The engine's outcome for the meeting, cached per event count.

    Adds `floor`, the member holding the floor, and `log_offset`. A caller
    that has already read the meeting's own events passes them as `events`.
    """
    key = outcome_cache_key(meeting, meeting.event_count)
    outcome = cache.get(key)
    if outcome is None:
        if events is None:
            events = meeting_events(meeting)
        outcome = outcome_with_floor(meeting_replay(meeting, events), events)
        cache.set(key, outcome, OUTCOME_CACHE_SECONDS)
    return outcome


def meeting_actions(meeting: Meeting, user) -> list:
    """The actions in order for this person now, from the engine."""
    from .procedure import actions_in_order

    key = (
        f"councils:actions:{meeting.pk}:{meeting.log_offset}:"
        f"{meeting.event_count}:{user.pk}"
    )
    actions = cache.get(key)
    if actions is None:
        setup = meeting.setup or meeting_setup_build(meeting)
        log = meeting_log(meeting, meeting_events(meeting), setup)
        actions = list(actions_in_order(log.setup, log.events, member_id(user.pk)))
        cache.set(key, actions, OUTCOME_CACHE_SECONDS)
    return actions


def speakers_queue(meeting: Meeting):
    """Members waiting for the floor, first come first (one query)."""
    return (
        FloorRequest.objects.filter(meeting=meeting, closed_at__isnull=True)
        .select_related("member")
        .order_by("requested_at", "pk")
    )


def people_by_member_id(meeting: Meeting, setup: dict) -> dict[str, object]:
    """The users behind the engine's member ids (one query)."""
    user_model = apps.get_model("fundapp", "User")
    ids = [int(entry["id"]) for entry in setup["members"]]
    return {member_id(user.pk): user for user in user_model.objects.filter(pk__in=ids)}


def available_for(*, fund, category: str, on: datetime.date) -> Decimal:
    """Money available now in the tranches allowed to pay for this category."""
    from fundapp.services import spendable_tranches

    tranche_ids = [
        tranche.pk
        for tranche in spendable_tranches(fund=fund, category=category, on=on)
    ]
    total = Account.objects.filter(
        tranche_id__in=tranche_ids,
        kind=Account.Kind.TRANCHE_AVAILABLE,
        commitment__isnull=True,
    ).aggregate(total=Sum("balance"))["total"]
    return cny(total or ZERO)


def funding_shortfall(*, meeting: Meeting, proposal_pk, amount) -> Decimal | None:
    """How much the allowed tranches lack to fund this amount, or None if covered."""
    if proposal_pk in (None, "") or amount in (None, ""):
        return None
    proposal = (
        apps.get_model("proposals", "Proposal")
        .objects.filter(pk=int(proposal_pk))
        .first()
    )
    if proposal is None:
        return None
    category = getattr(proposal, "category", "other")
    available = available_for(
        fund=meeting.council.community.fund, category=category, on=timezone.localdate()
    )
    missing = cny(amount) - available
    return missing if missing > 0 else None


# How the engine's `unfinished` kinds (and a referral) read on the agenda.
UNFINISHED_ORIGINS = {
    "order": "pending",
    "postponed": "postponed",
    "tabled": "tabled",
    "REFERRED": "referred",
}


def unfinished_business(meeting: Meeting, outcome: dict | None = None) -> list[dict]:
    """What the meeting leaves to the next one (ROBERTS_RULES §2.5 item 6).

    From the engine: general orders (pending at adjournment, or postponed and
    due), items postponed to the next meeting, items laid on the table at this
    meeting (alive through the next); and main motions referred here, which
    come back through the proposal. `motion_id` is the id in the log.
    """
    outcome = outcome or meeting_outcome(meeting)
    number = outcome["meeting"]["number"]
    carried = []
    for item in outcome.get("unfinished", []):
        alive = (
            item["kind"] == "order"
            or (item["kind"] == "postponed" and item["meeting"] <= number + 1)
            or (item["kind"] == "tabled" and item["meeting"] >= number)
        )
        if alive:
            carried.append((item["id"], UNFINISHED_ORIGINS[item["kind"]]))
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
                "proposal_pk": int(proposal) if proposal not in (None, "") else None,
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


def later_meeting_begun(meeting: Meeting) -> bool:
    return Meeting.objects.filter(
        council_id=meeting.council_id, number__gt=meeting.number, event_count__gt=0
    ).exists()


def meetings_of(council: Council):
    return council.meetings.select_related("minutes").order_by("-scheduled_at")


def meeting_get(pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related(
            "council__community__fund", "chair", "secretary"
        ),
        pk=pk,
    )


def vote_open(outcome: dict) -> dict | None:
    """The question being voted on now, if any (top of the stack in VOTING)."""
    for question in reversed(outcome["pending"]):
        if question["state"] == "VOTING":
            return question
    return None


def meeting_live(meeting: Meeting, user) -> dict:
    """Everything the live page shows one person, in a fixed number of queries.

    The engine's outcome and this person's actions come from the cache keyed
    by the event count; names, the speakers' queue and the agenda's proposals
    are one query each, whatever the length of the log.
    """
    from .wording import METHOD_LABELS, motion_label, state_label

    setup = meeting.setup or meeting_setup_build(meeting)
    outcome = meeting_outcome(meeting)
    people = people_by_member_id(meeting, setup)
    me = member_id(user.pk) if getattr(user, "is_authenticated", False) else None
    actions = meeting_actions(meeting, user) if me in people else []
    state = outcome["meeting"]
    is_chair = me is not None and me == (
        state.get("chair")
        or (member_id(meeting.chair_id) if meeting.chair_id else None)
    )
    moves = [
        a for a in actions if a["type"] == "move" and a["motion"] != "take_from_table"
    ]
    may_take = {
        a["applies_to"]
        for a in actions
        if a["type"] == "move" and a["motion"] == "take_from_table"
    }
    kinds = {a["type"] for a in actions}
    pending = [
        {
            **question,
            "label": motion_label(question["motion"]),
            "state_label": state_label(question["state"]),
            "mover": people.get(
                outcome["motions"].get(question["id"], {}).get("mover")
            ),
            "amount": outcome["motions"].get(question["id"], {}).get("amount"),
            "proposal": outcome["motions"].get(question["id"], {}).get("proposal"),
        }
        for question in outcome["pending"]
    ]
    awaiting = [
        {
            "id": int(key),
            "label": motion_label(motion["motion"]),
            "text": motion["text"],
            "mover": people.get(motion["mover"]),
        }
        for key, motion in outcome["motions"].items()
        if motion["state"] == "MOVED"
    ]
    shortfall = None
    mains = [q for q in pending if q["motion"] == "main" and q["proposal"]]
    if mains:
        shortfall = funding_shortfall(
            meeting=meeting, proposal_pk=mains[0]["proposal"], amount=mains[0]["amount"]
        )
    queue = list(speakers_queue(meeting))
    recusals = setup.get("recusals", {})
    recused_from = sorted(p for p, ids in recusals.items() if me in ids)
    decisions = outcome["decisions"]
    return {
        "outcome": outcome,
        "state": state,
        "state_label": state_label(state["state"]),
        "present_count": len(state["present"]),
        "has_quorum": len(state["present"]) >= state["quorum"],
        "chair_person": people.get(state.get("chair")) or meeting.chair,
        "floor_person": people.get(outcome.get("floor")),
        "pending": pending,
        "awaiting": awaiting,
        "queue": queue,
        "people": people,
        "present_people": [people[p] for p in state["present"] if p in people],
        "me": me,
        "is_member": me in people,
        "is_chair": is_chair,
        "kinds": kinds,
        "moves": [
            {
                **move,
                "label": motion_label(move["motion"]),
                "method_label": METHOD_LABELS.get(move.get("method"), ""),
            }
            for move in moves
        ],
        "vote_choices": [a["choice"] for a in actions if a["type"] == "vote"],
        "vote_open": vote_open(outcome),
        "last_decision": decisions[-1] if decisions else None,
        "shortfall": shortfall,
        "recused_from": recused_from,
        "methods": METHOD_LABELS,
        "agenda_proposals": [
            item for item in meeting.agenda_items.all() if item.proposal_pk is not None
        ],
        "in_queue": any(request.member_id == user.pk for request in queue),
        "refer_to": _references(outcome) if moves else [],
        "carried": carried_business(outcome, may_take),
        "ruling_codes": _ruling_codes() if is_chair else [],
    }


def carried_business(outcome: dict, may_take: set | frozenset = frozenset()) -> list:
    """Business carried into the meeting that is before it or can be now:
    general orders (taken up by the chair's "state" with nothing pending, in
    this order) and motions on the table (taken from it by a motion, B1)."""
    from .wording import UNFINISHED_LABELS

    number = outcome["meeting"]["number"]
    items = []
    for item in outcome.get("unfinished", []):
        if item["kind"] == "postponed" and item["meeting"] > number:
            continue
        motion = outcome["motions"].get(item["id"]) or outcome["motions"].get(
            str(item["id"]), {}
        )
        items.append(
            {
                "id": item["id"],
                "kind": item["kind"],
                "label": UNFINISHED_LABELS[item["kind"]],
                "text": motion.get("text") or "",
                "amount": motion.get("amount"),
                "may_take": item["id"] in may_take,
            }
        )
    return items


RULING_CODES = ("NOT_GERMANE", "IMPROPER_TABLE", "UNTIMELY", "OUT_OF_ORDER_RANK")


def _ruling_codes() -> list[tuple[str, str]]:
    from .refusals import refusal_message

    return [(code, refusal_message(code)) for code in RULING_CODES]


def _references(outcome: dict) -> list[dict]:
    """What a point of order, an appeal, reconsider or rescind may name.

    Motions on the floor or ruled on (by id), and decisions (by index).
    """
    from django.utils.translation import gettext as _

    from .wording import motion_label

    number = outcome["meeting"]["number"]
    on_floor = {question["id"] for question in outcome["pending"]}
    refs = [
        {
            "id": int(key),
            "label": _("Motion: %(label)s “%(text)s”")
            % {"label": motion_label(motion["motion"]), "text": motion["text"] or ""},
        }
        for key, motion in outcome["motions"].items()
        if motion.get("meeting", 1) == number
        and (
            motion["state"] in ("PENDING", "MOVED", "VOTING", "RULED_OUT_OF_ORDER")
            or motion["motion"] == "point_of_order"
        )
        or int(key) in on_floor
    ]
    refs += [
        {
            "id": index,
            "label": _("Decision %(number)s: “%(text)s” %(result)s")
            % {
                "number": index,
                "text": decision["text"] or "",
                "result": decision["result"],
            },
        }
        for index, decision in enumerate(outcome["decisions"])
    ]
    return refs
