"""Co-design: residents support and comment on submitted proposals."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.models import User
from fundapp.permissions import require_perm
from proposals.models import Comment, Notification, Proposal, ProposalEvent, Support

from .common import lock_proposal
from .notifications import notify_team

COMMENT_LIMIT = 2000


@transaction.atomic
def proposal_support(*, proposal: Proposal, actor: User) -> Support:
    """A verified resident co-sponsors a submitted proposal, once.

    Needs `proposals.support_proposal`: a verified resident of the community
    who is not on the proposal's team. Locks the proposal row and counts the
    support on it; supporting twice is refused.
    """
    proposal = lock_proposal(proposal, call=False)
    require_perm(actor, "proposals.support_proposal", proposal)
    if proposal.status not in Proposal.OPEN_FOR_SUPPORT:
        raise ValidationError(
            _("A proposal that is %(status)s cannot be supported.")
            % {"status": proposal.get_status_display()}
        )
    if Support.objects.filter(proposal=proposal, resident=actor).exists():
        raise ValidationError(_("You already support this proposal."), code="twice")
    try:
        with transaction.atomic():
            support = Support.objects.create(proposal=proposal, resident=actor)
    except IntegrityError:
        raise ValidationError(
            _("You already support this proposal."), code="twice"
        ) from None
    Proposal.objects.filter(pk=proposal.pk).update(
        support_count=F("support_count") + 1, updated_at=timezone.now()
    )
    return support


# Screening ends when a proposal is marked eligible (or withdrawn); until then
# a resident may change their mind, including while it is being revised.
SUPPORT_WITHDRAWABLE = frozenset(
    {Proposal.Status.SUBMITTED, Proposal.Status.SCREENING, Proposal.Status.RETURNED}
)


@transaction.atomic
def proposal_support_withdraw(
    *, proposal: Proposal, actor: User, reason: str = ""
) -> None:
    """The supporter takes back their support while screening is not over.

    Only the resident who gave the support may withdraw it, and only while
    the proposal is submitted, in screening or returned for revision: once it
    is eligible, the supports it was judged on stand. Locks the proposal row,
    deletes the support, counts it off and writes an audit row.
    """
    proposal = lock_proposal(proposal, call=False)
    support = Support.objects.filter(proposal=proposal, resident=actor).first()
    if support is None:
        raise ValidationError(_("You do not support this proposal."), code="none")
    if proposal.status not in SUPPORT_WITHDRAWABLE:
        raise ValidationError(
            _(
                "Supports can be withdrawn only until screening ends; this "
                "proposal is %(status)s."
            )
            % {"status": proposal.get_status_display()},
            code="too_late",
        )
    support.delete()
    Proposal.objects.filter(pk=proposal.pk).update(
        support_count=F("support_count") - 1, updated_at=timezone.now()
    )
    ProposalEvent.objects.create(
        proposal=proposal,
        actor=actor,
        action=ProposalEvent.Action.SUPPORT_WITHDRAWN,
        from_status=proposal.status,
        to_status=proposal.status,
        reason=(reason or "").strip()[:300],
    )


@transaction.atomic
def comment_add(*, proposal: Proposal, actor: User, body: str) -> Comment:
    """Comment on a submitted proposal; its team is told.

    Needs `proposals.comment_proposal`: a verified member of the community
    (a resident or staff), on a proposal that has been submitted.
    """
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    if len(body) > COMMENT_LIMIT:
        raise ValidationError(
            {
                "body": _("Keep a comment to %(limit)s characters; it has %(length)s.")
                % {"limit": COMMENT_LIMIT, "length": len(body)}
            }
        )
    proposal = lock_proposal(proposal, call=False)
    require_perm(actor, "proposals.comment_proposal", proposal)
    comment = Comment.objects.create(proposal=proposal, author=actor, body=body)
    Proposal.objects.filter(pk=proposal.pk).update(
        comment_count=F("comment_count") + 1, updated_at=timezone.now()
    )
    notify_team(proposal, kind=Notification.Kind.COMMENT, actor=actor)
    return comment


@transaction.atomic
def comment_hide(*, comment: Comment, actor: User, reason: str) -> Comment:
    """A social worker hides a comment, saying why; it is kept and audited.

    Needs `proposals.moderate_comments` in the proposal's community. Hiding
    a hidden comment changes nothing.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the comment is hidden.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason to 300 characters.")})
    comment = (
        Comment.objects.select_for_update()
        .select_related("proposal")
        .get(pk=comment.pk)
    )
    require_perm(actor, "proposals.moderate_comments", comment.proposal)
    if comment.hidden_at is not None:
        return comment
    comment.hidden_at = timezone.now()
    comment.hidden_by = actor
    comment.hidden_reason = reason
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    # The proposal's page is cached under its updated_at.
    Proposal.objects.filter(pk=comment.proposal_id).update(updated_at=timezone.now())
    ProposalEvent.objects.create(
        proposal=comment.proposal,
        actor=actor,
        action=ProposalEvent.Action.COMMENT_HIDDEN,
        from_status=comment.proposal.status,
        to_status=comment.proposal.status,
        reason=reason,
        comment=comment,
    )
    return comment
