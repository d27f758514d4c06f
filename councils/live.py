"""What the live meeting page shows one person, and the chair's warning.

Reads only: what everyone sees alike (the room: the engine's outcome, names,
the speakers' queue, the agenda's proposals, the fund's shortfall) is read in
a fixed number of queries whatever the length of the log, and kept under the
meeting's live version; this person's actions come from `selectors` (cached
by event count).
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fundapp.models import Fund, User
from fundapp.money import cny
from fundapp.selectors import fund_available
from proposals.models import Proposal

from .actions import ACTIONS, MOTION_FIELDS, MeetingAction
from .live_version import LIVE_VERSION_SECONDS, live_room_version
from .models import AgendaItem, FloorRequest, Meeting
from .permissions import CHAIR, MEMBER, is_presiding
from .refusals import refusal_message
from .selectors import (
    meeting_actions,
    meeting_outcome,
    meeting_setup_build,
    member_id,
    motion_wording,
    people_by_member_id,
    unfinished_at,
)
from .wording import (
    ALLOWS_LABELS,
    CHOICE_LABELS,
    METHOD_LABELS,
    RESULT_LABELS,
    UNFINISHED_LABELS,
    motion_label,
    state_label,
)


def speakers_queue(meeting: Meeting):
    """Members waiting for the floor, first come first (one query)."""
    return (
        FloorRequest.objects.filter(meeting=meeting, closed_at__isnull=True)
        .select_related("member")
        .order_by("requested_at", "pk")
    )


def agenda_items_with_proposals(meeting: Meeting) -> list[AgendaItem]:
    """The agenda's items that take up a proposal, with it (one query)."""
    return list(
        AgendaItem.objects.filter(meeting=meeting, proposal__isnull=False)
        .select_related("proposal")
        .order_by("position")
    )


def funding_shortfall(
    *, fund: Fund, proposal: Proposal, amount: Decimal, on: datetime.date
) -> Decimal | None:
    """How much the tranches allowed to pay for this proposal lack to fund
    this amount, or None if they cover it (fundapp's two queries)."""
    available = fund_available(fund=fund, category=proposal.category, on=on)
    missing = amount - available
    return missing if missing > 0 else None


# What the page shows of a motion: the engine's state, in the words of
# the meeting (moved, seconded, stated, voting, decided).
PHASE_LABELS = {
    "moved": gettext_lazy("moved, awaiting a second"),
    "seconded": gettext_lazy("seconded, awaiting the chair"),
    "stated": gettext_lazy("stated: open for debate"),
    "voting": gettext_lazy("voting is open"),
}
NEWS = {
    "moved": gettext_lazy("Motion moved: %(label)s"),
    "seconded": gettext_lazy("Motion seconded: %(label)s"),
    "stated": gettext_lazy("Question stated: %(label)s"),
    "voting": gettext_lazy("Voting is open: %(label)s"),
}


def motion_phase(motion: dict) -> str:
    """Where a motion stands, from the engine's state and its seconder."""
    state = motion.get("state")
    if state == "MOVED":
        return "seconded" if motion.get("seconder") else "moved"
    if state == "PENDING":
        return "stated"
    if state == "VOTING":
        return "voting"
    return "decided"


def meeting_news(outcome: dict, decision: dict | None) -> list[tuple[str, str]]:
    """What a screen reader is told once as it happens: (key, words) of each
    living motion's phase, the last result and the meeting's state. The page
    announces only keys it has not shown before (councils/live.js)."""
    news = []
    state = outcome["meeting"]["state"]
    if state in ("IN_SESSION", "RECESS", "ADJOURNED"):
        news.append((f"s{outcome['meeting']['number']}:{state}", state_label(state)))
    if decision is not None:
        result = RESULT_LABELS.get(decision["result"], decision["result"])
        news.append(
            (
                f"d{decision['index']}",
                _("%(result)s %(yes)s–%(no)s: %(label)s")
                % {
                    "result": str(result).capitalize(),
                    "yes": decision.get("yes", 0),
                    "no": decision.get("no", 0),
                    "label": decision["label"],
                },
            )
        )
    for key, motion in outcome["motions"].items():
        phase = motion_phase(motion)
        here = motion.get("meeting", 1) == outcome["meeting"]["number"]
        if phase == "decided" or not here:
            continue
        news.append(
            (
                f"m{key}:{phase}",
                NEWS[phase] % {"label": motion_label(motion["motion"])},
            )
        )
    return news


def vote_open(outcome: dict) -> dict | None:
    """The question being voted on now, if any (top of the stack in VOTING)."""
    for question in reversed(outcome["pending"]):
        if question["state"] == "VOTING":
            return question
    return None


def live_room(meeting: Meeting, *, kept: bool = False) -> dict:
    """What the live page shows everyone alike, in a fixed number of queries.

    The engine's outcome comes from the cache keyed by the event count; names,
    the speakers' queue and the agenda's proposals are one query each,
    whatever the length of the log; what the fund has available for the
    pending grant, two. Picklable: the views keep it under the meeting's live
    version (`live_room_kept`), so the room's polls after a change read it once.
    """
    setup = meeting.setup or meeting_setup_build(meeting)
    return _room(meeting, _room_parts(meeting, setup, kept=kept), setup)


def _room_parts(meeting: Meeting, setup: dict, *, kept: bool) -> dict:
    """The room's parts that change apart from the log: the names, the
    agenda's proposals, the speakers' queue (a query each)."""
    return {
        "people": {
            member_id(user.pk): user
            for user in User.objects.filter(
                pk__in=[int(entry["id"]) for entry in setup["members"]]
            ).defer("password")
        }
        if kept
        else people_by_member_id(meeting, setup),
        "agenda": agenda_items_with_proposals(meeting),
        "queue": list(speakers_queue(meeting).defer("member__password")),
    }


def _room(meeting: Meeting, parts: dict, setup: dict) -> dict:
    """The room: its parts, and the engine's outcome after the meeting's
    events with what the fund lacks for the grant pending."""
    outcome = meeting_outcome(meeting)
    agenda = parts["agenda"]
    shortfall = None
    mains = [
        motion
        for question in outcome["pending"]
        if question["motion"] == "main"
        and (motion := outcome["motions"].get(question["id"], {})).get("proposal")
    ]
    grants = {str(item.proposal_id): item.proposal for item in agenda}
    if mains and mains[0].get("amount") and mains[0]["proposal"] in grants:
        shortfall = funding_shortfall(
            fund=meeting.council.community.fund,
            proposal=grants[mains[0]["proposal"]],
            amount=cny(mains[0]["amount"]),
            on=timezone.localdate(),
        )
    return {
        "meeting": meeting,
        "setup": setup,
        "outcome": outcome,
        "people": parts["people"],
        "agenda": agenda,
        "queue": parts["queue"],
        "shortfall": shortfall,
    }


# The meeting's relations the live page shows, kept with the room's parts.
ROOM_RELATIONS = ("council", "chair", "secretary")


def _meeting_kept(meeting_pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related(
            "council__community__fund", "chair", "secretary"
        ).defer("chair__password", "secretary__password"),
        pk=meeting_pk,
    )


def _meeting_now(meeting_pk: int, kept: Meeting) -> Meeting:
    """The meeting's row read now (one query), with the relations of the
    row kept with the room's parts where it still names them."""
    meeting = get_object_or_404(Meeting, pk=meeting_pk)
    for name in ROOM_RELATIONS:
        field = Meeting._meta.get_field(name)
        if getattr(meeting, field.attname) == getattr(kept, field.attname):
            field.set_cached_value(meeting, field.get_cached_value(kept, None))
    return meeting


def live_room_kept(meeting_pk: int, version: str) -> dict:
    """`live_room` of the meeting as it is at `version` (read after it), kept
    for as long as the version; raises Http404 for a meeting that is not.

    The room's parts (names, agenda, queue, with the meeting's relations) are
    kept under the room's version (councils/live_version.py), which a vote
    leaves alone: a new version after a vote reads the meeting's row and
    takes the parts as kept. The people in it are kept without their
    password hashes."""
    key = f"councils:live-room:{meeting_pk}:{version}"
    room = cache.get(key)
    if room is None:
        parts_key = (
            f"councils:live-room-parts:{meeting_pk}:{live_room_version(meeting_pk)}"
        )
        parts = cache.get(parts_key)
        if parts is None:
            meeting = _meeting_kept(meeting_pk)
            setup = meeting.setup or meeting_setup_build(meeting)
            parts = {"meeting": meeting, **_room_parts(meeting, setup, kept=True)}
            cache.set(parts_key, parts, LIVE_VERSION_SECONDS)
        else:
            meeting = _meeting_now(meeting_pk, parts["meeting"])
            setup = meeting.setup or meeting_setup_build(meeting)
        room = _room(meeting, parts, setup)
        cache.set(key, room, LIVE_VERSION_SECONDS)
    return room


def meeting_live(
    meeting: Meeting, actor: User | AnonymousUser, room: dict | None = None
) -> dict:
    """Everything the live page shows one person: the room (`live_room`) and
    this person's actions, from the cache keyed by the event count."""
    room = room or live_room(meeting)
    setup, outcome, people = room["setup"], room["outcome"], room["people"]
    me = member_id(actor.pk) if actor.is_authenticated else None
    actions = meeting_actions(meeting, actor) if me in people else []
    state = outcome["meeting"]
    is_chair = is_presiding(actor, meeting, outcome)
    moves = [
        a for a in actions if a["type"] == "move" and a["motion"] != "take_from_table"
    ]
    may_take = {
        a["applies_to"]
        for a in actions
        if a["type"] == "move" and a["motion"] == "take_from_table"
    }
    kinds = {a["type"] for a in actions}
    may_call_up = {a["applies_to"] for a in actions if a["type"] == "call_up"}
    may_remove = {a["item"] for a in actions if a["type"] == "remove_from_calendar"}
    pending = [
        {
            **question,
            "text": motion_wording(outcome, question["id"]),
            "label": motion_label(question["motion"]),
            "state_label": PHASE_LABELS.get(
                motion_phase(outcome["motions"].get(question["id"], question)),
                state_label(question["state"]),
            ),
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
            "state_label": PHASE_LABELS[motion_phase(motion)],
        }
        for key, motion in outcome["motions"].items()
        if motion["state"] == "MOVED"
    ]
    agenda, shortfall, queue = room["agenda"], room["shortfall"], room["queue"]
    mains = [q for q in pending if q["motion"] == "main" and q["proposal"]]
    grants = {str(item.proposal_id): item.proposal for item in agenda}
    # Warned before the question is put (issue 12 §2): a grant moved for
    # more than its proposal asks now (a tabled motion keeps the amount of
    # the version it was made on).
    over_asked = [
        {
            "id": q["id"],
            "title": grants[q["proposal"]].title,
            "amount": cny(q["amount"]),
            "asked": grants[q["proposal"]].requested_amount,
        }
        for q in mains
        if q["amount"]
        and q["proposal"] in grants
        and cny(q["amount"]) > grants[q["proposal"]].requested_amount
    ]
    in_queue = any(request.member_id == actor.pk for request in queue)
    offered = console(
        kinds, is_chair=is_chair, in_queue=in_queue, queue_waiting=bool(queue)
    )
    recusals = setup.get("recusals", {})
    # Recused by the setup (proposer, team, named beneficiary) or by an
    # interest declared in the meeting's log.
    recused_from = sorted(
        {p for p, ids in recusals.items() if me in ids}
        | {
            entry["proposal"]
            for entry in outcome.get("interests", [])
            if entry["member"] == me
        }
    )
    # This meeting's own results (the log may continue an earlier meeting's).
    decisions = [
        {**d, "index": index}
        for index, d in enumerate(outcome["decisions"])
        if d.get("meeting", 1) == state["number"]
    ]
    last_decision = (
        {
            **decisions[-1],
            "label": motion_label(decisions[-1]["motion"])
            if decisions[-1]["motion_id"] is not None
            else METHOD_LABELS["unanimous_consent"],
            "text": motion_wording(outcome, decisions[-1]["motion_id"])
            or decisions[-1]["text"],
        }
        if decisions
        else None
    )
    voting = vote_open(outcome)
    # The question before the meeting concerns a proposal this member is
    # recused from (declared interest, team, named beneficiary): no vote
    # form for them, but a word that says why.
    question = voting or (pending[-1] if pending else None)
    subject = outcome["motions"].get(question["id"], {}) if question else {}
    recused_now = str(subject.get("proposal")) in recused_from
    vote_choices = [a["choice"] for a in actions if a["type"] == "vote"]
    # This member's choice in the vote open now (the engine's, no query).
    voted = outcome.get("cast", {}).get(me) if voting and me in people else None
    return {
        "outcome": outcome,
        "news": meeting_news(outcome, last_decision)
        + [
            (
                f"w{grant['id']}:{grant['amount']}",
                _("More than the proposal now asks: %(amount)s")
                % {"amount": grant["amount"]},
            )
            for grant in over_asked
        ],
        # The vote buttons stay on the page while a question is before the
        # meeting, so they never move under a finger; until the vote opens
        # (or for someone who may not vote) pressing one says why not.
        "vote_buttons": bool(me in people and (vote_choices or not is_chair))
        and bool(voting or pending or awaiting)
        and not recused_now,
        "recused_now": recused_now,
        "vote_ready": bool(vote_choices),
        "my_vote": CHOICE_LABELS.get(voted, voted) if voted else None,
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
        # The registry's actions offered now: buttons for those without
        # fields, and every motion in order with only its fields.
        "offered": {action.name for action in offered},
        # Leaving is a small control of its own, confirmed (issue 12 §2).
        "buttons": [
            action for action in offered if not action.fields and action.name != "leave"
        ],
        "adjourned": state["state"] == "ADJOURNED",
        "moves": moves,
        "menu": motion_menu(
            [move for move in moves if move["motion"] in MOTION_FIELDS],
            outcome,
            pending=pending,
            agenda=agenda,
        ),
        "vote_choices": vote_choices or ["yes", "no", "abstain"],
        "vote_open": voting,
        "last_decision": last_decision,
        "shortfall": shortfall,
        "over_asked": over_asked,
        "recused_from": recused_from,
        "methods": METHOD_LABELS,
        "agenda_proposals": agenda,
        "in_queue": in_queue,
        "refer_to": _references(outcome) if moves else [],
        "carried": carried_business(outcome, may_take),
        "reconsiderations": _reconsiderations(outcome, may_call_up),
        "allows": list(ALLOWS_LABELS.items()),
        "move_names": {move["motion"] for move in moves},
        "calendar": [
            {**item, "may_remove": item["id"] in may_remove}
            for item in outcome.get("consent_calendar", [])
        ],
        "ruling_codes": _ruling_codes() if is_chair else [],
    }


# The motions most used first (issue 12 §2); the rest in the registry's order.
COMMON_MOTIONS = (
    "main",
    "amend",
    "refer",
    "postpone_definitely",
    "lay_on_table",
    "previous_question",
    "limit_debate",
    "postpone_indefinitely",
    "adjourn",
    "recess",
)
# Motions whose `applies_to` names a motion on the floor (not a decision).
FLOOR_REFERENCES = ("point_of_order", "request_to_withdraw")


def motion_menu(
    moves: list[dict],
    outcome: dict,
    *,
    pending: list[dict],
    agenda: list[AgendaItem],
) -> list[dict]:
    """The motions in order now, one entry each, with only their fields and
    the wording the meeting already knows.

    A motion the engine offers for several decisions (reconsider, rescind,
    amend what was adopted) is one entry listing each decision once, by its
    wording; an amendment starts from the wording and amount of the question
    it amends; a main motion from the next proposal on the agenda and what
    it asks now.
    """
    by_name: dict[str, dict] = {}
    for move in moves:
        name = move["motion"]
        entry = by_name.setdefault(
            name,
            {
                "motion": name,
                "label": motion_label(name),
                "fields": [
                    field.name
                    for field in MOTION_FIELDS[name]
                    if field.name not in ("applies_to", "method")
                ],
                "targets": [],
                "methods": [],
                "prefill": {},
            },
        )
        if move.get("applies_to") is not None:
            target = move["applies_to"]
            if target not in (t["id"] for t in entry["targets"]):
                entry["targets"].append(
                    {
                        "id": target,
                        "label": _target_label(outcome, name, target),
                        **_decision_wording(outcome, name, target),
                    }
                )
        if move.get("method"):
            entry["methods"].append((move["method"], METHOD_LABELS[move["method"]]))
    for name, entry in by_name.items():
        if name in FLOOR_REFERENCES:
            entry["targets"] = [
                {"id": q["id"], "label": f"{q['label']}: {q['text']}"}
                for q in reversed(pending)
            ]
        if name in DECISION_WORDING and entry["targets"]:
            # The first decision's; choosing another fills in its own (live.js).
            first = entry["targets"][0]
            entry["prefill"]["text"] = first["wording"]
            if first["amount"]:
                entry["prefill"]["amount"] = first["amount"]
    immediate = pending[-1] if pending else None
    if "amend" in by_name and immediate is not None:
        amend = by_name["amend"]
        amend["prefill"] = {
            "new_text": immediate["text"],
            "amount": immediate.get("amount") or "",
        }
        # The time of a postponement is amended only on a postponement.
        if immediate["motion"] == "postpone_definitely":
            row = outcome["motions"].get(immediate["id"]) or {}
            amend["prefill"]["until"] = row.get("until") or "next_meeting"
        else:
            amend["fields"] = [name for name in amend["fields"] if name != "until"]
    if "main" in by_name:
        decided = {
            str(d.get("proposal")) for d in outcome["decisions"] if d.get("proposal")
        }
        waiting = [item for item in agenda if str(item.proposal_id) not in decided]
        if waiting:
            proposal = waiting[0].proposal
            by_name["main"]["prefill"] = {
                "proposal": proposal.pk,
                "amount": proposal.requested_amount,
                "text": _("That the council fund “%(title)s”")
                % {"title": proposal.title},
            }
    order = {name: index for index, name in enumerate(COMMON_MOTIONS)}
    return sorted(
        by_name.values(),
        key=lambda entry: (order.get(entry["motion"], len(order)),),
    )


# Motions that bring back a decision, whose own form starts from its wording.
DECISION_WORDING = ("amend_previously_adopted",)


def _decision_wording(outcome: dict, motion: str, target) -> dict:
    """The wording and amount of the decision a motion would amend."""
    if motion not in DECISION_WORDING:
        return {}
    decisions = outcome["decisions"]
    decision = decisions[target] if 0 <= target < len(decisions) else {}
    row = outcome["motions"].get(decision.get("motion_id")) or {}
    return {
        "wording": motion_wording(outcome, decision.get("motion_id"))
        or decision.get("text")
        or "",
        "amount": decision.get("amount") or row.get("amount") or "",
    }


def _target_label(outcome: dict, motion: str, target) -> str:
    """A decision (by index) or a motion (by id) that a motion applies to,
    by its wording."""
    if motion in ("reconsider", "rescind", "amend_previously_adopted"):
        decisions = outcome["decisions"]
        decision = decisions[target] if 0 <= target < len(decisions) else {}
        wording = motion_wording(outcome, decision.get("motion_id")) or decision.get(
            "text", ""
        )
        result = RESULT_LABELS.get(decision.get("result"), decision.get("result"))
        return f"“{wording}” ({result})" if result else f"“{wording}”"
    wording = motion_wording(outcome, target)
    motion_row = outcome["motions"].get(target) or outcome["motions"].get(
        str(target), {}
    )
    label = motion_label(motion_row["motion"]) if motion_row.get("motion") else ""
    return f"{label}: “{wording}”" if label else f"“{wording}”"


def console(
    kinds: set[str], *, is_chair: bool, in_queue: bool, queue_waiting: bool
) -> list[MeetingAction]:
    """The registry's actions one person is offered now, in its order.

    `kinds` are the types of the events the engine would accept from them
    now (selectors.meeting_actions). The chair's actions only to whoever
    presides; seeking the floor to a member not in the queue yet; the chair
    recognises someone waiting in it.
    """
    offered = []
    for action in ACTIONS.values():
        if action.name == "seek_floor":
            shown = "floor" in kinds and not is_chair and not in_queue
        elif action.name == "recognise":
            shown = is_chair and queue_waiting
        elif action.giver == CHAIR:
            shown = is_chair and action.event in kinds
        elif action.giver == MEMBER:
            shown = action.event in kinds and (action.for_chair or not is_chair)
        else:
            shown = False
        if shown:
            offered.append(action)
    return offered


def carried_business(outcome: dict, may_take: set | frozenset = frozenset()) -> list:
    """Business carried into the meeting that is before it or can be now:
    general orders (taken up by the chair's "state" with nothing pending, in
    this order) and motions on the table (taken from it by a motion, B1)."""
    items = []
    for item in unfinished_at(outcome, outcome["meeting"]["number"]):
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
    return [(code, refusal_message(code)) for code in RULING_CODES]


def _reconsiderations(outcome: dict, may_call_up: set) -> list[dict]:
    """Motions to reconsider made and not yet called up (B4), each with the
    vote it would reconsider."""
    decisions = outcome["decisions"]
    items = []
    for entry in outcome.get("reconsiderations", []):
        index = entry["applies_to"]
        decision = decisions[index] if 0 <= index < len(decisions) else {}
        items.append(
            {
                "id": entry["id"],
                "text": decision.get("text") or "",
                "result": decision.get("result") or "",
                "may_call_up": entry["id"] in may_call_up,
            }
        )
    return items


def _references(outcome: dict) -> list[dict]:
    """What a point of order, an appeal, reconsider or rescind may name.

    Motions on the floor or ruled on (by id), and decisions (by index).
    """
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
            "id": item["id"],
            "label": _("General order: “%(text)s”") % {"text": item["text"]},
        }
        for item in carried_business(outcome)
        if item["kind"] == "order"
    ]
    for index, decision in enumerate(outcome["decisions"]):
        here = decision.get("meeting", 1) == number
        if not here and not (
            decision["motion"] == "main" and decision["result"] == "adopted"
        ):
            continue  # Only this meeting's votes, and grants adopted before it.
        wording = motion_wording(outcome, decision["motion_id"]) or decision["text"]
        if here:
            label = _("Decision %(number)s: %(motion)s “%(text)s” %(result)s") % {
                "number": index,
                "motion": motion_label(decision["motion"]),
                "text": wording or "",
                "result": RESULT_LABELS.get(decision["result"], decision["result"]),
            }
        else:
            label = _("Adopted at an earlier meeting: “%(text)s”") % {
                "text": wording or ""
            }
        refs.append({"id": index, "label": label})
    return refs
