"""Every action taken in a meeting, by name: each builds one event of the
engine's log (ROBERTS_RULES §1) and appends it through
`meeting_event_append`, which checks it with the engine first.

An amount is a Decimal here; the event, which the engine replays from JSON,
holds it as the text of that Decimal (e.g. "9600.00").
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fundapp import clock
from fundapp.idempotency import derived_key
from fundapp.models import User
from fundapp.money import parse_amount
from proposals.models import Proposal

from ..models import FloorRequest, Meeting, MeetingEvent
from ..refusals import refusal_message
from ..selectors import meeting_outcome, member_id, outcome_motion
from .events import meeting_event_append


def _require_on_agenda(meeting: Meeting, proposal: Proposal) -> None:
    if not meeting.agenda_items.filter(proposal=proposal).exists():
        raise ValidationError(_("This proposal is not on the agenda."))


def _amount_text(amount: Decimal) -> str:
    """The amount as the event holds it; refuses what is not money."""
    if not isinstance(amount, Decimal):
        raise TypeError("An amount is a Decimal.")
    return str(parse_amount(amount))


def _mine(actor: User, **fields) -> dict:
    return {"member": member_id(actor.pk), **fields}


def meeting_check_in(
    *, meeting: Meeting, member: User, idempotency_key: str
) -> MeetingEvent:
    """The member checks in: present from now, counted for quorum."""
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="arrive"),
    )


def meeting_leave(
    *, meeting: Meeting, member: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="leave"),
    )


def meeting_call_to_order(
    *, meeting: Meeting, chair: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "call_to_order", "chair": member_id(chair.pk)},
    )


def chair_hand_over(
    *, meeting: Meeting, chair: User, to: User, idempotency_key: str
) -> MeetingEvent:
    """Another member takes the chair (e.g. the chair is recused)."""
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "chair", "member": member_id(to.pk)},
    )


def floor_seek(*, meeting: Meeting, member: User) -> FloorRequest:
    """Join the speakers' queue (not an event: the chair's `floor` is)."""
    outcome = meeting_outcome(meeting)
    if member_id(member.pk) not in outcome["meeting"]["present"]:
        raise ValidationError(refusal_message("NOT_PRESENT"), code="NOT_PRESENT")
    request, _created = FloorRequest.objects.get_or_create(
        meeting=meeting,
        member=member,
        closed_at__isnull=True,
        defaults={"requested_at": clock.now()},
    )
    return request


def floor_recognise(
    *, meeting: Meeting, chair: User, member: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "floor", "member": member_id(member.pk)},
    )


def floor_yield(
    *, meeting: Meeting, member: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="yield"),
    )


def motion_move(
    *,
    meeting: Meeting,
    member: User,
    motion: str,
    idempotency_key: str,
    text: str = "",
    proposal: Proposal | None = None,
    amount: Decimal | None = None,
    applies_to: int | None = None,
    until: str | None = None,
    previous_notice: bool = False,
    **extra,
) -> MeetingEvent:
    """Make a motion. A motion about a proposal needs the proposal on the agenda."""
    event = _mine(member, type="move", motion=motion)
    if text:
        event["text"] = text
    if proposal is not None:
        _require_on_agenda(meeting, proposal)
        event["proposal"] = str(proposal.pk)
    if amount is not None:
        event["amount"] = _amount_text(amount)
    if applies_to is not None:
        event["applies_to"] = int(applies_to)
    if until:
        event["until"] = until
    if previous_notice:
        event["previous_notice"] = True
    event.update(
        {key: value for key, value in extra.items() if value not in (None, "")}
    )
    return meeting_event_append(
        meeting=meeting, actor=member, event=event, idempotency_key=idempotency_key
    )


def motion_second(
    *, meeting: Meeting, member: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="second"),
    )


def motion_withdraw(
    *, meeting: Meeting, member: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="withdraw"),
    )


def debate_speak(
    *, meeting: Meeting, member: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="speak"),
    )


def motion_no_second(
    *, meeting: Meeting, chair: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "no_second"},
    )


def motion_state(
    *, meeting: Meeting, chair: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "state"},
    )


def question_put(
    *, meeting: Meeting, chair: User, method: str, idempotency_key: str
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "put_question", "method": method},
    )


def vote_cast(
    *, meeting: Meeting, member: User, choice: str, idempotency_key: str
) -> MeetingEvent:
    """Cast or change a vote on the question being voted on.

    The engine refuses absent, recused and non-voting members, and votes
    after the announcement; the Vote table keeps one row per member per
    question.
    """
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="vote", choice=choice),
    )


def vote_announce(
    *, meeting: Meeting, chair: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "announce"},
    )


def consent_ask(
    *, meeting: Meeting, chair: User, idempotency_key: str, text: str = ""
) -> MeetingEvent:
    event = {"type": "unanimous_consent"}
    if text:
        event["text"] = text
    return meeting_event_append(
        meeting=meeting, actor=chair, idempotency_key=idempotency_key, event=event
    )


def consent_object(
    *, meeting: Meeting, member: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="object"),
    )


def chair_rule(
    *,
    meeting: Meeting,
    chair: User,
    well_taken: bool,
    reasons: str,
    idempotency_key: str,
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "rule", "well_taken": bool(well_taken), "reasons": reasons},
    )


def chair_rule_out_of_order(
    *, meeting: Meeting, chair: User, code: str, reasons: str, idempotency_key: str
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "rule_out_of_order", "code": code, "reasons": reasons},
    )


def meeting_reconvene(
    *, meeting: Meeting, chair: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "reconvene"},
    )


def reconsider_call_up(
    *, meeting: Meeting, member: User, applies_to: int, idempotency_key: str
) -> MeetingEvent:
    """Call up a motion to reconsider made earlier in the session (B4)."""
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="call_up", applies_to=int(applies_to)),
    )


def calendar_add(
    *,
    meeting: Meeting,
    chair: User,
    idempotency_key: str,
    text: str,
    proposal: Proposal | None = None,
    amount: Decimal | None = None,
) -> MeetingEvent:
    """The chair puts a routine item on the consent calendar (U2)."""
    event = {"type": "consent_calendar", "text": text}
    if proposal is not None:
        _require_on_agenda(meeting, proposal)
        event["proposal"] = str(proposal.pk)
    if amount is not None:
        event["amount"] = _amount_text(amount)
    return meeting_event_append(
        meeting=meeting, actor=chair, idempotency_key=idempotency_key, event=event
    )


def calendar_remove(
    *, meeting: Meeting, member: User, item: int, idempotency_key: str
) -> MeetingEvent:
    """One member's request takes an item off the consent calendar (U2)."""
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="remove_from_calendar", item=int(item)),
    )


def decision_mark_executed(
    *,
    meeting: Meeting,
    decision_index: int,
    executed_by: User,
    idempotency_key: str | None = None,
) -> MeetingEvent | None:
    """Record that an adopted decision was carried out (the grant was paid).

    Appends the engine's `executed` event, so the decision can no longer be
    reconsidered or rescinded (ROBERTS_RULES §2.3). `decision_index` is the
    decision's index in the outcome of `meeting`, the meeting that took it.
    The event goes to the council's latest held meeting, because earlier
    logs never change once a later meeting has begun (councils/logs.py);
    if that meeting's log does not reach back to the decision, nothing can
    reconsider or rescind it any more and nothing is recorded (None). For
    the app that pays grants to call when one is paid; needs
    `councils.manage_council` (the community's social worker). The default
    idempotency key makes a retry a no-op.
    """
    idempotency_key = idempotency_key or derived_key(
        "councils.executed", meeting.pk, int(decision_index)
    )
    latest = (
        Meeting.objects.filter(council_id=meeting.council_id, event_count__gt=0)
        .order_by("-number")
        .first()
    )
    if latest is not None and latest.pk != meeting.pk:
        chain_start = meeting.log_from_id or meeting.pk
        if (latest.log_from_id or latest.pk) != chain_start:
            return None
        # The same log, longer: the decision keeps its index in it.
        meeting = latest
    return meeting_event_append(
        meeting=meeting,
        actor=executed_by,
        idempotency_key=idempotency_key,
        event={"type": "executed", "applies_to": int(decision_index)},
    )


def proposal_grant_paid(*, proposal: Proposal, paid_by: User) -> MeetingEvent | None:
    """Tell the council that the grant it adopted for `proposal` is being paid.

    Finds, in the council's latest held meeting, the last adopted decision
    that funds the proposal (its own or one given in the setup as adopted
    earlier) and records it carried out (`decision_mark_executed`), so it can
    no longer be reconsidered or rescinded. Returns None when no log that a
    meeting can still act on holds it. For the projects app to call at a
    grant's first payment; `paid_by` needs `councils.manage_council`.
    """
    latest = (
        Meeting.objects.filter(
            council__community_id=proposal.community_id, event_count__gt=0
        )
        .order_by("-number")
        .first()
    )
    if latest is None:
        return None
    outcome = meeting_outcome(latest)
    found = None
    for index, decision in enumerate(outcome["decisions"]):
        motion = outcome_motion(outcome, decision.get("motion_id"))
        if (
            decision.get("motion") == "main"
            and decision.get("result") == "adopted"
            and str(motion.get("proposal")) == str(proposal.pk)
        ):
            found = index
    if found is None:
        return None
    return decision_mark_executed(
        meeting=latest, decision_index=found, executed_by=paid_by
    )
