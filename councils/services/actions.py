"""Every action taken in a meeting, by name: each builds one event of the
engine's log (ROBERTS_RULES §1) and appends it through
`meeting_event_append`, which checks it with the engine first.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fundapp import clock
from fundapp.money import cny

from ..models import FloorRequest, Meeting, MeetingEvent
from ..refusals import refusal_message
from ..selectors import meeting_outcome, member_id
from .events import meeting_event_append


def _require_on_agenda(meeting, proposal_pk) -> None:
    if not meeting.agenda_items.filter(proposal_pk=proposal_pk).exists():
        raise ValidationError(_("This proposal is not on the agenda."))


def _mine(actor, **fields) -> dict:
    return {"member": member_id(actor.pk), **fields}


def meeting_check_in(*, meeting, member, idempotency_key) -> MeetingEvent:
    """The member checks in: present from now, counted for quorum."""
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="arrive"),
    )


def meeting_leave(*, meeting, member, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="leave"),
    )


def meeting_call_to_order(*, meeting, chair, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "call_to_order", "chair": member_id(chair.pk)},
    )


def chair_hand_over(*, meeting, chair, to, idempotency_key) -> MeetingEvent:
    """Another member takes the chair (e.g. the chair is recused)."""
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "chair", "member": member_id(to.pk)},
    )


def floor_seek(*, meeting: Meeting, member) -> FloorRequest:
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


def floor_recognise(*, meeting, chair, member, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "floor", "member": member_id(member.pk)},
    )


def floor_yield(*, meeting, member, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="yield"),
    )


def motion_move(
    *,
    meeting,
    member,
    motion: str,
    idempotency_key,
    text: str = "",
    proposal_pk: int | None = None,
    amount=None,
    applies_to=None,
    until=None,
    previous_notice: bool = False,
    **extra,
) -> MeetingEvent:
    """Make a motion. A motion about a proposal needs the proposal on the agenda."""
    event = _mine(member, type="move", motion=motion)
    if text:
        event["text"] = text
    if proposal_pk is not None:
        _require_on_agenda(meeting, proposal_pk)
        event["proposal"] = str(proposal_pk)
    if amount not in (None, ""):
        event["amount"] = str(cny(amount))
    if applies_to not in (None, ""):
        event["applies_to"] = int(applies_to)
    if until not in (None, ""):
        event["until"] = until
    if previous_notice:
        event["previous_notice"] = True
    event.update(
        {key: value for key, value in extra.items() if value not in (None, "")}
    )
    return meeting_event_append(
        meeting=meeting, actor=member, event=event, idempotency_key=idempotency_key
    )


def motion_second(*, meeting, member, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="second"),
    )


def motion_withdraw(*, meeting, member, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="withdraw"),
    )


def debate_speak(*, meeting, member, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="speak"),
    )


def motion_no_second(*, meeting, chair, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "no_second"},
    )


def motion_state(*, meeting, chair, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "state"},
    )


def question_put(*, meeting, chair, method: str, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "put_question", "method": method},
    )


def vote_cast(*, meeting, member, choice: str, idempotency_key) -> MeetingEvent:
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


def vote_announce(*, meeting, chair, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "announce"},
    )


def consent_ask(*, meeting, chair, idempotency_key, text: str = "") -> MeetingEvent:
    event = {"type": "unanimous_consent"}
    if text:
        event["text"] = text
    return meeting_event_append(
        meeting=meeting, actor=chair, idempotency_key=idempotency_key, event=event
    )


def consent_object(*, meeting, member, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="object"),
    )


def chair_rule(
    *, meeting, chair, well_taken: bool, reasons: str, idempotency_key
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "rule", "well_taken": bool(well_taken), "reasons": reasons},
    )


def chair_rule_out_of_order(
    *, meeting, chair, code: str, reasons: str, idempotency_key
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "rule_out_of_order", "code": code, "reasons": reasons},
    )


def meeting_reconvene(*, meeting, chair, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "reconvene"},
    )


def reconsider_call_up(*, meeting, member, applies_to: int, idempotency_key):
    """Call up a motion to reconsider made earlier in the session (B4)."""
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="call_up", applies_to=int(applies_to)),
    )


def calendar_add(
    *, meeting, chair, idempotency_key, text: str, proposal_pk=None, amount=None
) -> MeetingEvent:
    """The chair puts a routine item on the consent calendar (U2)."""
    event = {"type": "consent_calendar", "text": text}
    if proposal_pk not in (None, ""):
        _require_on_agenda(meeting, proposal_pk)
        event["proposal"] = str(proposal_pk)
    if amount not in (None, ""):
        event["amount"] = str(cny(amount))
    return meeting_event_append(
        meeting=meeting, actor=chair, idempotency_key=idempotency_key, event=event
    )


def calendar_remove(*, meeting, member, item: int, idempotency_key) -> MeetingEvent:
    """One member's request takes an item off the consent calendar (U2)."""
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="remove_from_calendar", item=int(item)),
    )
