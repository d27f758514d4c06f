"""Reports as made and submitted: each making is a version that is kept.

A version is requested (a row, saved before anything is queued), made by a
Celery task that writes its progress into the row, and then holds its files,
each with a SHA-256, and the figures it was made from. It never changes once
done; making the report again makes a new version. A version submitted to a
department is on record for good (on PostgreSQL the database refuses to
change or delete it, migration 0002).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fundapp.choices import ChoiceLabels
from fundapp.history import track_changes

from .organisations import Department, DonorProgram, Requirement


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("annual report")
    SOURCE = "source", _("source statement")
    PROGRAM = "program", _("program report")


class Report(ChoiceLabels, models.Model):
    """One report about one subject and year: a fund's annual report, a
    source's statement, or a donor program's report."""

    Kind = ReportKind

    kind = models.CharField(_("report"), max_length=16, choices=Kind.choices)
    fund = models.ForeignKey(
        "fundapp.Fund", models.PROTECT, null=True, blank=True, related_name="reports"
    )
    source = models.ForeignKey(
        "fundapp.Source",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    program = models.ForeignKey(
        DonorProgram, models.PROTECT, null=True, blank=True, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-year", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind="annual",
                    fund__isnull=False,
                    source__isnull=True,
                    program__isnull=True,
                )
                | Q(
                    kind="source",
                    fund__isnull=False,
                    source__isnull=False,
                    program__isnull=True,
                )
                | Q(
                    kind="program",
                    fund__isnull=True,
                    source__isnull=True,
                    program__isnull=False,
                ),
                name="report_subject_fits_kind",
            ),
            models.UniqueConstraint(
                fields=["fund", "year"],
                condition=Q(kind="annual"),
                name="report_annual_once",
            ),
            models.UniqueConstraint(
                fields=["source", "year"],
                condition=Q(kind="source"),
                name="report_source_once",
            ),
            models.UniqueConstraint(
                fields=["program", "year"],
                condition=Q(kind="program"),
                name="report_program_once",
            ),
        ]

    def __str__(self):
        subject = self.program or self.source or self.fund
        return f"{subject} · {self.year} · {self.get_kind_display()}"


class VersionStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being made")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


# Its progress while it is made is not history: the status, who asked, and
# how it ended are.
@track_changes(
    model_name="ReportVersionHistory",
    fields=[
        "id",
        "report",
        "number",
        "language",
        "requested_by",
        "requested_at",
        "status",
        "finished_at",
        "failure_reason",
        "reconciles",
    ],
)
class ReportVersion(ChoiceLabels, models.Model):
    """One making of a report, with its parameters, who asked and when."""

    Status = VersionStatus
    NEXT_STATUSES = {
        VersionStatus.QUEUED: {VersionStatus.RUNNING, VersionStatus.FAILED},
        # A redelivered task starts a version again after a worker died.
        VersionStatus.RUNNING: {
            VersionStatus.RUNNING,
            VersionStatus.DONE,
            VersionStatus.FAILED,
        },
    }

    report = models.ForeignKey(Report, models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=10)
    narrative = models.TextField(_("narrative"), max_length=8000, blank=True)
    plan = models.TextField(_("plan for next year"), max_length=8000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    idempotency_key = models.CharField(max_length=80, unique=True)
    request_digest = models.CharField(max_length=64)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VersionStatus.choices,
        default=VersionStatus.QUEUED,
    )
    # When the task was last handed to the broker (None: not yet, e.g. the
    # broker was down; the sweeper queues it again).
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=24, blank=True)
    failure_reason = models.TextField(_("why it failed"), blank=True)
    # What the files were made from, frozen (reports.figures.freeze).
    figures = models.JSONField(null=True, blank=True)
    reconciles = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="report_version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=VersionStatus.values),
                name="report_version_status_known",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_version_progress_percent"
            ),
            models.CheckConstraint(
                condition=~Q(status="done")
                | Q(figures__isnull=False, finished_at__isnull=False),
                name="report_version_done_has_figures",
            ),
        ]
        indexes = [models.Index(fields=["status", "enqueued_at"])]

    def __str__(self):
        return f"{self.report} · v{self.number}"

    def can_move_to(self, status: str) -> bool:
        return status in self.NEXT_STATUSES.get(self.status, set())

    @property
    def is_done(self) -> bool:
        return self.status == VersionStatus.DONE


class FilePart(models.TextChoices):
    REPORT_PDF = "report.pdf", _("report (PDF)")
    STATEMENT_PDF = "statement.pdf", _("financial statement (PDF)")
    WORKBOOK = "report.xlsx", _("workbook (XLSX)")
    TABLE = "report.csv", _("table (CSV)")


def report_version_folder(version_id: int) -> str:
    """Where a version's files are stored, and only they."""
    return f"reports/{version_id}"


def report_file_path(instance, filename: str) -> str:
    """A random name (files are sent only by the views, after their checks) in
    the version's folder, so that the run that stores a version can remove
    what a run of it that died left there."""
    extension = filename.rsplit(".", 1)[-1]
    return (
        f"{report_version_folder(instance.version_id)}/{uuid.uuid4().hex}.{extension}"
    )


class ReportFile(ChoiceLabels, models.Model):
    """One file of a version, with its SHA-256."""

    Part = FilePart

    version = models.ForeignKey(ReportVersion, models.PROTECT, related_name="files")
    part = models.CharField(max_length=16, choices=FilePart.choices)
    file = models.FileField(upload_to=report_file_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["version", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "part"], name="report_file_one_per_part"
            ),
            models.CheckConstraint(
                condition=Q(part__in=FilePart.values), name="report_file_part_known"
            ),
        ]

    def __str__(self):
        return f"{self.version} · {self.part}"


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("not delivered")


@track_changes(
    model_name="SubmissionHistory",
    exclude=["idempotency_key", "emailed_to", "email_error"],
)
class Submission(ChoiceLabels, models.Model):
    """One version submitted to one department: who, when, what, to whom."""

    EmailStatus = EmailStatus

    version = models.ForeignKey(
        ReportVersion, models.PROTECT, related_name="submissions"
    )
    department = models.ForeignKey(
        Department, models.PROTECT, related_name="submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    idempotency_key = models.CharField(max_length=80, unique=True)
    emailed_to = models.JSONField(default=list)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "department"], name="submission_once_per_department"
            ),
            models.CheckConstraint(
                condition=Q(email_status__in=EmailStatus.values),
                name="submission_email_status_known",
            ),
        ]

    def __str__(self):
        return f"{self.version} → {self.department}"


class Reminder(models.Model):
    """A reminder of a deadline sent to a community's social workers (once)."""

    requirement = models.ForeignKey(
        Requirement, models.CASCADE, related_name="reminders"
    )
    year = models.PositiveSmallIntegerField()
    days_before = models.SmallIntegerField()
    sent_at = models.DateTimeField()
    recipient_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "year", "days_before"], name="reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.requirement} · {self.year} · {self.days_before}"
