"""Submitting a version to a department, and emailing it there."""

import logging
from functools import partial

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fundapp.idempotency import REUSED, require_key_shape
from fundapp.models import User
from fundapp.permissions import require_perm

from ..documents import name_of
from ..figures import thaw
from ..models import Department, ReportKind, ReportVersion, Submission

logger = logging.getLogger(__name__)


def _require_addressee(version: ReportVersion, department: Department) -> None:
    report = version.report
    if report.kind == ReportKind.PROGRAM:
        if report.program.department_id != department.pk:
            raise ValidationError(
                _("A program report goes to the program's own office."),
                code="not_supervising",
            )
        return
    if not department.communities.filter(pk=report.fund.community_id).exists():
        raise ValidationError(
            _("%(department)s does not supervise %(community)s.")
            % {"department": department, "community": report.fund.community},
            code="not_supervising",
        )


def report_submit(
    *,
    version: ReportVersion,
    department: Department,
    submitted_by: User,
    idempotency_key: str,
) -> Submission:
    """Submit one version to one department: recorded, then emailed.

    Needs `reports.submit_report` (the community's social worker). Refuses a
    version not made, one whose figures do not reconcile with the ledger, a
    department that does not supervise the community, and the same version
    to the same department twice (a correction is a new version). Runs once
    per key. The email goes out after commit (`submission_email_task`).
    """
    require_perm(submitted_by, "reports.submit_report", version)
    require_key_shape(idempotency_key)
    existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.version_id != version.pk or existing.department_id != department.pk:
            raise ValidationError(REUSED, code="idempotency_key_reused")
        return existing
    if not version.is_done:
        raise ValidationError(
            _("Only a version that is ready can be submitted."), code="not_ready"
        )
    if not version.reconciles:
        raise ValidationError(
            _(
                "This version does not reconcile with the ledger; it cannot be "
                "submitted. Make a new version once the ledger is right."
            ),
            code="not_reconciled",
        )
    _require_addressee(version, department)
    if Submission.objects.filter(version=version, department=department).exists():
        raise ValidationError(
            _(
                "Version %(number)s was already submitted to %(department)s. To "
                "correct it, make a new version and submit that."
            )
            % {"number": version.number, "department": department},
            code="already_submitted",
        )
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                version=version,
                department=department,
                submitted_by=submitted_by,
                submitted_at=timezone.now(),
                idempotency_key=idempotency_key,
                emailed_to=list(department.emails),
            )
            transaction.on_commit(
                partial(submission_email_enqueue, submission_id=submission.pk)
            )
    except IntegrityError:
        existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise ValidationError(
                _("Version %(number)s was already submitted to %(department)s.")
                % {"number": version.number, "department": department},
                code="already_submitted",
            ) from None
        return existing
    return submission


def submission_email_enqueue(*, submission_id: int) -> None:
    """Queue the email; a broker that is down leaves it pending for the sweeper."""
    try:
        submission_email_task.apply_async(
            kwargs={"submission_id": submission_id},
            retry=True,
            retry_policy={
                "max_retries": 2,
                "interval_start": 0.2,
                "interval_step": 0.5,
            },
        )
    except Exception as error:  # noqa: BLE001  (kombu's and the socket's errors)
        logger.warning(
            "Submission %s email waits for the broker: %s", submission_id, error
        )


def submission_email_send(*, submission_id: int) -> Submission:
    """Email the submitted version's files to the department (once).

    Through Django's email (SMTP in production, from the environment). A
    submission already emailed is not emailed again; a failure is recorded
    and raised for the task to retry.
    """
    submission = Submission.objects.select_related(
        "version__report__fund__community", "department", "submitted_by"
    ).get(pk=submission_id)
    if submission.email_status == Submission.EmailStatus.SENT:
        return submission
    if not submission.emailed_to:
        Submission.objects.filter(pk=submission.pk).update(
            email_status=Submission.EmailStatus.FAILED,
            email_error=_("The department has no email address."),
        )
        return submission
    version = submission.version
    with translation.override(version.language):
        figures = thaw(version.figures)
        subject_name = name_of(figures.get("fund") or figures.get("program") or {})
        subject = _("%(subject)s: %(report)s %(year)s, version %(number)s") % {
            "subject": subject_name,
            "report": version.report.get_kind_display(),
            "year": version.report.year,
            "number": version.number,
        }
        body = _(
            "%(person)s submits the attached %(report)s of %(subject)s for "
            "%(year)s (version %(number)s) to %(department)s.\n\n"
            "Each file's SHA-256 is listed below; the files are also readable "
            "in Linli by the department's viewers.\n\n%(files)s\n"
        ) % {
            "person": submission.submitted_by,
            "report": version.report.get_kind_display(),
            "subject": subject_name,
            "year": version.report.year,
            "number": version.number,
            "department": submission.department,
            "files": "\n".join(f"{f.part}  {f.sha256}" for f in version.files.all()),
        }
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(submission.emailed_to),
    )
    for row in version.files.all():
        with row.file.open("rb") as handle:
            message.attach(
                f"{version.report.year}-v{version.number}-{row.part}",
                handle.read(),
                CONTENT_TYPES[row.part.rsplit(".", 1)[-1]],
            )
    try:
        message.send()
    except Exception as error:  # noqa: BLE001  (any SMTP or socket error)
        Submission.objects.filter(pk=submission.pk).update(
            email_status=Submission.EmailStatus.FAILED,
            email_error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    Submission.objects.filter(pk=submission.pk).update(
        email_status=Submission.EmailStatus.SENT,
        emailed_at=timezone.now(),
        email_error="",
    )
    submission.refresh_from_db()
    return submission


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


@shared_task(
    name="reports.tasks.submission_email",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def submission_email_task(*, submission_id: int) -> int:
    """Email a submission to its department (retried while SMTP is away)."""
    return submission_email_send(submission_id=submission_id).pk
