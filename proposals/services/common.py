"""What every proposal service shares: locking, transition checks, the audit row."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fundapp import clock
from proposals.models import Notification, Proposal, ProposalEvent

from .notifications import notify_team


class InvalidTransition(ValidationError):
    """A proposal cannot move from its status to the one asked for."""


def lock_proposal(proposal: Proposal, *, call: bool = True) -> Proposal:
    """Re-read the proposal under a row lock, and its call's row unless `call`
    is False; the caller must be in a transaction.

    The call's row is locked for what depends on the call being open (a
    draft's edit, a submission, a move): closing the call locks it too, so
    the two take turns. Supports and comments depend on the proposal alone
    (`call=False`). The community's row is never locked: `FOR UPDATE` of
    the joined rows locked it for every proposal, so all the supports and
    comments of a community queued on it, and under `make load` three of
    them deadlocked (503).
    """
    rows = ("self", "round") if call else ("self",)
    return (
        Proposal.objects.select_for_update(of=rows)
        .select_related("round", "community")
        .get(pk=proposal.pk)
    )


def require_transition(proposal: Proposal, status: str) -> None:
    """Raise InvalidTransition unless NEXT_STATUSES allows the move."""
    if not proposal.can_move_to(status):
        raise InvalidTransition(
            _("A proposal that is %(current)s cannot become %(wanted)s.")
            % {
                "current": proposal.get_status_display(),
                "wanted": Proposal.Status(status).label,
            },
            code="invalid_transition",
        )


def record_transition(
    proposal: Proposal,
    *,
    from_status: str,
    actor,
    action: str,
    reason: str = "",
    fields: tuple[str, ...] = (),
    idempotency_key: str | None = None,
) -> ProposalEvent:
    """Save the new status (and `fields`), write the audit row, tell the team.

    The caller has set `proposal.status`; the team hears about it by email
    once the transaction commits.
    """
    proposal.status_changed_at = clock.now()
    proposal.save(update_fields=["status", "status_changed_at", "updated_at", *fields])
    event = ProposalEvent.objects.create(
        proposal=proposal,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=proposal.status,
        reason=reason,
        idempotency_key=idempotency_key,
        at=proposal.status_changed_at,
    )
    # A return's reason says what to revise: the team reads it in the news.
    returned = proposal.status == Proposal.Status.RETURNED
    notify_team(
        proposal,
        kind=Notification.Kind.STATUS,
        actor=actor,
        reason=reason if returned else "",
    )
    return event


def replayed(idempotency_key: str) -> bool:
    """Whether a decision with this key was already recorded."""
    if not idempotency_key or not idempotency_key.strip():
        raise ValidationError(_("An idempotency key is required."))
    return ProposalEvent.objects.filter(idempotency_key=idempotency_key).exists()
