"""The lifecycle of a proposal (DESIGN §3): one service per transition.

Every transition runs the same steps, once, in `_transition`: lock the
proposal row, check who may act, check that `Proposal.NEXT_STATUSES` allows
the move, let the transition check and set what else it changes, set the
status, and record who, when and why in `ProposalEvent` (the team is told).
Asking for where a proposal already is returns it unchanged, so a double
click or a retried request acts once; a decision whose idempotency key was
used returns the proposal as it is.

Decisions are the council's alone (DESIGN §4: staff never decide a
proposal). Approving, rejecting, postponing, referring, laying on the table,
taking up again and reconsidering are recorded from a meeting's record of
events: `councils.services.decisions` calls these services in the
transaction of the event that decided, with `decision`, the decision as
people cite it ("JMJY-5#3"), and the member who gave that event as `actor`
(`proposals.carry_out_decision`: a councillor or coordinator of the
community). No page, form or API of the proposals calls them.
"""

from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fundapp import clock
from fundapp.models import User
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

CARRY_OUT_DECISION = "proposals.carry_out_decision"
REASON_LIMIT = 2000
CITATION_LIMIT = 120


def _required_reason(reason: str, message) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": _("Keep the reason to 2000 characters.")})
    return reason


def _note(note: str) -> str:
    return (note or "").strip()[:REASON_LIMIT]


def _citation(decision: str) -> str:
    """The meeting's decision that authorises a decision service."""
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError(
            _("A decision on a proposal cites the meeting's decision that made it."),
            code="decision_required",
        )
    if len(decision) > CITATION_LIMIT:
        raise ValidationError(_("A decision is cited by a short reference."))
    return decision


def _transition(
    proposal: Proposal,
    *,
    actor: User,
    perm: str,
    to: str,
    action: str | Callable[[Proposal], str],
    reason: str = "",
    change: Callable[[Proposal], Iterable[str]] | None = None,
    arrived: Callable[[Proposal], bool] | None = None,
    starts_from: tuple[frozenset, str] | None = None,
    idempotency_key: str | None = None,
) -> Proposal:
    """Move the proposal to `to`: the steps every transition shares.

    Locks the proposal; needs `perm`; returns it unchanged if it has
    `arrived` already (by default: it has the status `to`) or the
    `idempotency_key` was used. `starts_from` is (statuses, message): the
    statuses this transition leaves, refused with the message otherwise.
    Moving to another status must be allowed by NEXT_STATUSES; a change
    within ON_AGENDA (laying on or taking from the table) is not a move.
    `change` checks and sets the other fields (it may raise ValidationError
    before anything is saved) and returns their names. Saves, writes the
    audit row (`action`, or what `action` says for the locked proposal) and
    tells the team (`record_transition`).
    """
    if idempotency_key is not None and replayed(idempotency_key):
        return Proposal.objects.get(pk=proposal.pk)
    proposal = lock_proposal(proposal)
    require_perm(actor, perm, proposal)
    if arrived(proposal) if arrived else proposal.status == to:
        return proposal
    if starts_from is not None and proposal.status not in starts_from[0]:
        raise ValidationError(
            starts_from[1] % {"status": proposal.get_status_display()},
            code="invalid_transition",
        )
    if proposal.status != to:
        require_transition(proposal, to)
    from_status = proposal.status
    if callable(action):
        action = action(proposal)
    fields = tuple(change(proposal)) if change else ()
    proposal.status = to
    record_transition(
        proposal,
        from_status=from_status,
        actor=actor,
        action=action,
        reason=reason,
        fields=fields,
        idempotency_key=idempotency_key,
    )
    return proposal


# -- Writing and screening ---------------------------------------------------


@transaction.atomic
def proposal_submit(*, proposal: Proposal, actor: User) -> Proposal:
    """Submit a draft, or resubmit a returned proposal, for screening.

    Needs `proposals.submit_proposal` (the proposer, a verified resident).
    Refuses, listing everything missing, a proposal that breaks its call's
    rules (`proposal_problems`); a first submission also needs the call to be
    open. Stores a `ProposalVersion` of the text and budget.
    """

    def change(proposal: Proposal) -> tuple[str, ...]:
        problems = proposal_problems(proposal)
        if problems:
            raise ValidationError(problems, code="incomplete")
        proposal.version_number += 1
        if proposal.submitted_at is None:
            proposal.submitted_at = clock.now()
        ProposalVersion.objects.create(
            proposal=proposal,
            number=proposal.version_number,
            snapshot=proposal_snapshot(proposal),
            created_by=actor,
        )
        return ("version_number", "submitted_at")

    return _transition(
        proposal,
        actor=actor,
        perm="proposals.submit_proposal",
        to=Status.SUBMITTED,
        action=lambda proposal: (
            Action.RESUBMITTED
            if proposal.status == Status.RETURNED
            else Action.SUBMITTED
        ),
        change=change,
    )


def proposal_resubmit(*, proposal: Proposal, actor: User) -> Proposal:
    """Resubmit a returned proposal: `proposal_submit` from RETURNED only."""
    if proposal.status not in (Status.RETURNED, Status.SUBMITTED):
        raise ValidationError(
            _("Only a proposal returned for revision is resubmitted.")
        )
    return proposal_submit(proposal=proposal, actor=actor)


@transaction.atomic
def proposal_screen_start(*, proposal: Proposal, actor: User) -> Proposal:
    """A social worker takes a submitted proposal into screening."""
    return _transition(
        proposal,
        actor=actor,
        perm="proposals.screen_proposal",
        to=Status.SCREENING,
        action=Action.SCREENING,
    )


@transaction.atomic
def proposal_return(*, proposal: Proposal, actor: User, reason: str) -> Proposal:
    """Return a submitted proposal to its team for revision, saying why.

    Needs `proposals.screen_proposal` (a social worker of the community).
    The team can then edit it and resubmit; the history keeps each cycle.
    """
    reason = _required_reason(reason, _("Say what the proposers should revise."))
    return _transition(
        proposal,
        actor=actor,
        perm="proposals.screen_proposal",
        to=Status.RETURNED,
        action=Action.RETURNED,
        reason=reason,
    )


@transaction.atomic
def proposal_mark_eligible(
    *, proposal: Proposal, actor: User, note: str = ""
) -> Proposal:
    """Mark a submitted proposal eligible for the council's agenda.

    Needs `proposals.screen_proposal`. Checks the call's rules again, and
    that enough residents support it; refuses, listing what is wrong.
    """

    def change(proposal: Proposal) -> tuple[str, ...]:
        problems = proposal_problems(proposal, for_submission=False)
        if problems:
            raise ValidationError(problems, code="not_eligible")
        return ()

    return _transition(
        proposal,
        actor=actor,
        perm="proposals.screen_proposal",
        to=Status.ELIGIBLE,
        action=Action.ELIGIBLE,
        reason=_note(note),
        change=change,
    )


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor: User, reason: str = "") -> Proposal:
    """The proposer withdraws the proposal, at any time before a decision."""
    return _transition(
        proposal,
        actor=actor,
        perm="proposals.withdraw_proposal",
        to=Status.WITHDRAWN,
        action=Action.WITHDRAWN,
        reason=_note(reason),
    )


def _is_before_the_council(proposal: Proposal) -> bool:
    return proposal.status == Status.ON_AGENDA and proposal.tabled_at is None


@transaction.atomic
def proposal_place_on_agenda(
    *, proposal: Proposal, actor: User, agenda: str
) -> Proposal:
    """Put an eligible (or postponed, or referred) proposal on a meeting's agenda.

    Needs `proposals.place_on_agenda`: a social worker or coordinator of the
    community. `agenda` cites the meeting as people do (e.g. "JMJY-12") for
    the proposal's history; the council's agenda item holds the link to the
    proposal. A proposal already on an agenda, and not on the table, is
    returned unchanged.
    """
    agenda = (agenda or "").strip()[:CITATION_LIMIT]
    if not agenda:
        raise ValidationError(_("Name the meeting whose agenda it goes on."))
    return _transition(
        proposal,
        actor=actor,
        perm="proposals.place_on_agenda",
        to=Status.ON_AGENDA,
        action=Action.ON_AGENDA,
        reason=agenda,
        arrived=_is_before_the_council,
        starts_from=(
            frozenset({Status.ELIGIBLE, Status.POSTPONED, Status.REFERRED}),
            _(
                "Only an eligible, postponed or referred proposal goes on an agenda; "
                "this one is %(status)s."
            ),
        ),
    )


# -- The council's decisions -------------------------------------------------

ON_THE_AGENDA = (
    frozenset({Status.ON_AGENDA}),
    gettext_lazy(
        "Only a proposal on the agenda can be decided; this one is %(status)s."
    ),
)


def _decided(proposal: Proposal, decision: str) -> tuple[str, ...]:
    proposal.decided_at = clock.now()
    proposal.decision_reference = decision
    proposal.tabled_at = None
    return ("decided_at", "decision_reference", "tabled_at")


@transaction.atomic
def proposal_approve(
    *,
    proposal: Proposal,
    actor: User,
    decision: str,
    idempotency_key: str,
    amount: Decimal | None = None,
    conditions: str = "",
) -> Proposal:
    """The council approves the proposal for `amount` (default: the amount
    it requests; at most its call's ceiling), with these conditions.

    Commits the amount through `fundapp.services.commitment_create` in this
    same transaction, on the authority of the decision (a shortfall of the
    allowed tranches raises and changes nothing), and stores the commitment,
    amount and conditions on the proposal.
    """
    decision = _citation(decision)
    conditions = (conditions or "").strip()
    if amount is not None and not isinstance(amount, Decimal):
        raise TypeError("An amount is a Decimal.")

    def change(proposal: Proposal) -> tuple[str, ...]:
        granted = parse_amount(proposal.requested_amount if amount is None else amount)
        ceiling = proposal.round.ceiling_amount
        if granted > ceiling:
            raise ValidationError(
                {
                    "amount": _("%(amount)s is over the call's ceiling of %(ceiling)s.")
                    % {"amount": format_cny(granted), "ceiling": format_cny(ceiling)}
                }
            )
        proposal.commitment = commitment_create(
            fund=proposal.community.fund,
            purpose=proposal.title,
            category=proposal.category,
            amount=granted,
            actor=actor,
            idempotency_key=idempotency_key,
            decision=decision,
        )
        proposal.approved_amount = granted
        proposal.conditions = conditions
        return (
            "commitment",
            "approved_amount",
            "conditions",
            *_decided(proposal, decision),
        )

    return _transition(
        proposal,
        actor=actor,
        perm=CARRY_OUT_DECISION,
        to=Status.APPROVED,
        action=Action.APPROVED,
        reason=conditions,
        change=change,
        arrived=lambda proposal: False,
        starts_from=ON_THE_AGENDA,
        idempotency_key=idempotency_key,
    )


def _decide(
    proposal: Proposal,
    *,
    actor: User,
    decision: str,
    idempotency_key: str,
    to: str,
    action: str,
) -> Proposal:
    """A decision that moves the proposal without money."""
    decision = _citation(decision)
    return _transition(
        proposal,
        actor=actor,
        perm=CARRY_OUT_DECISION,
        to=to,
        action=action,
        reason=decision,
        change=lambda proposal: _decided(proposal, decision),
        arrived=lambda proposal: False,
        starts_from=ON_THE_AGENDA,
        idempotency_key=idempotency_key,
    )


@transaction.atomic
def proposal_reject(
    *, proposal: Proposal, actor: User, decision: str, idempotency_key: str
) -> Proposal:
    """The council rejects the proposal (the motion lost, was postponed
    indefinitely, or the council refused to consider it)."""
    return _decide(
        proposal,
        actor=actor,
        decision=decision,
        idempotency_key=idempotency_key,
        to=Status.REJECTED,
        action=Action.REJECTED,
    )


@transaction.atomic
def proposal_postpone(
    *, proposal: Proposal, actor: User, decision: str, idempotency_key: str
) -> Proposal:
    """The council postpones the proposal to a later meeting."""
    return _decide(
        proposal,
        actor=actor,
        decision=decision,
        idempotency_key=idempotency_key,
        to=Status.POSTPONED,
        action=Action.POSTPONED,
    )


@transaction.atomic
def proposal_refer(
    *, proposal: Proposal, actor: User, decision: str, idempotency_key: str
) -> Proposal:
    """The council refers the proposal to a committee."""
    return _decide(
        proposal,
        actor=actor,
        decision=decision,
        idempotency_key=idempotency_key,
        to=Status.REFERRED,
        action=Action.REFERRED,
    )


@transaction.atomic
def proposal_lay_on_table(
    *, proposal: Proposal, actor: User, decision: str, idempotency_key: str
) -> Proposal:
    """The council lays the proposal on the table: it stays on the agenda,
    set aside (`tabled_at`), as unfinished business, not a decision."""
    decision = _citation(decision)

    def change(proposal: Proposal) -> tuple[str, ...]:
        proposal.tabled_at = clock.now()
        proposal.decision_reference = decision
        return ("tabled_at", "decision_reference")

    return _transition(
        proposal,
        actor=actor,
        perm=CARRY_OUT_DECISION,
        to=Status.ON_AGENDA,
        action=Action.TABLED,
        reason=decision,
        change=change,
        arrived=lambda proposal: proposal.tabled_at is not None,
        starts_from=ON_THE_AGENDA,
        idempotency_key=idempotency_key,
    )


@transaction.atomic
def proposal_take_up(*, proposal: Proposal, actor: User, agenda: str) -> Proposal:
    """The council takes the proposal up again in a meeting: taken from the
    table, a postponed motion come up as a general order, or a committee's
    report. `agenda` cites that meeting ("JMJY-12"). A proposal before the
    council already is returned unchanged."""
    agenda = _citation(agenda)

    def change(proposal: Proposal) -> tuple[str, ...]:
        proposal.tabled_at = None
        return ("tabled_at",)

    return _transition(
        proposal,
        actor=actor,
        perm=CARRY_OUT_DECISION,
        to=Status.ON_AGENDA,
        action=Action.ON_AGENDA,
        reason=agenda,
        change=change,
        arrived=_is_before_the_council,
        starts_from=(
            frozenset({Status.ON_AGENDA, Status.POSTPONED, Status.REFERRED}),
            _(
                "Only a proposal the council set aside can be taken up again; "
                "this one is %(status)s."
            ),
        ),
    )


@transaction.atomic
def proposal_reconsider(
    *,
    proposal: Proposal,
    actor: User,
    decision: str,
    reason: str,
    idempotency_key: str,
) -> Proposal:
    """The council's decision on the proposal is undone (reconsidered,
    rescinded, or amended to be approved again): it is back on the agenda.

    An approved proposal must be unpaid: its whole commitment is released
    through `fundapp.services.commitment_release` in this transaction.
    Works from APPROVED, REJECTED, POSTPONED and REFERRED.
    """
    decision = _citation(decision)
    reason = _required_reason(reason, _("Say why the decision is undone."))

    def change(proposal: Proposal) -> tuple[str, ...]:
        fields = ["decided_at", "decision_reference"]
        commitment = proposal.commitment
        if commitment is not None:
            if commitment_outstanding(commitment) != commitment.amount:
                raise ValidationError(
                    _(
                        "Part of this grant is already paid; the decision cannot be "
                        "undone."
                    )
                )
            commitment_release(
                commitment=commitment,
                actor=actor,
                idempotency_key=idempotency_key,
                reason=reason,
                decision=decision,
            )
            proposal.commitment = None
            proposal.approved_amount = None
            fields += ["commitment", "approved_amount"]
        proposal.decided_at = None
        proposal.decision_reference = ""
        return fields

    return _transition(
        proposal,
        actor=actor,
        perm=CARRY_OUT_DECISION,
        to=Status.ON_AGENDA,
        action=Action.DECISION_UNDONE,
        reason=reason,
        change=change,
        arrived=lambda proposal: False,
        starts_from=(
            Proposal.DECIDED,
            _("Only a decided proposal can be reconsidered; this one is %(status)s."),
        ),
        idempotency_key=idempotency_key,
    )


# -- The funded project --------------------------------------------------------


@transaction.atomic
def proposal_start(*, proposal: Proposal, actor: User) -> Proposal:
    """An approved proposal starts delivery as a project (APPROVED → ACTIVE)."""
    return _transition(
        proposal,
        actor=actor,
        perm="proposals.run_project",
        to=Status.ACTIVE,
        action=Action.ACTIVE,
    )


@transaction.atomic
def proposal_complete(*, proposal: Proposal, actor: User, note: str = "") -> Proposal:
    """The project's work is done (ACTIVE → COMPLETED); a social worker records it."""
    return _transition(
        proposal,
        actor=actor,
        perm="proposals.run_project",
        to=Status.COMPLETED,
        action=Action.COMPLETED,
        reason=_note(note),
    )


@transaction.atomic
def proposal_mark_evaluated(
    *, proposal: Proposal, actor: User, note: str = ""
) -> Proposal:
    """An evaluator records the project as evaluated (COMPLETED → EVALUATED)."""
    return _transition(
        proposal,
        actor=actor,
        perm="proposals.evaluate_project",
        to=Status.EVALUATED,
        action=Action.EVALUATED,
        reason=_note(note),
    )


@transaction.atomic
def proposal_close(*, proposal: Proposal, actor: User, note: str = "") -> Proposal:
    """Close an evaluated project's file (EVALUATED → CLOSED)."""
    return _transition(
        proposal,
        actor=actor,
        perm="proposals.close_project",
        to=Status.CLOSED,
        action=Action.CLOSED,
        reason=_note(note),
    )
