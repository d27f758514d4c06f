"""Reads about calls for proposals and proposals, for pages, the API and other apps.

List selectors run a fixed number of queries whatever the number of rows:
they join what each row shows and prefetch what a page lists.
"""

import datetime
import difflib
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from fundapp import clock
from fundapp.models import Category, Commitment, Community, Membership, Role, User
from fundapp.money import ZERO, format_cny
from fundapp.permissions import verified_roles

from . import submission
from .filters import ProposalFilter
from .models import (
    TEAM_OPEN_STATUSES,
    Comment,
    CoProposerInvitation,
    Notification,
    Proposal,
    ProposalEvent,
    ProposalVersion,
    Round,
)
from .submission import Problem

# The text submission needs (proposals/submission.py names and places it).
TEXT_FIELDS = (
    "title",
    "problem",
    "affected",
    "evidence",
    "activities",
    "schedule",
    "place",
    "volunteers",
)


# What a person's name is made of (User.__str__).
NAME_FIELDS = ("display_name", "first_name", "last_name", "username")


def person_name(
    display_name: str, first_name: str, last_name: str, username: str
) -> str:
    """A person's name as `User.__str__` gives it, from the columns of
    `NAME_FIELDS`: a list names its people without building them."""
    return display_name or f"{first_name} {last_name}".strip() or username


def round_list(*, community: Community) -> list[Round]:
    """The community's calls, open ones first, then the most recent."""
    today = timezone.localdate()
    rounds = list(Round.objects.filter(community=community))
    return sorted(
        rounds, key=lambda r: (not r.is_open_on(today), -r.opens_on.toordinal())
    )


class CommunityCalls(NamedTuple):
    """A community's calls, newest first (`Round`'s order), and the open ones
    among them, closing soonest first."""

    all: list[Round]
    open: list[Round]


def community_calls(*, community: Community) -> CommunityCalls:
    """The calls the proposal list offers in its menu and lists as open: one
    query for both (each read its own before)."""
    calls = list(Round.objects.filter(community=community))
    today = timezone.localdate()
    open_calls = sorted(
        (call for call in calls if call.is_open_on(today)),
        key=lambda call: (call.closes_on, call.pk),
    )
    return CommunityCalls(calls, open_calls)


def proposal_public_queryset() -> QuerySet[Proposal]:
    """Proposals anyone may read: those submitted at least once."""
    return Proposal.objects.filter(submitted_at__isnull=False).select_related(
        "round", "community", "proposer"
    )


def proposal_list(
    *, filters, community: Community | None = None, calls: list[Round] | None = None
) -> ProposalFilter:
    """Public proposals, filtered and sorted by `ProposalFilter`.

    `calls`, the community's calls, are its menu of calls (read otherwise).
    """
    queryset = proposal_public_queryset()
    if community is not None:
        queryset = queryset.filter(community=community)
    return ProposalFilter(filters, queryset, community=community, calls=calls)


class ProposalCard(NamedTuple):
    """What the proposal list shows of a proposal."""

    pk: int
    title: str
    status: str
    category: str
    round_title: str
    requested_amount: Decimal
    support_count: int
    comment_count: int
    proposer: str


CARD_FIELDS = (
    "id",
    "title",
    "status",
    "category",
    "round__title",
    "requested_amount",
    "support_count",
    "comment_count",
    *(f"proposer__{name}" for name in NAME_FIELDS),
)


def proposal_card_page(proposals: QuerySet[Proposal], number, per_page: int) -> Page:
    """The page `number` of `proposals` as cards (two queries: the count and
    the page), each read as a row of what a card shows, not as models."""
    paginator = Paginator(proposals.values_list(*CARD_FIELDS), per_page)
    # Counted without the joins the cards' columns add to the rows' query.
    paginator.count = proposals.count()
    page = paginator.get_page(number)
    page.object_list = [
        ProposalCard(*row[:-4], person_name(*row[-4:])) for row in page.object_list
    ]
    return page


VERSION_SQL = f"""
SELECT
    (SELECT updated_at FROM {Proposal._meta.db_table}
     WHERE community_id = %s ORDER BY updated_at DESC LIMIT 1),
    (SELECT id FROM {Round._meta.db_table}
     WHERE community_id = %s ORDER BY id DESC LIMIT 1),
    (SELECT closed_at FROM {Round._meta.db_table}
     WHERE community_id = %s AND closed_at IS NOT NULL ORDER BY closed_at DESC LIMIT 1)
"""  # noqa: S608  (table names from the models; values are parameters)


def proposal_list_version(*, community: Community) -> str:
    """What the community's list page shows changes only when this does.

    The newest `updated_at` of its proposals (every service that changes a
    proposal, its counts or what hangs on it, moves it), its newest call and
    the newest closing of a call (calls are otherwise never edited). One
    query, on indexes; written as SQL because this runs on every view of the
    list and the ORM took ten times longer to build it than PostgreSQL to run it.
    """
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL, [community.pk] * 3)
        stamps = cursor.fetchone()
    return ":".join(
        stamp.isoformat() if hasattr(stamp, "isoformat") else str(stamp)
        for stamp in stamps
    )


def proposal_list_of_user(*, actor: User) -> QuerySet[Proposal]:
    """Proposals the person is on the team of, drafts included."""
    return (
        Proposal.objects.filter(Q(proposer=actor) | Q(co_proposers=actor))
        .select_related("round", "community")
        .distinct()
        .order_by("-updated_at", "-id")
    )


def proposal_get(*, pk: int) -> Proposal:
    """One proposal with everything its page shows, in a fixed number of queries."""
    return (
        Proposal.objects.select_related("round", "community", "proposer", "commitment")
        .prefetch_related(
            "budget_lines",
            "co_proposers",
            "attachments",
            Prefetch(
                "comments",
                Comment.objects.select_related("author", "hidden_by").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch(
                "events",
                ProposalEvent.objects.select_related("actor").order_by("at", "id"),
            ),
            Prefetch(
                "versions",
                ProposalVersion.objects.defer("snapshot").order_by("number"),
            ),
        )
        .get(pk=pk)
    )


def proposal_get_for_page(*, pk: int) -> Proposal:
    """One proposal and its call and community: what its page needs on a cache hit.

    The page is cached under the proposal's `updated_at`; what it lists
    (`proposal_page_lists`) is read only on a miss.
    """
    return Proposal.objects.select_related("round", "community", "proposer").get(pk=pk)


class CommentRow(NamedTuple):
    """What a proposal's page shows of a comment."""

    pk: int
    author: str
    body: str
    created_at: datetime.datetime
    is_hidden: bool
    hidden_reason: str


class EventRow(NamedTuple):
    """What a proposal's timeline shows of a step."""

    at: datetime.datetime
    actor: str
    action: str
    from_status: str
    to_status: str
    reason: str


def proposal_comment_rows(proposal: Proposal) -> list[CommentRow]:
    """The proposal's comments, oldest first, with their authors' names (one
    query): a busy proposal lists a hundred, read as rows, not models."""
    rows = (
        Comment.objects.filter(proposal_id=proposal.pk)
        .order_by("created_at", "id")
        .values_list(
            "id",
            "body",
            "created_at",
            "hidden_at",
            "hidden_reason",
            *(f"author__{name}" for name in NAME_FIELDS),
        )
    )
    return [
        CommentRow(pk, person_name(*name), body, at, hidden_at is not None, reason)
        for pk, body, at, hidden_at, reason, *name in rows
    ]


def proposal_event_rows(proposal: Proposal) -> list[EventRow]:
    """The proposal's steps, oldest first, with who took them (one query)."""
    rows = (
        ProposalEvent.objects.filter(proposal_id=proposal.pk)
        .order_by("at", "id")
        .values_list(
            "at",
            "action",
            "from_status",
            "to_status",
            "reason",
            *(f"actor__{name}" for name in NAME_FIELDS),
        )
    )
    return [
        EventRow(at, person_name(*name), action, from_status, to_status, reason)
        for at, action, from_status, to_status, reason, *name in rows
    ]


def proposal_page_lists(proposal: Proposal) -> dict:
    """What a proposal's page lists, each read (one query) only when shown."""

    def lazy(read):
        return SimpleLazyObject(lambda: list(read()))

    return {
        "lines": lazy(proposal.budget_lines.all),
        # Names and numbers only: the page shows nothing else of them.
        "co_proposers": lazy(
            lambda: (
                person_name(*names)
                for names in proposal.co_proposers.values_list(*NAME_FIELDS)
            )
        ),
        "attachments": lazy(proposal.attachments.all),
        "comments": lazy(lambda: proposal_comment_rows(proposal)),
        "events": lazy(lambda: proposal_event_rows(proposal)),
        "versions": lazy(
            lambda: proposal.versions.order_by("number").values("number", "created_at")
        ),
    }


def proposal_team_ids(proposal: Proposal) -> set[int]:
    """The proposer's and co-proposers' user ids."""
    return {proposal.proposer_id, *proposal.co_proposers.values_list("pk", flat=True)}


def proposal_conflicted_user_ids(proposal: Proposal) -> set[int]:
    """Who must be recused from council questions on this proposal.

    The proposer, the co-proposers and the named beneficiaries (DESIGN §4:
    conflict of interest). Uses those prefetched by the caller's selector,
    if any.
    """
    named = proposal.beneficiary_phones or []
    beneficiaries = (
        User.objects.filter(phone__in=named).values_list("pk", flat=True)
        if named
        else []
    )
    return {
        proposal.proposer_id,
        *(user.pk for user in proposal.co_proposers.all()),
        *beneficiaries,
    }


def proposals_granted_unpaid(*, community: Community) -> QuerySet[Proposal]:
    """Approved proposals whose grant is still committed, oldest decision
    first, with their teams (two queries): a later meeting may still rescind
    or amend them."""
    return (
        Proposal.objects.filter(
            community=community,
            status=Proposal.Status.APPROVED,
            commitment__isnull=False,
        )
        .prefetch_related("co_proposers")
        .order_by("decided_at", "pk")
    )


def proposals_of_commitments(*, commitment_ids) -> dict[int, Proposal]:
    """The proposal each commitment pays for, by commitment id (one query):
    what reports list a grant under."""
    proposals = Proposal.objects.filter(
        commitment_id__in=[pk for pk in commitment_ids if pk is not None]
    ).order_by("pk")
    return {proposal.commitment_id: proposal for proposal in proposals}


def commitments_funding_proposals(*, commitments) -> tuple[int, int]:
    """How many commitments `commitments` (ids, or a query of them) names,
    and how many of them pay for a proposal (one query)."""
    counts = Commitment.objects.filter(pk__in=commitments).aggregate(
        commitments=Count("pk", distinct=True),
        with_proposal=Count("pk", distinct=True, filter=Q(proposals__isnull=False)),
    )
    return counts["commitments"], counts["with_proposal"]


def proposals_eligible_for_agenda(community: Community) -> QuerySet[Proposal]:
    """Proposals a meeting may take up: eligible, postponed or referred ones.

    Oldest first (the order the council should hear them in).
    """
    return (
        Proposal.objects.filter(
            community=community,
            status__in=[
                Proposal.Status.ELIGIBLE,
                Proposal.Status.POSTPONED,
                Proposal.Status.REFERRED,
            ],
        )
        .select_related("round", "proposer")
        .order_by("status_changed_at", "id")
    )


def screening_queue(*, community: Community) -> QuerySet[Proposal]:
    """Submitted and in-screening proposals, oldest submission first."""
    return (
        Proposal.objects.filter(
            community=community,
            status__in=[Proposal.Status.SUBMITTED, Proposal.Status.SCREENING],
        )
        .select_related("round", "proposer")
        .order_by("status_changed_at", "id")
    )


def is_verified_resident(user: User, community: Community) -> bool:
    return Role.RESIDENT in verified_roles(user, community)


def proposal_problems(proposal: Proposal, *, on=None, for_submission=True) -> list[str]:
    """Everything that keeps the proposal from meeting its call's rules.

    Empty when the proposal may be submitted (or, with
    `for_submission=False`, marked eligible, which also counts supports).
    A returned proposal may be resubmitted after the call closes, since
    screening itself happens after it.
    """
    on = on or clock.today()
    call = proposal.round
    problems = []
    first_submission = proposal.submitted_at is None
    if for_submission and first_submission:
        if on < call.opens_on:
            problems.append(
                _("The call opens on %(date)s; submit then.") % {"date": call.opens_on}
            )
        elif call.closed_at is not None:
            problems.append(
                _(
                    "The call was closed on %(date)s; proposals can no longer be "
                    "submitted."
                )
                % {"date": timezone.localdate(call.closed_at)}
            )
        elif on > call.closes_on:
            problems.append(
                _("The call closed on %(date)s; proposals can no longer be submitted.")
                % {"date": call.closes_on}
            )
    for name in TEXT_FIELDS:
        if not getattr(proposal, name).strip():
            problems.append(
                Problem(
                    _("“%(field)s” is empty.") % {"field": submission.label(name)},
                    submission.step_of(name),
                )
            )
    if not proposal.category:
        problems.append(
            Problem(_("Choose a category."), submission.step_of("category"))
        )
    elif not call.allows(proposal.category):
        problems.append(
            Problem(
                _("This call does not accept %(category)s; it accepts: %(allowed)s.")
                % {
                    "category": Category(proposal.category).label,
                    "allowed": ", ".join(
                        str(label) for label in call.eligible_category_labels
                    ),
                },
                submission.step_of("category"),
            )
        )
    lines = list(proposal.budget_lines.all())
    if not lines:
        problems.append(Problem(_("Add at least one budget line."), "budget"))
    total = sum((line.total for line in lines), ZERO)
    if total > call.ceiling_amount:
        problems.append(
            Problem(
                _(
                    "The budget of %(total)s is over the call's ceiling of %(ceiling)s "
                    "by %(over)s."
                )
                % {
                    "total": format_cny(total),
                    "ceiling": format_cny(call.ceiling_amount),
                    "over": format_cny(total - call.ceiling_amount),
                },
                "budget",
            )
        )
    for user in [proposal.proposer, *proposal.co_proposers.all()]:
        if not is_verified_resident(user, proposal.community):
            problems.append(
                Problem(
                    _("%(name)s is not a verified resident of this community.")
                    % {"name": user},
                    "team",
                )
            )
    if not for_submission and proposal.support_count < call.minimum_supports:
        problems.append(
            _("%(count)s residents support it; the call needs %(minimum)s.")
            % {"count": proposal.support_count, "minimum": call.minimum_supports}
        )
    return problems


def proposal_snapshot(proposal: Proposal) -> dict:
    """The text and budget of a proposal as a version stores them."""
    lines = list(proposal.budget_lines.all())
    return {
        **{name: getattr(proposal, name) for name in TEXT_FIELDS},
        "category": proposal.category,
        "budget": [
            {
                "item": line.item,
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_cost": str(line.unit_cost),
                "total": str(line.total),
            }
            for line in lines
        ],
        "total": str(proposal.requested_amount),
    }


@dataclass(frozen=True)
class FieldChange:
    label: str
    lines: list[tuple[str, str]]  # (kind, text): kind is "same", "added", "removed"


def _diff(old: str, new: str) -> list[tuple[str, str]]:
    result = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        tag, text = line[:2], line[2:]
        if tag == "+ ":
            result.append(("added", text))
        elif tag == "- ":
            result.append(("removed", text))
        elif tag == "  ":
            result.append(("same", text))
    return result


def _budget_text(snapshot: dict) -> str:
    rows = [
        f"{line['item']} · {line['quantity']} {line['unit']} × "
        f"{format_cny(line['unit_cost'])} = {format_cny(line['total'])}"
        for line in snapshot.get("budget", [])
    ]
    rows.append(
        _("Total: %(total)s") % {"total": format_cny(snapshot.get("total", "0.00"))}
    )
    return "\n".join(rows)


def proposal_version_compare(
    *, proposal: Proposal, old_number: int, new_number: int
) -> list[FieldChange]:
    """What changed between two versions, field by field (only changed fields)."""
    versions = {
        version.number: version.snapshot
        for version in ProposalVersion.objects.filter(
            proposal=proposal, number__in=[old_number, new_number]
        )
    }
    old, new = versions.get(old_number), versions.get(new_number)
    if old is None or new is None:
        return []
    changes = []
    for name in TEXT_FIELDS:
        if old.get(name, "") != new.get(name, ""):
            label = str(Proposal._meta.get_field(name).verbose_name)
            changes.append(
                FieldChange(label, _diff(old.get(name, ""), new.get(name, "")))
            )
    if old.get("category") != new.get("category"):
        labels = [
            str(Category(value).label) if value else ""
            for value in (old.get("category", ""), new.get("category", ""))
        ]
        changes.append(
            FieldChange(
                str(_("category")), [("removed", labels[0]), ("added", labels[1])]
            )
        )
    old_budget, new_budget = _budget_text(old), _budget_text(new)
    if old_budget != new_budget:
        changes.append(FieldChange(str(_("budget")), _diff(old_budget, new_budget)))
    return changes


def notification_list(*, actor: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=actor).select_related("proposal")[:100]


def notification_unread_count(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()


def proposal_invitations(proposal: Proposal):
    """The invitations to a proposal's team, by the numbers typed, with their
    answers: for its team's eyes only."""
    return proposal.invitations.order_by("-created_at", "-id")


def invitations_for(*, actor: User):
    """The open invitations addressed to the actor's number, in communities
    where they are a verified resident, for proposals whose team is open."""
    if not actor.is_authenticated or not actor.phone:
        return CoProposerInvitation.objects.none()
    communities = Membership.objects.filter(
        user=actor, role=Role.RESIDENT, verified_at__isnull=False
    ).values("community_id")
    return (
        CoProposerInvitation.objects.filter(
            phone=actor.phone,
            answered_at__isnull=True,
            proposal__community_id__in=communities,
            proposal__status__in=TEAM_OPEN_STATUSES,
        )
        .select_related("proposal__proposer", "proposal__community")
        .order_by("-created_at", "-id")
    )


def proposal_return_reason(proposal: Proposal) -> str:
    """Why a returned proposal was returned (its latest return), until it is
    resubmitted; empty otherwise. One query, only for a returned proposal."""
    if proposal.status != Proposal.Status.RETURNED:
        return ""
    reason = (
        ProposalEvent.objects.filter(
            proposal=proposal, action=ProposalEvent.Action.RETURNED
        )
        .order_by("-at", "-id")
        .values_list("reason", flat=True)
        .first()
    )
    return reason or ""
