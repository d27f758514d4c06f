"""A funded proposal being delivered: its grant, money, delivery and evaluation.

A `Project` is opened by the community's social worker once the council has
approved a proposal (its money is then committed). Its lifecycle is the
proposal's (APPROVED → ACTIVE at the first payment → COMPLETED → EVALUATED →
CLOSED); nothing here repeats the proposal's status.

- Money: `Installment`s whose amounts add up to the approved amount, each
  paid through a `Disbursement` that two fund committee members sign
  (`DisbursementApproval`); `Expense`s with receipts against the proposal's
  budget lines; `ProjectReturn`s of unspent money.
- Delivery (the residents' co-production): `Milestone`s, `ProgressReport`s
  with `ProgressPhoto`s, `VolunteerShift`s.
- Evaluation: residents' `Rating`s, the evaluation team's `Observation`s and
  `DeviationFlag`s. An open or confirmed flag holds every unpaid installment.

Totals (paid, spent, participants, volunteer hours, satisfaction) are
computed by `projects.selectors`, never stored.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fundapp.choices import ChoiceLabels
from fundapp.history import track_changes
from fundapp.money import CNYField

TEXT_LIMIT = 2000
# A receipt or photo is at most this big (as proposal attachments are).
MAX_FILE_BYTES = 10 * 1024 * 1024


def project_file_path(instance, filename: str) -> str:
    """A random name: the uploader's file name is kept only as data."""
    return f"projects/{uuid.uuid4().hex}"


class FileKind(models.TextChoices):
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"
    PDF = "application/pdf", "PDF"


@track_changes(model_name="ProjectHistory", exclude=["contact_phone"])
class Project(ChoiceLabels, models.Model):
    """The grant agreement of an approved proposal and everything that follows."""

    class GranteeKind(models.TextChoices):
        TEAM = "team", _("the residents' team")
        ORGANISATION = "organisation", _("an organisation")

    proposal = models.OneToOneField(
        "proposals.Proposal", models.PROTECT, related_name="project"
    )
    community = models.ForeignKey(
        "fundapp.Community", models.PROTECT, related_name="projects"
    )
    grantee_kind = models.CharField(
        _("grantee"), max_length=16, choices=GranteeKind.choices
    )
    grantee_name = models.CharField(_("grantee's name"), max_length=120)
    contact_name = models.CharField(_("contact person"), max_length=60)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="project_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(grantee_kind__in=["team", "organisation"]),
                name="project_grantee_kind_known",
            ),
        ]

    def __str__(self):
        return str(self.proposal)

    def get_absolute_url(self):
        return reverse("projects:project", kwargs={"pk": self.pk})


class ProjectVersion(models.Model):
    """The number a project's pages are cached under (their `{% cache %}`).

    Every service that changes what the project's pages show adds one to it
    in the transaction of its change (`projects.services.common.
    project_changed`), so the next reader renders anew. A row of its own, not
    a column of `Project`: the project's history of changes records every
    update of its row, and a new version is no change to the agreement.
    """

    project = models.OneToOneField(
        Project, models.CASCADE, primary_key=True, related_name="page_version"
    )
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.project_id} v{self.number}"


@track_changes(model_name="InstallmentHistory")
class Installment(ChoiceLabels, models.Model):
    """One part of the grant's schedule, paid when its trigger is met.

    Its state comes from its disbursements (requested, paid) and the
    project's holds; only `cancelled_at` (unpaid at closing) is its own.
    """

    class Trigger(models.TextChoices):
        START = "start", _("on start")
        PROGRESS = "progress", _("on an accepted progress report")
        FINAL = "final", _("on the accepted final report")
        DATE = "date", _("on a date")

    project = models.ForeignKey(Project, models.CASCADE, related_name="installments")
    position = models.PositiveSmallIntegerField()
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    amount = CNYField(_("amount"))
    trigger = models.CharField(_("paid when"), max_length=12, choices=Trigger.choices)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("installment")
        verbose_name_plural = _("installments")
        ordering = ["project", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "position"], name="installment_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="installment_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100),
                name="installment_percent_plausible",
            ),
            models.CheckConstraint(
                condition=Q(trigger__in=["start", "progress", "final", "date"]),
                name="installment_trigger_known",
            ),
            models.CheckConstraint(
                condition=~Q(trigger="date") | Q(due_on__isnull=False),
                name="installment_date_trigger_has_a_date",
            ),
        ]

    def __str__(self):
        return f"{self.project} #{self.position}"


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("bank transfer")
    CASH = "cash", _("cash, against a signed receipt")
    CHEQUE = "cheque", _("cheque")


@track_changes(model_name="DisbursementHistory")
class Disbursement(ChoiceLabels, models.Model):
    """A request to pay one installment; paid on its second signature."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        PAID = "paid", _("paid")
        WITHDRAWN = "withdrawn", _("withdrawn")

    NEXT_STATUSES = {
        Status.REQUESTED: {Status.PAID, Status.WITHDRAWN},
    }
    APPROVALS_NEEDED = 2

    installment = models.ForeignKey(
        Installment, models.PROTECT, related_name="disbursements"
    )
    amount = CNYField(_("amount"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    withdrawn_reason = models.CharField(_("reason"), max_length=300, blank=True)
    method = models.CharField(
        _("payment method"), max_length=16, choices=PaymentMethod.choices, blank=True
    )
    bank_reference = models.CharField(_("bank reference"), max_length=60, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # Each payment debits the ledger at most once.
    ledger_transaction = models.OneToOneField(
        "fundapp.LedgerTransaction",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="disbursement",
    )

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="disbursement_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "paid", "withdrawn"]),
                name="disbursement_status_known",
            ),
            # One live request, or one payment, per installment.
            models.UniqueConstraint(
                fields=["installment"],
                condition=Q(status__in=["requested", "paid"]),
                name="disbursement_one_live_per_installment",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid")
                | Q(
                    ledger_transaction__isnull=False,
                    paid_on__isnull=False,
                    method__gt="",
                ),
                name="disbursement_paid_is_recorded",
            ),
        ]

    def __str__(self):
        return f"{self.installment} {self.get_status_display()}"

    def can_move_to(self, status: str) -> bool:
        return status in self.NEXT_STATUSES.get(self.status, set())


class DisbursementApproval(models.Model):
    """One signature on a disbursement; two different people are needed."""

    disbursement = models.ForeignKey(
        Disbursement, models.CASCADE, related_name="approvals"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["approved_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["disbursement", "approver"], name="approval_once_per_person"
            )
        ]

    def __str__(self):
        return f"{self.disbursement}: {self.approver}"


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for review")
    ACCEPTED = "accepted", _("accepted")
    QUERIED = "queried", _("queried")


REVIEW_NEXT = {
    ReviewStatus.SUBMITTED: {ReviewStatus.ACCEPTED, ReviewStatus.QUERIED},
    ReviewStatus.QUERIED: {ReviewStatus.SUBMITTED},
}


class Expense(ChoiceLabels, models.Model):
    """Money the grantee spent on one budget line, with its receipt."""

    Status = ReviewStatus
    NEXT_STATUSES = REVIEW_NEXT

    project = models.ForeignKey(Project, models.PROTECT, related_name="expenses")
    budget_line = models.ForeignKey(
        "proposals.BudgetLine", models.PROTECT, related_name="expenses"
    )
    amount = CNYField(_("amount"))
    spent_on = models.DateField(_("spent on"))
    description = models.CharField(_("what was bought"), max_length=200)
    over_budget_reason = models.CharField(
        _("why over the budget line"), max_length=300, blank=True
    )
    receipt = models.FileField(upload_to=project_file_path, max_length=200)
    receipt_name = models.CharField(_("receipt"), max_length=120)
    receipt_type = models.CharField(max_length=40, choices=FileKind.choices)
    receipt_size = models.PositiveIntegerField()
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReviewStatus.choices,
        default=ReviewStatus.SUBMITTED,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    query = models.CharField(_("question"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["spent_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="expense_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "accepted", "queried"]),
                name="expense_status_known",
            ),
            models.CheckConstraint(
                condition=Q(receipt_size__gt=0, receipt_size__lte=MAX_FILE_BYTES),
                name="expense_receipt_size_limit",
            ),
            models.CheckConstraint(
                condition=Q(receipt_type__in=FileKind.values),
                name="expense_receipt_type_allowed",
            ),
        ]

    def __str__(self):
        return self.description

    def can_move_to(self, status: str) -> bool:
        return status in self.NEXT_STATUSES.get(self.status, set())


class ProjectReturn(models.Model):
    """Unspent money the grantee gave back to the fund."""

    project = models.ForeignKey(Project, models.PROTECT, related_name="returns")
    amount = CNYField(_("amount"))
    returned_on = models.DateField(_("returned on"))
    bank_reference = models.CharField(_("bank reference"), max_length=60)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    ledger_transaction = models.OneToOneField(
        "fundapp.LedgerTransaction", models.PROTECT, related_name="project_return"
    )

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["returned_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="project_return_amount_positive"
            )
        ]

    def __str__(self):
        return f"{self.project}: {self.amount}"


class Milestone(models.Model):
    """A step of the plan with its due date; reached when a report says so."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=120)
    due_on = models.DateField(_("due on"))
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title


class ProgressReport(ChoiceLabels, models.Model):
    """What the grantee did, when and where, and how many residents took part."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("progress report")
        FINAL = "final", _("final report")

    Status = ReviewStatus
    NEXT_STATUSES = REVIEW_NEXT

    project = models.ForeignKey(Project, models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    milestone = models.ForeignKey(
        Milestone,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("milestone reached"),
    )
    summary = models.TextField(_("what was done"), max_length=TEXT_LIMIT)
    happened_on = models.DateField(_("when"))
    place = models.CharField(_("where"), max_length=200)
    participants = models.PositiveIntegerField(_("residents who took part"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReviewStatus.choices,
        default=ReviewStatus.SUBMITTED,
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    query = models.CharField(_("question"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["happened_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["progress", "final"]),
                name="progress_report_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "accepted", "queried"]),
                name="progress_report_status_known",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.happened_on}"

    def can_move_to(self, status: str) -> bool:
        return status in self.NEXT_STATUSES.get(self.status, set())


class ProgressPhoto(ChoiceLabels, models.Model):
    """A photo of the work, cleaned of its metadata (proposals/uploads.py)."""

    report = models.ForeignKey(ProgressReport, models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=project_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=40, choices=FileKind.choices)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0, size__lte=MAX_FILE_BYTES),
                name="progress_photo_size_limit",
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=["image/jpeg", "image/png"]),
                name="progress_photo_is_a_photo",
            ),
        ]

    def __str__(self):
        return self.original_name


class VolunteerShift(models.Model):
    """Hours one volunteer gave to one activity on one day (co-delivery).

    The volunteer is a verified resident, or a named person who is not
    registered.
    """

    project = models.ForeignKey(Project, models.PROTECT, related_name="shifts")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_shifts",
    )
    volunteer_name = models.CharField(_("volunteer's name"), max_length=60, blank=True)
    activity = models.CharField(_("activity"), max_length=120)
    served_on = models.DateField(_("day"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        ordering = ["served_on", "id"]
        indexes = [models.Index(fields=["project", "served_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=Decimal("24.0")),
                name="volunteer_shift_hours_in_a_day",
            ),
            models.CheckConstraint(
                condition=Q(volunteer__isnull=False) | ~Q(volunteer_name=""),
                name="volunteer_shift_names_someone",
            ),
        ]

    def __str__(self):
        return f"{self.volunteer_name or self.volunteer} {self.served_on}"


class Rating(models.Model):
    """One resident's satisfaction with one project, 1 to 5 (changeable)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="ratings")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="project_ratings"
    )
    score = models.PositiveSmallIntegerField(_("satisfaction"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField()
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "resident"], name="rating_once_per_resident"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.score}"


class Observation(models.Model):
    """What an evaluator saw on a visit."""

    project = models.ForeignKey(Project, models.PROTECT, related_name="observations")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    observed_on = models.DateField(_("visited on"))
    notes = models.TextField(_("what was seen"), max_length=TEXT_LIMIT)
    score = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("site observation")
        verbose_name_plural = _("site observations")
        ordering = ["observed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="observation_score_1_to_5",
            )
        ]

    def __str__(self):
        return f"{self.project} {self.observed_on}"


@track_changes(model_name="DeviationFlagHistory")
class DeviationFlag(ChoiceLabels, models.Model):
    """The evaluation team's warning that a project deviates; it holds payments.

    OPEN and CONFIRMED flags hold every unpaid installment of the project;
    the fund committee confirms or lifts the hold citing a council decision.
    """

    class Kind(models.TextChoices):
        OFF_PLAN = "off_plan", _("off plan")
        OVER_BUDGET = "over_budget", _("over budget")
        INACTIVE = "inactive", _("inactive")
        OTHER = "other", _("other")

    class State(models.TextChoices):
        OPEN = "open", _("open: payments on hold")
        CONFIRMED = "confirmed", _("hold confirmed")
        LIFTED = "lifted", _("hold lifted")

    NEXT_STATES = {
        State.OPEN: {State.CONFIRMED, State.LIFTED},
        State.CONFIRMED: {State.LIFTED},
    }
    HOLDING = frozenset({State.OPEN, State.CONFIRMED})

    project = models.ForeignKey(Project, models.PROTECT, related_name="flags")
    kind = models.CharField(_("deviation"), max_length=12, choices=Kind.choices)
    reasons = models.TextField(_("reasons"), max_length=TEXT_LIMIT)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    decision_reference = models.CharField(
        _("council decision"), max_length=60, blank=True
    )
    resolution_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("deviation flag")
        verbose_name_plural = _("deviation flags")
        ordering = ["raised_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["off_plan", "over_budget", "inactive", "other"]),
                name="deviation_flag_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "confirmed", "lifted"]),
                name="deviation_flag_state_known",
            ),
            models.CheckConstraint(
                condition=Q(state="open") | ~Q(decision_reference=""),
                name="deviation_flag_resolution_cites_a_decision",
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.get_kind_display()}"

    @property
    def holds(self) -> bool:
        return self.state in self.HOLDING

    def can_move_to(self, state: str) -> bool:
        return state in self.NEXT_STATES.get(self.state, set())


class SubmittedForm(models.Model):
    """A project form's idempotency key once its request was carried out.

    Written in the transaction of what the form did, so a form sent twice
    (a double tap, a resent page) acts once: the second sending finds its key
    here and changes nothing (projects.services.forms).
    """

    key = models.CharField(max_length=80, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    project = models.ForeignKey(
        Project, models.CASCADE, null=True, blank=True, related_name="+"
    )
    # What was asked (fundapp.idempotency.request_digest).
    request_digest = models.CharField(max_length=64)
    submitted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("submitted form")
        verbose_name_plural = _("submitted forms")

    def __str__(self):
        return self.key
