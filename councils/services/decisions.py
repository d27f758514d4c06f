"""Decisions on proposals take effect, in the transaction of the event that
made them (called by `meeting_event_append`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fundapp.idempotency import derived_key
from fundapp.models import User
from fundapp.money import cny
from proposals import services as proposal_services
from proposals.models import Proposal

from ..logs import meeting_citation, motion_reference
from ..models import Meeting, MeetingEvent
from ..selectors import outcome_motion
from ..wording import state_label

EFFECTIVELY_ADOPTED = frozenset({"ADOPTED", "RECONSIDERATION_PENDING"})
# A main motion in one of these states that becomes pending again was taken up.
TAKEN_UP_FROM = frozenset({"POSTPONED", "LAID_ON_TABLE", "REFERRED"})
# What a main motion's new state does to its proposal, by the service that
# records it (each takes the decision as its authority).
PROPOSAL_OUTCOMES = {
    "LOST": proposal_services.proposal_reject,
    "POSTPONED_INDEFINITELY": proposal_services.proposal_reject,
    "NOT_CONSIDERED": proposal_services.proposal_reject,
    "POSTPONED": proposal_services.proposal_postpone,
    "REFERRED": proposal_services.proposal_refer,
    "LAID_ON_TABLE": proposal_services.proposal_lay_on_table,
}


def decisions_apply(
    *, meeting: Meeting, before: dict, after: dict, row: MeetingEvent, actor: User
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
    # A divided motion's parts keep its proposal; only a part with an amount
    # decides the grant (the others are its conditions).
    conditions_only = {
        str(part)
        for division in after.get("divisions", [])
        for part in division["parts"]
        if outcome_motion(after, part).get("amount") in (None, "")
    }
    for key, motion in after["motions"].items():
        if motion["motion"] != "main" or motion.get("proposal") in (None, ""):
            continue
        if str(key) in conditions_only:
            continue
        old_state = before_motions.get(str(key), {}).get("state")
        new_state = motion["state"]
        if old_state == new_state:
            continue
        changes.append((str(key), motion, old_state, new_state))
    if not changes:
        return
    proposals = Proposal.objects.in_bulk(
        [int(motion["proposal"]) for _key, motion, _old, _new in changes]
    )
    for key, motion, old_state, new_state in changes:
        proposal = proposals[int(motion["proposal"])]
        # A grant adopted at an earlier meeting, outside this log, keeps
        # its own reference.
        reference = motion.get("ref") or motion_reference(meeting, int(key))
        # Derived by the server, not guessable: no form can submit it first.
        parts = ("councils.decision", meeting.pk, row.sequence, key)
        if old_state in TAKEN_UP_FROM and new_state == "PENDING":
            # Carried business comes before the council again (B1, a
            # general order, a committee's report).
            proposal_services.proposal_take_up(
                proposal=proposal, actor=actor, agenda=meeting_citation(meeting)
            )
            continue
        if old_state in EFFECTIVELY_ADOPTED and new_state not in EFFECTIVELY_ADOPTED:
            proposal_services.proposal_reconsider(
                proposal=proposal,
                actor=actor,
                decision=reference,
                reason=_("Motion %(reference)s %(state)s")
                % {"reference": reference, "state": state_label(new_state)},
                idempotency_key=derived_key(*parts, "undo"),
            )
        if (
            new_state == "ADOPTED" and old_state != "RECONSIDERATION_PENDING"
        ) or new_state == "AMENDED_AFTER_ADOPTION":
            # (An amended grant is undone above and approved again here, with
            # the amount as amended.)
            # The log holds the amount as the text of a Decimal.
            amount = cny(motion["amount"]) if motion.get("amount") else None
            try:
                # A savepoint: the engine's answer stands even when the
                # allowed tranches cannot cover the grant (the chair was
                # warned before the question was put); the proposal then
                # stays on the agenda and the chair is told the shortfall.
                with transaction.atomic():
                    proposal_services.proposal_approve(
                        proposal=proposal,
                        actor=actor,
                        decision=reference,
                        amount=amount,
                        conditions=motion.get("text", ""),
                        idempotency_key=derived_key(*parts, "approved"),
                    )
            except ValidationError as error:
                row.warnings.extend(error.messages)
        elif new_state in PROPOSAL_OUTCOMES:
            PROPOSAL_OUTCOMES[new_state](
                proposal=proposal,
                actor=actor,
                decision=reference,
                idempotency_key=derived_key(*parts, new_state.lower()),
            )
