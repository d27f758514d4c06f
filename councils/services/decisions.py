"""Decisions on proposals take effect; a decision is marked carried out."""

from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Meeting, MeetingEvent
from ..wording import state_label

EFFECTIVELY_ADOPTED = frozenset({"ADOPTED", "RECONSIDERATION_PENDING"})
PROPOSAL_OUTCOMES = {
    "LOST": "rejected",
    "POSTPONED_INDEFINITELY": "rejected",
    "NOT_CONSIDERED": "rejected",
    "POSTPONED": "postponed",
    "REFERRED": "referred",
    "LAID_ON_TABLE": "tabled",
}


def decisions_apply(
    *, meeting: Meeting, before: dict, after: dict, row: MeetingEvent, actor
) -> None:
    """Carry out what this event decided about proposals (issue 4, point 5).

    Compares each main motion about a proposal before and after the event:
    adopted → approved with the amount as finally amended (commits the
    money; a shortfall raises and rolls the event back); lost or killed →
    rejected; postponed, referred or laid on the table → said so; an adopted
    motion reconsidered or rescinded → the decision is undone.
    """
    changes = []
    before_motions = {str(key): value for key, value in before["motions"].items()}
    for key, motion in after["motions"].items():
        if motion["motion"] != "main" or motion.get("proposal") in (None, ""):
            continue
        old_state = before_motions.get(str(key), {}).get("state")
        new_state = motion["state"]
        if old_state == new_state:
            continue
        changes.append((str(key), motion, old_state, new_state))
    if not changes:
        return
    from proposals import services as proposal_services

    Proposal = apps.get_model("proposals", "Proposal")  # noqa: N806
    for key, motion, old_state, new_state in changes:
        proposal = Proposal.objects.get(pk=int(motion["proposal"]))
        reference = f"{meeting.council.community.code}-{meeting.number}#{int(key) + 1}"
        idempotency = f"councils:{meeting.pk}:{row.sequence}:{key}"
        if old_state in EFFECTIVELY_ADOPTED and new_state not in EFFECTIVELY_ADOPTED:
            proposal_services.proposal_undo_decision(
                proposal=proposal,
                undone_by=actor,
                reason=_("Motion %(reference)s %(state)s")
                % {"reference": reference, "state": state_label(new_state)},
                idempotency_key=f"{idempotency}:undo",
            )
        if new_state == "ADOPTED" and old_state != "RECONSIDERATION_PENDING":
            amount = motion.get("amount")
            try:
                # A savepoint: the engine's answer stands even when the
                # allowed tranches cannot cover the grant (the chair was
                # warned before the question was put); the proposal then
                # stays on the agenda and the chair is told the shortfall.
                with transaction.atomic():
                    proposal_services.proposal_record_decision(
                        proposal=proposal,
                        outcome="approved",
                        decided_by=actor,
                        amount=Decimal(amount) if amount else None,
                        conditions=motion.get("text", ""),
                        reference=reference,
                        idempotency_key=f"{idempotency}:approved",
                    )
            except ValidationError as error:
                row.warnings.extend(error.messages)
        elif new_state in PROPOSAL_OUTCOMES:
            proposal_services.proposal_record_decision(
                proposal=proposal,
                outcome=PROPOSAL_OUTCOMES[new_state],
                decided_by=actor,
                reference=reference,
                idempotency_key=f"{idempotency}:{PROPOSAL_OUTCOMES[new_state]}",
            )


def decision_mark_executed(
    *,
    meeting: Meeting,
    decision_index: int,
    executed_by,
    idempotency_key: str | None = None,
) -> MeetingEvent:
    """Record that an adopted decision was carried out (the grant was paid).

    Appends the engine's `executed` event to the log of the meeting that
    took the decision, so it can no longer be reconsidered or rescinded
    (ROBERTS_RULES §2.3). For fundapp to call when a disbursement is paid;
    needs `councils.manage_council` (the community's social worker). The
    default idempotency key makes a retry a no-op.
    """
    from .events import meeting_event_append  # events apply decisions: a cycle

    return meeting_event_append(
        meeting=meeting,
        actor=executed_by,
        idempotency_key=idempotency_key
        or f"executed:{meeting.pk}:{int(decision_index)}",
        event={"type": "executed", "applies_to": int(decision_index)},
    )
