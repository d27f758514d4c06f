"""A proposal's team: co-proposers are invited by mobile number and join only
by accepting.

Typing a number reveals nothing: the proposer never learns whether it belongs
to anyone, registered or not, verified or not. The invitation waits for a
verified resident of the proposal's community with that number; their name
shows, and they may edit, only once they accept.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.models import Membership, Role, User
from proposals.models import TEAM_OPEN_STATUSES, CoProposerInvitation, Proposal

from .common import lock_proposal
from .drafting import _lock_editable

MAX_CO_PROPOSERS = 10


@transaction.atomic
def proposal_save_team(
    *,
    proposal: Proposal,
    actor: User,
    co_proposer_phones: list[str],
    beneficiary_phones: list[str] | None = None,
) -> Proposal:
    """Invite the co-proposers named by their mobile numbers (at most ten),
    and, if given, set the named beneficiaries' numbers (at most ten).

    A number already on the team or already invited stays as it is; a
    co-proposer or an open invitation whose number is no longer listed is
    removed. New numbers get an invitation, whoever they belong to. A
    council member whose number is a named beneficiary's is recused from the
    proposal's questions; naming a number tells nobody whose it is.
    """
    proposal = _lock_editable(proposal, actor)
    phones = list(dict.fromkeys(p.strip() for p in co_proposer_phones if p.strip()))
    if len(phones) > MAX_CO_PROPOSERS:
        raise ValidationError(
            {
                "co_proposers": _("A proposal has at most %(limit)s co-proposers.")
                % {"limit": MAX_CO_PROPOSERS}
            }
        )
    if proposal.proposer.phone in phones:
        raise ValidationError(
            {"co_proposers": _("That is your own number: you are the proposer.")}
        )
    fields = ["updated_at"]
    if beneficiary_phones is not None:
        named = list(dict.fromkeys(p.strip() for p in beneficiary_phones if p.strip()))
        if len(named) > MAX_CO_PROPOSERS:
            raise ValidationError(
                {
                    "beneficiaries": _(
                        "A proposal names at most %(limit)s beneficiaries."
                    )
                    % {"limit": MAX_CO_PROPOSERS}
                }
            )
        proposal.beneficiary_phones = named
        fields.append("beneficiary_phones")
    members = list(proposal.co_proposers.all())
    proposal.co_proposers.remove(*[u for u in members if u.phone not in phones])
    open_invitations = proposal.invitations.filter(answered_at__isnull=True)
    open_invitations.exclude(phone__in=phones).delete()
    known = {u.phone for u in members} | set(
        open_invitations.values_list("phone", flat=True)
    )
    CoProposerInvitation.objects.bulk_create(
        CoProposerInvitation(proposal=proposal, phone=phone, invited_by=actor)
        for phone in phones
        if phone not in known
    )
    proposal.save(update_fields=fields)
    return proposal


def _lock_invitation_for(invitation: CoProposerInvitation, actor: User):
    """The invitation locked, if it is open and addressed to the actor as a
    verified resident of its community; else refused without saying why
    anyone else's number is or is not there."""
    invitation = CoProposerInvitation.objects.select_for_update().get(pk=invitation.pk)
    addressed = (
        actor.is_authenticated
        and invitation.phone == actor.phone
        and Membership.objects.filter(
            user=actor,
            community_id=invitation.proposal.community_id,
            role=Role.RESIDENT,
            verified_at__isnull=False,
        ).exists()
    )
    if not addressed:
        raise PermissionDenied(_("This invitation is not addressed to you."))
    if invitation.answered_at is not None:
        raise ValidationError(
            _("You have already answered this invitation."), code="answered"
        )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: CoProposerInvitation, actor: User) -> Proposal:
    """Join the proposal's team: from now the actor's name shows on it and
    they may edit it with the proposer."""
    proposal = lock_proposal(invitation.proposal)
    invitation = _lock_invitation_for(invitation, actor)
    if proposal.status not in TEAM_OPEN_STATUSES:
        raise ValidationError(
            _(
                "A proposal that is %(status)s takes no new co-proposers; "
                "the invitation has lapsed."
            )
            % {"status": proposal.get_status_display()},
            code="team_closed",
        )
    invitation.answered_at = timezone.now()
    invitation.answered_by = actor
    invitation.accepted = True
    invitation.save(update_fields=["answered_at", "answered_by", "accepted"])
    proposal.co_proposers.add(actor)
    proposal.save(update_fields=["updated_at"])  # its page shows the team anew
    return proposal


@transaction.atomic
def invitation_decline(
    *, invitation: CoProposerInvitation, actor: User
) -> CoProposerInvitation:
    """Say no: the proposer sees the invitation declined, and nothing more."""
    invitation = _lock_invitation_for(invitation, actor)
    invitation.answered_at = timezone.now()
    invitation.answered_by = actor
    invitation.accepted = False
    invitation.save(update_fields=["answered_at", "answered_by", "accepted"])
    return invitation
