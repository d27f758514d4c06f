"""The lifecycle of a proposal (DESIGN §3): one service per transition.

Each service locks the proposal row, checks who may act and that
`Proposal.NEXT_STATUSES` allows the move, sets the status, and records who,
when and why in `ProposalEvent`. Asking for the status a proposal already has
returns it unchanged, so a double click or a retried request acts once.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.money import format_cny, parse_amount
from fundapp.permissions import require_perm
from fundapp.services import (
    commitment_create,
    commitment_outstanding,
    commitment_release,
)
from proposals.models import Proposal, ProposalEvent, ProposalVersion
from proposals.selectors import proposal_problems, proposal_snapshot

from .common import lock_proposal, record_transition, replayed, require_transition

Status = Proposal.Status
Action = ProposalEvent.Action

OUTCOMES = {
    "approved": (Status.APPROVED, Action.APPROVED),
    "rejected": (Status.REJECTED, Action.REJECTED),
    "postponed": (Status.POSTPONED, Action.POSTPONED),
    "referred": (Status.REFERRED, Action.REFERRED),
    "tabled": (Status.ON_AGENDA, Action.TABLED),
}


def _required_reason(reason: str, message) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("Keep the reason to 2000 characters.")})
    return reason


@transaction.atomic
def proposal_submit(*, proposal: Proposal, submitted_by) -> Proposal:
    """Submit a draft, or resubmit a returned proposal, for screening.

    Needs `proposals.submit_proposal` (the proposer, a verified resident).
    Refuses, listing everything missing, a proposal that breaks its call's
    rules (`proposal_problems`); a first submission also needs the call to be
    open. Stores a `ProposalVersion` of the text and budget. Submitting a
    proposal that is already submitted returns it unchanged.
    """
    proposal = lock_proposal(proposal)
    require_perm(submitted_by, "proposals.submit_proposal", proposal)
    if proposal.status == Status.SUBMITTED:
        return proposal
    require_transition(proposal, Status.SUBMITTED)
    problems = proposal_problems(proposal)
    if problems:
        raise ValidationError(problems, code="incomplete")
    from_status = proposal.status
    now = timezone.now()
    proposal.status = Status.SUBMITTED
    proposal.version_number += 1
    if proposal.submitted_at is None:
        proposal.submitted_at = now
    ProposalVersion.objects.create(
        proposal=proposal,
        number=proposal.version_number,
        snapshot=proposal_snapshot(proposal),
        created_by=submitted_by,
    )
    record_transition(
        proposal,
        from_status=from_status,
        actor=submitted_by,
        action=Action.RESUBMITTED
        if from_status == Status.RETURNED
        else Action.SUBMITTED,
        fields=("version_number", "submitted_at"),
    )
    return proposal


def proposal_resubmit(*, proposal: Proposal, submitted_by) -> Proposal:
    """Resubmit a returned proposal: `proposal_submit` from RETURNED only."""
    if proposal.status not in (Status.RETURNED, Status.SUBMITTED):
        raise ValidationError(
            _("Only a proposal returned for revision is resubmitted.")
        )
    return proposal_submit(proposal=proposal, submitted_by=submitted_by)


@transaction.atomic
def proposal_screen_start(*, proposal: Proposal, screened_by) -> Proposal:
    """A social worker takes a submitted proposal into screening."""
    proposal = lock_proposal(proposal)
    require_perm(screened_by, "proposals.screen_proposal", proposal)
    if proposal.status == Status.SCREENING:
        return proposal
    require_transition(proposal, Status.SCREENING)
    from_status = proposal.status
    proposal.status = Status.SCREENING
    record_transition(
        proposal, from_status=from_status, actor=screened_by, action=Action.SCREENING
    )
    return proposal


@transaction.atomic
def proposal_return(*, proposal: Proposal, returned_by, reason: str) -> Proposal:
    """Return a submitted proposal to its team for revision, saying why.

    Needs `proposals.screen_proposal` (a social worker of the community).
    The team can then edit it and resubmit; the history keeps each cycle.
    """
    reason = _required_reason(reason, _("Say what the proposers should revise."))
    proposal = lock_proposal(proposal)
    require_perm(returned_by, "proposals.screen_proposal", proposal)
    if proposal.status == Status.RETURNED:
        return proposal
    require_transition(proposal, Status.RETURNED)
    from_status = proposal.status
    proposal.status = Status.RETURNED
    record_transition(
        proposal,
        from_status=from_status,
        actor=returned_by,
        action=Action.RETURNED,
        reason=reason,
    )
    return proposal


@transaction.atomic
def proposal_mark_eligible(
    *, proposal: Proposal, marked_by, note: str = ""
) -> Proposal:
    """Mark a submitted proposal eligible for the council's agenda.

    Needs `proposals.screen_proposal`. Checks the call's rules again, and
    that enough residents support it; refuses, listing what is wrong.
    """
    proposal = lock_proposal(proposal)
    require_perm(marked_by, "proposals.screen_proposal", proposal)
    if proposal.status == Status.ELIGIBLE:
        return proposal
    require_transition(proposal, Status.ELIGIBLE)
    problems = proposal_problems(proposal, for_submission=False)
    if problems:
        raise ValidationError(problems, code="not_eligible")
    from_status = proposal.status
    proposal.status = Status.ELIGIBLE
    record_transition(
        proposal,
        from_status=from_status,
        actor=marked_by,
        action=Action.ELIGIBLE,
        reason=(note or "").strip()[:2000],
    )
    return proposal


@transaction.atomic
def proposal_withdraw(
    *, proposal: Proposal, withdrawn_by, reason: str = ""
) -> Proposal:
    """The proposer withdraws the proposal, at any time before a decision."""
    proposal = lock_proposal(proposal)
    require_perm(withdrawn_by, "proposals.withdraw_proposal", proposal)
    if proposal.status == Status.WITHDRAWN:
        return proposal
    require_transition(proposal, Status.WITHDRAWN)
    from_status = proposal.status
    proposal.status = Status.WITHDRAWN
    record_transition(
        proposal,
        from_status=from_status,
        actor=withdrawn_by,
        action=Action.WITHDRAWN,
        reason=(reason or "").strip()[:2000],
    )
    return proposal


@transaction.atomic
def proposal_place_on_agenda(
    *, proposal: Proposal, placed_by, agenda: str, by_council=False
) -> Proposal:
    """Put an eligible (or postponed, or referred) proposal on a meeting's agenda.

    Needs `proposals.place_on_agenda`: a social worker or coordinator of the
    community. With `by_council`, the council itself takes the proposal up
    again in a meeting (a postponed motion comes up as a general order, a
    tabled one is taken from the table, a committee reports), and
    `placed_by` is whoever recorded that there: it needs
    `proposals.record_decision`. `agenda` cites the meeting as people do
    (e.g. "JMJY-12") for the proposal's history; the council's agenda item
    holds the link to the proposal. A proposal already on an agenda, and not
    on the table, is returned unchanged.
    """
    agenda = (agenda or "").strip()[:120]
    if not agenda:
        raise ValidationError(_("Name the meeting whose agenda it goes on."))
    proposal = lock_proposal(proposal)
    require_perm(
        placed_by,
        "proposals.record_decision" if by_council else "proposals.place_on_agenda",
        proposal,
    )
    if proposal.status == Status.ON_AGENDA and proposal.tabled_at is None:
        return proposal
    if not (by_council and proposal.status == Status.ON_AGENDA):
        # (A proposal taken from the table is on the agenda already.)
        require_transition(proposal, Status.ON_AGENDA)
    from_status = proposal.status
    proposal.status = Status.ON_AGENDA
    proposal.tabled_at = None
    record_transition(
        proposal,
        from_status=from_status,
        actor=placed_by,
        action=Action.ON_AGENDA,
        reason=agenda,
        fields=("tabled_at",),
    )
    return proposal


@transaction.atomic
def proposal_record_decision(
    *,
    proposal: Proposal,
    outcome: str,
    decided_by,
    amount: Decimal | str | None = None,
    conditions: str = "",
    reference: str = "",
    idempotency_key: str,
) -> Proposal:
    """Record the council's decision on a proposal that is on the agenda.

    `outcome` is "approved", "rejected", "postponed", "referred" or "tabled".
    Needs `proposals.record_decision` (a councillor, coordinator or social
    worker of the community). "approved" commits `amount` (default: the
    requested amount; at most the call's ceiling) through
    `fundapp.services.commitment_create` in this same transaction and stores
    the commitment, amount and conditions on the proposal. "tabled" leaves
    the proposal ON_AGENDA with `tabled_at` set (unfinished business).
    The same `idempotency_key` twice records one decision.
    """
    if outcome not in OUTCOMES:
        raise ValidationError(
            _("Unknown outcome %(outcome)s.") % {"outcome": outcome}, code="outcome"
        )
    if replayed(idempotency_key):
        return Proposal.objects.get(pk=proposal.pk)
    proposal = lock_proposal(proposal)
    require_perm(decided_by, "proposals.record_decision", proposal)
    status, action = OUTCOMES[outcome]
    if proposal.status != Status.ON_AGENDA:
        raise ValidationError(
            _("Only a proposal on the agenda can be decided; this one is %(status)s.")
            % {"status": proposal.get_status_display()},
            code="invalid_transition",
        )
    conditions = (conditions or "").strip()
    reference = (reference or "").strip()[:120]
    from_status = proposal.status
    now = timezone.now()
    fields = ["decision_reference", "tabled_at"]
    if outcome == "tabled":
        proposal.tabled_at = now
    else:
        require_transition(proposal, status)
        proposal.tabled_at = None
        proposal.decided_at = now
        fields.append("decided_at")
    if outcome == "approved":
        amount = proposal.requested_amount if amount in (None, "") else amount
        amount = parse_amount(amount)
        if amount > proposal.round.ceiling_amount:
            raise ValidationError(
                {
                    "amount": _("%(amount)s is over the call's ceiling of %(ceiling)s.")
                    % {
                        "amount": format_cny(amount),
                        "ceiling": format_cny(proposal.round.ceiling_amount),
                    }
                }
            )
        if not reference:
            raise ValidationError(
                _("An approval cites the council decision that made it."),
                code="decision_required",
            )
        proposal.commitment = commitment_create(
            fund=proposal.community.fund,
            purpose=proposal.title,
            category=proposal.category,
            amount=amount,
            actor=decided_by,
            idempotency_key=idempotency_key,
            decision=reference,
        )
        proposal.approved_amount = amount
        proposal.conditions = conditions
        fields += ["commitment", "approved_amount", "conditions"]
    proposal.status = status
    proposal.decision_reference = reference
    record_transition(
        proposal,
        from_status=from_status,
        actor=decided_by,
        action=action,
        reason=conditions if outcome == "approved" else reference,
        fields=tuple(fields),
        idempotency_key=idempotency_key,
    )
    return proposal


@transaction.atomic
def proposal_undo_decision(
    *, proposal: Proposal, undone_by, reason: str, idempotency_key: str
) -> Proposal:
    """Bring a decided proposal back onto the agenda (reconsider or rescind).

    Needs `proposals.record_decision`. An approved proposal must be unpaid:
    its whole commitment is released through
    `fundapp.services.commitment_release` in this transaction. Works from
    APPROVED, REJECTED, POSTPONED and REFERRED; the same key twice acts once.
    """
    reason = _required_reason(reason, _("Say why the decision is undone."))
    if replayed(idempotency_key):
        return Proposal.objects.get(pk=proposal.pk)
    proposal = lock_proposal(proposal)
    require_perm(undone_by, "proposals.record_decision", proposal)
    if proposal.status not in Proposal.DECIDED:
        raise ValidationError(
            _("Only a decided proposal can be reconsidered; this one is %(status)s.")
            % {"status": proposal.get_status_display()},
            code="invalid_transition",
        )
    require_transition(proposal, Status.ON_AGENDA)
    fields = ["decided_at", "decision_reference"]
    if proposal.commitment_id is not None:
        outstanding = commitment_outstanding(proposal.commitment)
        if outstanding != proposal.commitment.amount:
            raise ValidationError(
                _("Part of this grant is already paid; the decision cannot be undone.")
            )
        commitment_release(
            commitment=proposal.commitment,
            actor=undone_by,
            idempotency_key=idempotency_key,
            reason=reason,
            decision=proposal.decision_reference,
        )
        proposal.commitment = None
        proposal.approved_amount = None
        fields += ["commitment", "approved_amount"]
    from_status = proposal.status
    proposal.status = Status.ON_AGENDA
    proposal.decided_at = None
    proposal.decision_reference = ""
    record_transition(
        proposal,
        from_status=from_status,
        actor=undone_by,
        action=Action.DECISION_UNDONE,
        reason=reason,
        fields=tuple(fields),
        idempotency_key=idempotency_key,
    )
    return proposal


def _project_step(proposal, *, actor, perm, status) -> Proposal:
    """Lock a project-stage proposal and check the actor; the caller moves it."""
    proposal = lock_proposal(proposal)
    require_perm(actor, perm, proposal)
    if proposal.status == status:
        return proposal
    require_transition(proposal, status)
    return proposal


@transaction.atomic
def proposal_start(*, proposal: Proposal, started_by) -> Proposal:
    """An approved proposal starts delivery as a project (APPROVED → ACTIVE)."""
    proposal = _project_step(
        proposal,
        actor=started_by,
        perm="proposals.run_project",
        status=Status.ACTIVE,
    )
    if proposal.status == Status.ACTIVE:
        return proposal
    from_status = proposal.status
    proposal.status = Status.ACTIVE
    record_transition(
        proposal, from_status=from_status, actor=started_by, action=Action.ACTIVE
    )
    return proposal


@transaction.atomic
def proposal_complete(*, proposal: Proposal, completed_by, note: str = "") -> Proposal:
    """The project's work is done (ACTIVE → COMPLETED); a social worker records it."""
    proposal = _project_step(
        proposal,
        actor=completed_by,
        perm="proposals.run_project",
        status=Status.COMPLETED,
    )
    if proposal.status == Status.COMPLETED:
        return proposal
    from_status = proposal.status
    proposal.status = Status.COMPLETED
    record_transition(
        proposal,
        from_status=from_status,
        actor=completed_by,
        action=Action.COMPLETED,
        reason=note.strip()[:2000],
    )
    return proposal


@transaction.atomic
def proposal_mark_evaluated(
    *, proposal: Proposal, evaluated_by, note: str = ""
) -> Proposal:
    """An evaluator records the project as evaluated (COMPLETED → EVALUATED)."""
    proposal = _project_step(
        proposal,
        actor=evaluated_by,
        perm="proposals.evaluate_project",
        status=Status.EVALUATED,
    )
    if proposal.status == Status.EVALUATED:
        return proposal
    from_status = proposal.status
    proposal.status = Status.EVALUATED
    record_transition(
        proposal,
        from_status=from_status,
        actor=evaluated_by,
        action=Action.EVALUATED,
        reason=note.strip()[:2000],
    )
    return proposal


@transaction.atomic
def proposal_close(*, proposal: Proposal, closed_by, note: str = "") -> Proposal:
    """Close an evaluated project's file (EVALUATED → CLOSED)."""
    proposal = _project_step(
        proposal,
        actor=closed_by,
        perm="proposals.close_project",
        status=Status.CLOSED,
    )
    if proposal.status == Status.CLOSED:
        return proposal
    from_status = proposal.status
    proposal.status = Status.CLOSED
    record_transition(
        proposal,
        from_status=from_status,
        actor=closed_by,
        action=Action.CLOSED,
        reason=note.strip()[:2000],
    )
    return proposal
