"""Calls for proposals, the proposals residents write, and what happens to them.

DESIGN §3. A proposal's status changes only in `proposals.services`, one
function per transition; `Proposal.NEXT_STATUSES` is the whole lifecycle as
data, and a check constraint keeps unknown statuses out of the database.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fundapp.choices import ChoiceLabels
from fundapp.history import track_changes
from fundapp.models import Category
from fundapp.money import CNYField, cny

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_PROPOSAL_ATTACHMENT_BYTES = 30 * 1024 * 1024
TEXT_LIMIT = 4000


@track_changes(model_name="RoundHistory")
class Round(models.Model):
    """A call for proposals in one community, with the rules proposals must meet."""

    community = models.ForeignKey(
        "fundapp.Community", models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=TEXT_LIMIT, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    budget_amount = CNYField(_("budget envelope"))
    ceiling_amount = CNYField(_("ceiling per proposal"))
    eligible_categories = models.JSONField(
        _("eligible categories"),
        default=list,
        blank=True,
        help_text=_("Leave empty when proposals of any category may apply."),
    )
    minimum_supports = models.PositiveSmallIntegerField(
        _("minimum number of resident co-sponsors"), default=0
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closing_reason = models.CharField(
        _("reason for closing early"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="round_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(budget_amount__gt=0, ceiling_amount__gt=0),
                name="round_amounts_positive",
            ),
            models.CheckConstraint(
                condition=Q(ceiling_amount__lte=models.F("budget_amount")),
                name="round_ceiling_within_budget",
            ),
            models.UniqueConstraint(
                fields=["community", "title"], name="round_unique_title"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_by__isnull=True)
                | Q(closed_at__isnull=False, closed_by__isnull=False),
                name="round_closed_by_someone",
            ),
        ]

    def __str__(self):
        return self.title

    def is_open_on(self, day) -> bool:
        return self.closed_at is None and self.opens_on <= day <= self.closes_on

    @property
    def is_closed_early(self) -> bool:
        return self.closed_at is not None

    def allows(self, category: str) -> bool:
        return not self.eligible_categories or category in self.eligible_categories

    @property
    def eligible_category_labels(self) -> list[str]:
        return [Category(value).label for value in self.eligible_categories]


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    SCREENING = "screening", _("in screening")
    RETURNED = "returned", _("returned for revision")
    ELIGIBLE = "eligible", _("eligible")
    ON_AGENDA = "on_agenda", _("on the agenda")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    POSTPONED = "postponed", _("postponed")
    REFERRED = "referred", _("referred to a committee")
    ACTIVE = "active", _("active")
    COMPLETED = "completed", _("completed")
    EVALUATED = "evaluated", _("evaluated")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn")


# A co-proposer may still join while the proposal is written or read by the
# social workers; not once it is on a council's agenda or decided.
TEAM_OPEN_STATUSES = frozenset(
    {
        ProposalStatus.DRAFT,
        ProposalStatus.RETURNED,
        ProposalStatus.SUBMITTED,
        ProposalStatus.SCREENING,
        ProposalStatus.ELIGIBLE,
    }
)


class Proposal(ChoiceLabels, models.Model):
    """What residents ask the fund to pay for, from the first draft to closing.

    A council motion to lay the question on the table leaves the proposal
    ON_AGENDA with `tabled_at` set: it is unfinished business, not a decision.
    """

    Status = ProposalStatus
    _S = ProposalStatus
    NEXT_STATUSES = {
        _S.DRAFT: {_S.SUBMITTED, _S.WITHDRAWN},
        _S.SUBMITTED: {_S.SCREENING, _S.RETURNED, _S.ELIGIBLE, _S.WITHDRAWN},
        _S.SCREENING: {_S.RETURNED, _S.ELIGIBLE, _S.WITHDRAWN},
        _S.RETURNED: {_S.SUBMITTED, _S.WITHDRAWN},
        _S.ELIGIBLE: {_S.ON_AGENDA, _S.WITHDRAWN},
        _S.ON_AGENDA: {
            _S.APPROVED,
            _S.REJECTED,
            _S.POSTPONED,
            _S.REFERRED,
            _S.WITHDRAWN,
        },
        _S.POSTPONED: {_S.ON_AGENDA},
        _S.REFERRED: {_S.ON_AGENDA},
        # Reconsider or rescind while unpaid brings a decision back.
        _S.APPROVED: {_S.ACTIVE, _S.ON_AGENDA},
        _S.REJECTED: {_S.ON_AGENDA},
        _S.ACTIVE: {_S.COMPLETED},
        _S.COMPLETED: {_S.EVALUATED},
        _S.EVALUATED: {_S.CLOSED},
    }
    EDITABLE = frozenset({_S.DRAFT, _S.RETURNED})
    # Residents may support and comment while the question is still open.
    OPEN_FOR_SUPPORT = frozenset(
        {_S.SUBMITTED, _S.SCREENING, _S.RETURNED, _S.ELIGIBLE, _S.ON_AGENDA}
    )
    DECIDED = frozenset({_S.APPROVED, _S.REJECTED, _S.POSTPONED, _S.REFERRED})
    del _S

    round = models.ForeignKey(Round, models.PROTECT, related_name="proposals")
    community = models.ForeignKey(
        "fundapp.Community", models.PROTECT, related_name="proposals"
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="proposals"
    )
    co_proposers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="co_proposals", blank=True
    )
    # The mobile numbers of residents the proposal would benefit by name
    # (DESIGN §4): a council member with one of them is recused from its
    # questions, as the team is. Kept as numbers, like invitations: naming
    # one tells the proposer nothing about who has it.
    beneficiary_phones = models.JSONField(
        _("named beneficiaries' mobile numbers"), default=list, blank=True
    )
    title = models.CharField(_("title"), max_length=120)
    category = models.CharField(
        _("category"), max_length=24, choices=Category.choices, blank=True
    )
    problem = models.TextField(
        _("what is the problem"), max_length=TEXT_LIMIT, blank=True
    )
    affected = models.TextField(_("who is affected"), max_length=TEXT_LIMIT, blank=True)
    evidence = models.TextField(_("evidence"), max_length=TEXT_LIMIT, blank=True)
    activities = models.TextField(_("activities"), max_length=TEXT_LIMIT, blank=True)
    schedule = models.TextField(_("schedule"), max_length=TEXT_LIMIT, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    volunteers = models.TextField(
        _("how residents take part as volunteers"), max_length=TEXT_LIMIT, blank=True
    )
    requested_amount = CNYField(_("requested amount"), default=Decimal("0.00"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    version_number = models.PositiveIntegerField(_("version"), default=0)
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    tabled_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reference = models.CharField(_("decision"), max_length=120, blank=True)
    approved_amount = CNYField(_("approved amount"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), max_length=TEXT_LIMIT, blank=True)
    commitment = models.ForeignKey(
        "fundapp.Commitment",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values),
                name="proposal_status_known",
            ),
            models.CheckConstraint(
                condition=Q(category="") | Q(category__in=Category.values),
                name="proposal_category_known",
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0),
                name="proposal_requested_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gt=0),
                name="proposal_approved_positive",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(submitted_at__isnull=False)
                | Q(status="withdrawn"),
                name="proposal_submitted_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "-submitted_at"]),
            # The community's list page: newest first, pages in a stable order.
            models.Index(
                fields=["community", "-submitted_at", "-id"],
                name="proposal_community_newest",
                condition=Q(submitted_at__isnull=False),
            ),
            models.Index(fields=["round", "status"]),
            # The version the community's list page is cached under.
            models.Index(
                fields=["community", "-updated_at"], name="proposal_community_updated"
            ),
            models.Index(fields=["-submitted_at", "-id"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:detail", kwargs={"pk": self.pk})

    def can_move_to(self, status: str) -> bool:
        return status in self.NEXT_STATUSES.get(self.status, set())

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_public(self) -> bool:
        return self.submitted_at is not None


class BudgetLine(models.Model):
    """One item of a proposal's budget: quantity × unit cost."""

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField(default=0)
    item = models.CharField(_("item"), max_length=120)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    unit_cost = CNYField(_("unit cost"))

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["proposal_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="budget_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_cost__gt=0), name="budget_line_unit_cost_positive"
            ),
        ]

    def __str__(self):
        return self.item

    @property
    def total(self) -> Decimal:
        return cny(self.quantity * self.unit_cost)


class Support(models.Model):
    """A verified resident co-sponsors a proposal (联署支持), once."""

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="supports")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "resident"], name="support_once_per_resident"
            )
        ]

    def __str__(self):
        return f"{self.resident} → {self.proposal_id}"


class CoProposerInvitation(models.Model):
    """An invitation to join a proposal's team, addressed to a mobile number.

    The number is what the proposer typed; nobody is told whether it belongs to
    anyone. A verified resident of the community whose number it is sees the
    invitation and becomes a co-proposer only by accepting it: until then
    their name shows nowhere and they have no right to edit.
    """

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="invitations")
    phone = models.CharField(_("mobile phone"), max_length=11)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("co-proposer invitation")
        verbose_name_plural = _("co-proposer invitations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "phone"],
                condition=Q(answered_at__isnull=True),
                name="invitation_one_open_per_number",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, accepted__isnull=True)
                | Q(answered_at__isnull=False, accepted__isnull=False),
                name="invitation_answered_with_an_answer",
            ),
        ]
        indexes = [models.Index(fields=["phone", "answered_at"])]

    def __str__(self):
        return f"{self.phone} → {self.proposal_id}"


class Comment(models.Model):
    """A comment on a proposal. Hidden with a reason, never deleted."""

    proposal = models.ForeignKey(Proposal, models.PROTECT, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="proposal_comments"
    )
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True)
                | (Q(hidden_by__isnull=False) & ~Q(hidden_reason="")),
                name="comment_hidden_with_reason",
            )
        ]

    def __str__(self):
        return self.body[:40]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


def attachment_path(instance, filename: str) -> str:
    """A random name: the uploader's file name is kept only as data."""
    return f"proposals/{uuid.uuid4().hex}"


class Attachment(ChoiceLabels, models.Model):
    """A photo, quote or document: JPEG, PNG or PDF by content, at most 10 MB."""

    class Kind(models.TextChoices):
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"
        PDF = "application/pdf", "PDF"

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=40, choices=Kind.choices)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0, size__lte=MAX_ATTACHMENT_BYTES),
                name="attachment_size_limit",
            ),
            models.CheckConstraint(
                condition=Q(
                    content_type__in=["image/jpeg", "image/png", "application/pdf"]
                ),
                name="attachment_type_allowed",
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ProposalVersion(models.Model):
    """What a proposal said, and its budget, when it was (re)submitted."""

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("proposal version")
        verbose_name_plural = _("proposal versions")
        ordering = ["proposal_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="proposal_version_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gt=0), name="proposal_version_positive"
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id} v{self.number}"


class ProposalAction(models.TextChoices):
    CREATED = "created", _("created")
    SUBMITTED = "submitted", _("submitted")
    RESUBMITTED = "resubmitted", _("resubmitted")
    SCREENING = "screening", _("screening started")
    RETURNED = "returned", _("returned for revision")
    ELIGIBLE = "eligible", _("marked eligible")
    WITHDRAWN = "withdrawn", _("withdrawn")
    ON_AGENDA = "on_agenda", _("placed on the agenda")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    POSTPONED = "postponed", _("postponed")
    REFERRED = "referred", _("referred to a committee")
    TABLED = "tabled", _("laid on the table")
    DECISION_UNDONE = "decision_undone", _("decision reconsidered")
    ACTIVE = "active", _("started")
    COMPLETED = "completed", _("completed")
    EVALUATED = "evaluated", _("evaluated")
    CLOSED = "closed", _("closed")
    COMMENT_HIDDEN = "comment_hidden", _("comment hidden")
    SUPPORT_WITHDRAWN = "support_withdrawn", _("support withdrawn")


class ProposalEvent(ChoiceLabels, models.Model):
    """The audit trail: who did what to a proposal, when, and why."""

    Action = ProposalAction

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(
        max_length=16, choices=ProposalStatus.choices, blank=True
    )
    to_status = models.CharField(
        max_length=16, choices=ProposalStatus.choices, blank=True
    )
    reason = models.TextField(_("reason"), max_length=TEXT_LIMIT, blank=True)
    comment = models.ForeignKey(
        Comment, models.PROTECT, null=True, blank=True, related_name="events"
    )
    idempotency_key = models.CharField(
        max_length=80, null=True, blank=True, unique=True
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=ProposalAction.values),
                name="proposal_event_action_known",
            )
        ]

    def __str__(self):
        return f"{self.proposal_id} {self.action}"


class Notification(ChoiceLabels, models.Model):
    """An in-site message to one person about one proposal.

    Stores what happened, not the sentence, so each reader sees it in their
    own language.
    """

    class Kind(models.TextChoices):
        STATUS = "status", _("status changed")
        COMMENT = "comment", _("new comment")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications"
    )
    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=ProposalStatus.choices, blank=True)
    # The reason given with the change (why it was returned for revision),
    # so that the team reads it in the notification and its email.
    reason = models.TextField(_("reason"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["status", "comment"]),
                name="notification_kind_known",
            )
        ]

    def __str__(self):
        return f"{self.recipient_id} {self.kind} {self.proposal_id}"
