"""Writing a proposal in steps, each saved as a draft (or a returned proposal)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp import clock
from fundapp.models import Category, User
from fundapp.permissions import require_perm
from proposals.budget import clean_lines
from proposals.models import (
    MAX_PROPOSAL_ATTACHMENT_BYTES,
    TEXT_LIMIT,
    Attachment,
    BudgetLine,
    Proposal,
    ProposalEvent,
    Round,
)
from proposals.uploads import clean_upload

from .common import lock_proposal

MAX_ATTACHMENTS = 10


def _check_text(fields: dict[str, str], limits: dict[str, int] | None = None) -> dict:
    limits = limits or {}
    cleaned, errors = {}, {}
    for name, value in fields.items():
        value = (value or "").strip()
        limit = limits.get(name, TEXT_LIMIT)
        if len(value) > limit:
            errors[name] = _(
                "Keep this to %(limit)s characters; it has %(length)s."
            ) % {"limit": limit, "length": len(value)}
        cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _lock_editable(proposal: Proposal, actor: User) -> Proposal:
    """Lock a proposal its team may edit now (draft or returned), or refuse."""
    proposal = lock_proposal(proposal)
    require_perm(actor, "proposals.edit_proposal", proposal)
    if not proposal.is_editable:
        raise ValidationError(
            _(
                "A proposal that is %(status)s cannot be edited; it can be edited "
                "again only if it is returned for revision."
            )
            % {"status": proposal.get_status_display()},
            code="not_editable",
        )
    return proposal


@transaction.atomic
def proposal_create(*, round: Round, actor: User, title: str) -> Proposal:
    """Start a draft in a call that is open today (opened, not closed).

    Needs `proposals.create_proposal` (a verified resident of the call's
    community).
    """
    require_perm(actor, "proposals.create_proposal", round)
    fields = _check_text({"title": title}, {"title": 120})
    if not fields["title"]:
        raise ValidationError({"title": _("Give the proposal a title.")})
    # Read again: the caller's copy may predate an early closing.
    round = Round.objects.get(pk=round.pk)
    today = clock.today()
    if today < round.opens_on:
        raise ValidationError(
            _("The call opens on %(date)s; start your proposal then.")
            % {"date": round.opens_on},
            code="not_open",
        )
    if round.closed_at is not None:
        raise ValidationError(
            _("The call was closed on %(date)s.")
            % {"date": timezone.localdate(round.closed_at)},
            code="closed",
        )
    if today > round.closes_on:
        raise ValidationError(
            _("The call closed on %(date)s.") % {"date": round.closes_on},
            code="closed",
        )
    proposal = Proposal.objects.create(
        round=round, community_id=round.community_id, proposer=actor, **fields
    )
    ProposalEvent.objects.create(
        proposal=proposal,
        actor=actor,
        action=ProposalEvent.Action.CREATED,
        to_status=proposal.status,
        at=clock.now(),
    )
    return proposal


@transaction.atomic
def proposal_save_problem(
    *,
    proposal: Proposal,
    actor: User,
    title: str,
    category: str,
    problem: str,
    affected: str,
    evidence: str,
) -> Proposal:
    """Save the first step: title, category, the problem (what, who, evidence)."""
    proposal = _lock_editable(proposal, actor)
    fields = _check_text(
        {
            "title": title,
            "problem": problem,
            "affected": affected,
            "evidence": evidence,
        },
        {"title": 120},
    )
    if not fields["title"]:
        raise ValidationError({"title": _("Give the proposal a title.")})
    if category and category not in Category.values:
        raise ValidationError({"category": _("Choose a category from the list.")})
    for name, value in {**fields, "category": category or ""}.items():
        setattr(proposal, name, value)
    proposal.save(update_fields=[*fields, "category", "updated_at"])
    return proposal


@transaction.atomic
def proposal_save_plan(
    *,
    proposal: Proposal,
    actor: User,
    activities: str,
    schedule: str,
    place: str,
    volunteers: str,
) -> Proposal:
    """Save the plan: activities, schedule, place, and how residents volunteer."""
    proposal = _lock_editable(proposal, actor)
    fields = _check_text(
        {
            "activities": activities,
            "schedule": schedule,
            "place": place,
            "volunteers": volunteers,
        },
        {"place": 200},
    )
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.save(update_fields=[*fields, "updated_at"])
    return proposal


@transaction.atomic
def proposal_save_budget(
    *, proposal: Proposal, actor: User, lines: list[dict]
) -> Proposal:
    """Replace the budget with these lines and store the computed total.

    Each line is a dict of item, quantity (a whole number above zero), unit
    and unit_cost (yuan, at most two decimals). Refuses the whole budget,
    naming each bad line, if any line is wrong; blank lines are skipped.
    """
    proposal = _lock_editable(proposal, actor)
    parsed, total = clean_lines(lines)
    proposal.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            proposal=proposal,
            position=position,
            item=line.item,
            quantity=line.quantity,
            unit=line.unit,
            unit_cost=line.unit_cost,
        )
        for position, line in enumerate(parsed, start=1)
    )
    proposal.requested_amount = total
    proposal.save(update_fields=["requested_amount", "updated_at"])
    return proposal


@transaction.atomic
def attachment_add(*, proposal: Proposal, actor: User, upload) -> Attachment:
    """Attach a photo or PDF, judged by its content: JPEG, PNG or PDF, ≤ 10 MB.

    Photos are decoded and encoded again without their EXIF (location data
    is personal); a photo that does not decode is refused. A proposal holds
    at most 10 files and 30 MB in all. The file is stored under a random
    name; the uploader's name is kept as data only.
    """
    proposal = _lock_editable(proposal, actor)
    existing = list(proposal.attachments.values_list("size", flat=True))
    if len(existing) >= MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "file": _("A proposal has at most %(limit)s attachments.")
                % {"limit": MAX_ATTACHMENTS}
            }
        )
    cleaned = clean_upload(upload)
    content, content_type = cleaned.content, cleaned.content_type
    if sum(existing) + content.size > MAX_PROPOSAL_ATTACHMENT_BYTES:
        raise ValidationError(
            {
                "file": _(
                    "The files of a proposal may add up to 30 MB; it has "
                    "%(used)s MB and this one is %(size)s MB. Remove a file or "
                    "send a smaller one."
                )
                % {"used": _megabytes(sum(existing)), "size": _megabytes(content.size)}
            },
            code="proposal_full",
        )
    name = cleaned.original_name
    attachment = Attachment(
        proposal=proposal,
        original_name=name,
        content_type=content_type,
        size=content.size,
        uploaded_by=actor,
    )
    attachment.file.save(name, content, save=False)
    attachment.save()
    proposal.save(update_fields=["updated_at"])
    return attachment


def _megabytes(size: int) -> float:
    return round(size / 1024 / 1024, 1)


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    """Remove an attachment from a proposal that may still be edited."""
    proposal = _lock_editable(attachment.proposal, actor)
    attachment.file.delete(save=False)
    attachment.delete()
    proposal.save(update_fields=["updated_at"])
