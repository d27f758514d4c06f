"""What the proposals app keeps about a person (fundapp/personal_data.py)."""

from django.db.models import Q
from django.utils import timezone

from fundapp.personal_data import PersonalData, register_personal_data

from .models import Comment, CoProposerInvitation, Notification, Proposal, Support


def _export(user) -> dict:
    team = Proposal.objects.filter(co_proposers=user)
    return {
        "proposed": [
            {"id": p.pk, "title": p.title, "status": p.status}
            for p in user.proposals.order_by("pk")
        ],
        "co_proposed": [{"id": p.pk, "title": p.title} for p in team.order_by("pk")],
        "supported": list(
            Support.objects.filter(resident=user)
            .order_by("pk")
            .values_list("proposal_id", flat=True)
        ),
        "comments": [
            {"proposal": c.proposal_id, "at": c.created_at.isoformat(), "text": c.body}
            for c in Comment.objects.filter(author=user).order_by("pk")
        ],
        "invitations_to_you": [
            {"proposal": i.proposal_id, "accepted": i.accepted}
            for i in CoProposerInvitation.objects.filter(phone=user.phone or "-")
        ],
        "notifications": Notification.objects.filter(recipient=user).count(),
    }


def _erase(user) -> None:
    Notification.objects.filter(recipient=user).delete()
    addressed = CoProposerInvitation.objects.filter(phone=user.phone or "-")
    addressed.filter(answered_at__isnull=True).delete()
    addressed.update(phone="")
    # The pages that name the person (as proposer, on the team, under a
    # comment, in the timeline) are cached under the proposal's updated_at:
    # moved, they show the name the erasure leaves at once.
    named = Proposal.objects.filter(
        Q(proposer=user)
        | Q(co_proposers=user)
        | Q(comments__author=user)
        | Q(events__actor=user)
    ).values("pk")
    Proposal.objects.filter(pk__in=named).update(updated_at=timezone.now())


register_personal_data(PersonalData("proposals", _export, _erase))
