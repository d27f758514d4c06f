"""Every action taken in a meeting: `meeting_act` takes any action of the
registry (councils/actions.py), builds its event of the engine's log
(ROBERTS_RULES §1) and appends it through `meeting_event_append`, which
checks who gives it and asks the engine whether it is in order.

The named services below (`motion_second`, `vote_cast`, ...) say the same in
the words of scripts and tests; a new action needs none.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fundapp import clock
from fundapp.idempotency import derived_key
from fundapp.models import User
from proposals.models import Proposal

from ..actions import ACTIONS, MOTION_FIELDS, MOVE
from ..live_version import live_version_bump_on_commit
from ..models import FloorRequest, Meeting, MeetingEvent
from ..refusals import refusal_message
from ..selectors import meeting_outcome, member_id, outcome_motion
from .events import meeting_event_append


def _require_on_agenda(meeting: Meeting, proposal: Proposal) -> None:
    if not meeting.agenda_items.filter(proposal=proposal).exists():
        raise ValidationError(_("This proposal is not on the agenda."))


INTEREST_REASON_LIMIT = 200


def meeting_act(
    *, meeting: Meeting, actor: User, action: str, idempotency_key: str, **values
) -> MeetingEvent | FloorRequest:
    """Take one action of the registry in the meeting, as `actor`.

    `values` are the action's fields (for a motion, `motion` and that
    motion's), each of its type: an amount is a Decimal, a proposal a
    Proposal on the meeting's agenda, a member a User. Refuses an unknown
    action or motion and a missing field (ValidationError); a field the
    action does not take, or a value of another type, is a programming
    error (TypeError). Returns the stored event (or, for seeking the floor,
    the speakers' queue entry).
    """
    declared = ACTIONS.get(action)
    if declared is None:
        raise ValidationError(_("This is not an action of a meeting."))
    if action == MOVE and values.get("motion") not in MOTION_FIELDS:
        raise ValidationError(_("Choose a motion."))
    fields = {field.name: field for field in declared.fields_for(values.get("motion"))}
    unknown = set(values) - set(fields)
    if unknown:
        raise TypeError(f"{action} takes no {', '.join(sorted(unknown))}.")
    for name, field in fields.items():
        value = values.get(name)
        if field.is_empty(value):
            if field.required:
                raise ValidationError(_("This action is incomplete."))
        elif not isinstance(value, field.kind):
            raise TypeError(f"{action}: {name} is a {field.kind}, not {value!r}.")
    if values.get("proposal") is not None:
        _require_on_agenda(meeting, values["proposal"])
    if declared.event is None:
        return floor_seek(meeting=meeting, member=actor)
    return meeting_event_append(
        meeting=meeting,
        actor=actor,
        event=declared.build(actor, values),
        idempotency_key=idempotency_key,
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
    live_version_bump_on_commit(meeting.pk)
    return request


def meeting_check_in(
    *, meeting: Meeting, member: User, idempotency_key: str
) -> MeetingEvent:
    """The member checks in: present from now, counted for quorum."""
    return meeting_act(
        meeting=meeting, actor=member, action="arrive", idempotency_key=idempotency_key
    )


def meeting_leave(
    *, meeting: Meeting, member: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting, actor=member, action="leave", idempotency_key=idempotency_key
    )


def meeting_call_to_order(
    *, meeting: Meeting, chair: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting,
        actor=chair,
        action="call_to_order",
        idempotency_key=idempotency_key,
    )


def chair_hand_over(
    *, meeting: Meeting, chair: User, to: User, idempotency_key: str
) -> MeetingEvent:
    """Another member takes the chair (e.g. the chair is recused)."""
    return meeting_act(
        meeting=meeting,
        actor=chair,
        action="hand_over",
        idempotency_key=idempotency_key,
        member=to,
    )


def floor_recognise(
    *, meeting: Meeting, chair: User, member: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting,
        actor=chair,
        action="recognise",
        idempotency_key=idempotency_key,
        member=member,
    )


def floor_yield(
    *, meeting: Meeting, member: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting, actor=member, action="yield", idempotency_key=idempotency_key
    )


def motion_move(
    *,
    meeting: Meeting,
    member: User,
    motion: str,
    idempotency_key: str,
    **fields,
) -> MeetingEvent:
    """Make a motion with its fields (councils.actions.MOTION_FIELDS). A
    motion about a proposal needs the proposal on the agenda."""
    return meeting_act(
        meeting=meeting,
        actor=member,
        action=MOVE,
        idempotency_key=idempotency_key,
        motion=motion,
        **fields,
    )


def motion_second(
    *, meeting: Meeting, member: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting, actor=member, action="second", idempotency_key=idempotency_key
    )


def motion_withdraw(
    *, meeting: Meeting, member: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting,
        actor=member,
        action="withdraw",
        idempotency_key=idempotency_key,
    )


def debate_speak(
    *, meeting: Meeting, member: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting, actor=member, action="speak", idempotency_key=idempotency_key
    )


def motion_no_second(
    *, meeting: Meeting, chair: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting,
        actor=chair,
        action="no_second",
        idempotency_key=idempotency_key,
    )


def motion_state(
    *, meeting: Meeting, chair: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting, actor=chair, action="state", idempotency_key=idempotency_key
    )


def question_put(
    *, meeting: Meeting, chair: User, method: str, idempotency_key: str
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting,
        actor=chair,
        action="put_question",
        idempotency_key=idempotency_key,
        method=method,
    )


def interest_declare(
    *,
    meeting: Meeting,
    member: User,
    proposal: Proposal,
    reason: str = "",
    idempotency_key: str,
) -> MeetingEvent:
    """The member declares an interest in a proposal on the agenda.

    Before the meeting or during it: recorded as an event of the meeting's
    log (`declare_interest`), after which the engine recuses the member from
    the proposal's questions, as it does its proposers; the minutes list it.
    Only a member of the meeting, for themselves; refused after adjournment
    and for an interest already recused (the engine's codes).
    """
    reason = reason.strip()
    if len(reason) > INTEREST_REASON_LIMIT:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say it in at most %(limit)s characters.")
                    % {"limit": INTEREST_REASON_LIMIT},
                    code="too_long",
                )
            }
        )
    return meeting_act(
        meeting=meeting,
        actor=member,
        action="declare_interest",
        idempotency_key=idempotency_key,
        proposal=proposal,
        text=reason,
    )


def vote_cast(
    *, meeting: Meeting, member: User, choice: str, idempotency_key: str
) -> MeetingEvent:
    """Cast or change a vote on the question being voted on.

    The engine refuses absent, recused and non-voting members, and votes
    after the announcement; the Vote table keeps one row per member per
    question.
    """
    return meeting_act(
        meeting=meeting,
        actor=member,
        action="vote",
        idempotency_key=idempotency_key,
        choice=choice,
    )


def vote_announce(
    *, meeting: Meeting, chair: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting,
        actor=chair,
        action="announce",
        idempotency_key=idempotency_key,
    )


def consent_ask(
    *, meeting: Meeting, chair: User, idempotency_key: str, text: str = ""
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting,
        actor=chair,
        action="unanimous_consent",
        idempotency_key=idempotency_key,
        text=text,
    )


def consent_object(
    *, meeting: Meeting, member: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting, actor=member, action="object", idempotency_key=idempotency_key
    )


def chair_rule(
    *,
    meeting: Meeting,
    chair: User,
    well_taken: bool,
    reasons: str,
    idempotency_key: str,
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting,
        actor=chair,
        action="rule",
        idempotency_key=idempotency_key,
        well_taken=well_taken,
        reasons=reasons,
    )


def chair_rule_out_of_order(
    *, meeting: Meeting, chair: User, code: str, reasons: str, idempotency_key: str
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting,
        actor=chair,
        action="rule_out_of_order",
        idempotency_key=idempotency_key,
        code=code,
        reasons=reasons,
    )


def meeting_reconvene(
    *, meeting: Meeting, chair: User, idempotency_key: str
) -> MeetingEvent:
    return meeting_act(
        meeting=meeting,
        actor=chair,
        action="reconvene",
        idempotency_key=idempotency_key,
    )


def reconsider_call_up(
    *, meeting: Meeting, member: User, applies_to: int, idempotency_key: str
) -> MeetingEvent:
    """Call up a motion to reconsider made earlier in the session (B4)."""
    return meeting_act(
        meeting=meeting,
        actor=member,
        action="call_up",
        idempotency_key=idempotency_key,
        applies_to=applies_to,
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
    return meeting_act(
        meeting=meeting,
        actor=chair,
        action="calendar_add",
        idempotency_key=idempotency_key,
        text=text,
        proposal=proposal,
        amount=amount,
    )


def calendar_remove(
    *, meeting: Meeting, member: User, item: int, idempotency_key: str
) -> MeetingEvent:
    """One member's request takes an item off the consent calendar (U2)."""
    return meeting_act(
        meeting=meeting,
        actor=member,
        action="calendar_remove",
        idempotency_key=idempotency_key,
        item=item,
    )


def decision_mark_executed(
    *,
    meeting: Meeting,
    decision_index: int,
    actor: User,
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
    return meeting_act(
        meeting=meeting,
        actor=actor,
        action="executed",
        idempotency_key=idempotency_key,
        applies_to=int(decision_index),
    )


def proposal_grant_paid(*, proposal: Proposal, actor: User) -> MeetingEvent | None:
    """Tell the council that the grant it adopted for `proposal` is being paid.

    Finds, in the council's latest held meeting, the last adopted decision
    that funds the proposal (its own or one given in the setup as adopted
    earlier) and records it carried out (`decision_mark_executed`), so it can
    no longer be reconsidered or rescinded. Returns None when no log that a
    meeting can still act on holds it. For the projects app to call at a
    grant's first payment; `actor` needs `councils.manage_council`.
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
    return decision_mark_executed(meeting=latest, decision_index=found, actor=actor)
