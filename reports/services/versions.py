"""Making reports: requested in the browser, made by a Celery task.

`report_request` saves the request (a version row, QUEUED) and hands the task
to the broker once the row is committed; if the broker is down the row waits
and `reports_queue_waiting` (beat, every few minutes) hands it over later.
`report_version_make` is what the task runs: idempotent per version, it
returns a version already made, and of two runs of one version (a task
redelivered while the first still runs) only one stores its files.
"""

import hashlib
import logging
from datetime import timedelta
from functools import partial

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import KombuError
from kombu.exceptions import OperationalError as BrokerError

from fundapp.idempotency import request_digest, require_key_shape, require_same_request
from fundapp.models import Fund, Source, User
from fundapp.permissions import require_perm
from fundapp.selectors import ledger_years

from ..documents import annual_document, program_document, source_document
from ..figures import freeze, thaw
from ..files import render_csv, render_html, render_pdf, render_xlsx
from ..models import (
    DonorProgram,
    Report,
    ReportFile,
    ReportKind,
    ReportVersion,
    Submission,
    report_version_folder,
)
from ..selectors import annual_figures, program_figures, source_figures
from .submissions import submission_email_enqueue

logger = logging.getLogger(__name__)

FORMATS = ("pdf", "xlsx", "csv")
TEXT_LIMIT = 8000
# A task handed to the broker this long ago and not started is handed again.
REQUEUE_AFTER = timedelta(minutes=30)
# The task's hard time limit, and a little more.
TIME_LIMIT = 600
RUN_LIMIT = timedelta(seconds=2 * TIME_LIMIT)
# Publishing waits about a second for a broker that is away, then gives up:
# the request is saved and the page answers at once.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}


def _reportable_year(*, fund: Fund | None, year: int) -> None:
    """Refuse, in words, a year that cannot be reported on."""
    if fund is None:
        raise ValidationError(
            _("This community has no fund, so it has no report to make."),
            code="no_fund",
        )
    if not 2000 <= year <= 2100:
        raise ValidationError(
            _("Give a year between 2000 and 2100."), code="year_out_of_range"
        )
    today = timezone.localdate()
    if year > today.year:
        raise ValidationError(
            _("%(year)s has not begun yet: a report covers a year that has.")
            % {"year": year},
            code="future_year",
        )
    years = ledger_years(fund=fund)
    if years is None or year < years[0]:
        raise ValidationError(
            _(
                "%(fund)s has no money recorded in or before %(year)s: there is "
                "nothing to report."
            )
            % {"fund": fund, "year": year},
            code="no_data",
        )


def require_format(value: str) -> str:
    if value not in FORMATS:
        raise ValidationError(
            _("Unknown format %(format)s: choose pdf, xlsx or csv.")
            % {"format": value},
            code="unknown_format",
        )
    return value


def require_language(value: str) -> str:
    if value not in dict(settings.LANGUAGES):
        raise ValidationError(_("This language is not offered."), code="language")
    return value


def report_check(
    *,
    kind: str,
    year: int,
    fund: Fund | None = None,
    source: Source | None = None,
    program: DonorProgram | None = None,
) -> None:
    """Refuse a report that cannot be made, with a clear message."""
    if kind not in ReportKind.values:
        raise ValidationError(_("Unknown report."), code="unknown_report")
    if kind == ReportKind.PROGRAM:
        if program is None:
            raise ValidationError(_("Choose a donor program."), code="no_program")
        if not 2000 <= year <= 2100 or year > timezone.localdate().year:
            raise ValidationError(
                _("%(year)s has not begun yet: a report covers a year that has.")
                % {"year": year},
                code="future_year",
            )
        return
    if kind == ReportKind.SOURCE and (source is None or source.fund_id != fund.pk):
        raise ValidationError(_("Choose a source of this fund."), code="no_source")
    _reportable_year(fund=fund, year=year)


def report_request(
    *,
    kind: str,
    year: int,
    language: str,
    requested_by: User | None,
    idempotency_key: str,
    fund: Fund | None = None,
    source: Source | None = None,
    program: DonorProgram | None = None,
    narrative: str = "",
    plan: str = "",
) -> ReportVersion:
    """Save a request for a new version of a report and queue its making.

    Needs `reports.make_report` on the fund (`reports.make_program_report`
    on a program); a None requester is the scheduler. Runs once per key: the
    same request again (a double click) returns the version already
    requested; the key reused for another request is refused. The version is
    numbered after the report's last one (the report row is locked).
    """
    if requested_by is not None:
        if kind == ReportKind.PROGRAM:
            require_perm(requested_by, "reports.make_program_report", program)
        else:
            require_perm(requested_by, "reports.make_report", fund)
    require_key_shape(idempotency_key)
    require_language(language)
    narrative, plan = narrative.strip(), plan.strip()
    if len(narrative) > TEXT_LIMIT or len(plan) > TEXT_LIMIT:
        raise ValidationError(
            _("Keep the narrative and the plan under %(limit)s characters each.")
            % {"limit": TEXT_LIMIT},
            code="too_long",
        )
    report_check(kind=kind, year=year, fund=fund, source=source, program=program)
    digest = request_digest(
        "report",
        kind=kind,
        year=year,
        language=language,
        fund=fund,
        source=source,
        program=program,
        narrative=narrative,
        plan=plan,
        requested_by=requested_by,
    )
    existing = ReportVersion.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        require_same_request(stored_digest=existing.request_digest, digest=digest)
        return existing
    try:
        with transaction.atomic():
            report, _created = Report.objects.get_or_create(
                kind=kind,
                year=year,
                fund=fund if kind != ReportKind.PROGRAM else None,
                source=source if kind == ReportKind.SOURCE else None,
                program=program if kind == ReportKind.PROGRAM else None,
            )
            report = Report.objects.select_for_update().get(pk=report.pk)
            number = (report.versions.aggregate(top=Max("number"))["top"] or 0) + 1
            version = ReportVersion.objects.create(
                report=report,
                number=number,
                language=language,
                narrative=narrative,
                plan=plan,
                requested_by=requested_by,
                requested_at=timezone.now(),
                idempotency_key=idempotency_key,
                request_digest=digest,
            )
            transaction.on_commit(partial(report_enqueue, version_id=version.pk))
    except IntegrityError:
        existing = ReportVersion.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        require_same_request(stored_digest=existing.request_digest, digest=digest)
        return existing
    return version


def report_enqueue(*, version_id: int) -> bool:
    """Hand a version's making to the broker; False (and the row waits) when
    the broker cannot be reached. Never raises for a broker that is down: the
    request is saved, and the sweeper queues it again."""
    if report_make_task.app.conf.task_always_eager:
        # In process (the development default): run it here with its retries,
        # recording a failure in the row rather than raising into the request.
        ReportVersion.objects.filter(
            pk=version_id, status=ReportVersion.Status.QUEUED
        ).update(enqueued_at=timezone.now())
        report_make_task.apply(kwargs={"version_id": version_id}, throw=False)
        return True
    try:
        report_make_task.apply_async(
            kwargs={"version_id": version_id},
            retry=True,
            retry_policy={
                "max_retries": 2,
                "interval_start": 0.2,
                "interval_step": 0.5,
            },
        )
    except (BrokerError, KombuError, OSError) as error:
        logger.warning("Report version %s waits for the broker: %s", version_id, error)
        return False
    # A version made meanwhile (by the demo, a faster worker) is kept as it is.
    ReportVersion.objects.filter(
        pk=version_id, status=ReportVersion.Status.QUEUED, enqueued_at__isnull=True
    ).update(enqueued_at=timezone.now())
    return True


def report_figures(version: ReportVersion) -> dict:
    """The figures of a version's report, computed now from the ledger."""
    report = version.report
    if report.kind == ReportKind.ANNUAL:
        return annual_figures(
            fund=report.fund,
            year=report.year,
            narrative=version.narrative,
            plan=version.plan,
        )
    if report.kind == ReportKind.SOURCE:
        return source_figures(source=report.source, year=report.year)
    return program_figures(program=report.program, year=report.year)


def report_document(figures: dict) -> dict:
    """The document (titles, labels, tables) of figures, in the active language."""
    if figures["kind"] == ReportKind.ANNUAL:
        return annual_document(figures)
    if figures["kind"] == ReportKind.SOURCE:
        return source_document(figures)
    return program_document(figures)


def report_files_render(
    *,
    figures: dict,
    language: str,
    prepared_by: str = "",
    formats=FORMATS,
    progress=None,
) -> dict[str, bytes]:
    """The files of a report from its figures: part name → bytes.

    `progress(percent, step)` is told as each file is done. The annual
    report has its financial statement as a PDF of its own too.
    """
    progress = progress or (lambda percent, step: None)
    files = {}
    with translation.override(language):
        document = report_document(figures)
        tables, title = document["tables"], document["title"]
        if "pdf" in formats:
            template = f"reports/{figures['kind']}_pdf.html"
            html = render_html(template, document, language, prepared_by=prepared_by)
            files[ReportFile.Part.REPORT_PDF] = render_pdf(html)
            progress(55, "pdf")
            if figures["kind"] == ReportKind.ANNUAL:
                html = render_html(
                    "reports/statement_pdf.html",
                    document,
                    language,
                    prepared_by=prepared_by,
                )
                files[ReportFile.Part.STATEMENT_PDF] = render_pdf(html)
                progress(75, "statement")
        if "xlsx" in formats:
            files[ReportFile.Part.WORKBOOK] = render_xlsx(tables, title)
            progress(85, "xlsx")
        if "csv" in formats:
            files[ReportFile.Part.TABLE] = render_csv(tables, title)
            progress(90, "csv")
    return files


def _progress(version_id: int, percent: int, step: str) -> None:
    """Written at once (autocommit): the page polling the row sees it."""
    ReportVersion.objects.filter(
        pk=version_id, status=ReportVersion.Status.RUNNING
    ).update(progress=percent, step=step)


def report_version_make(*, version_id: int) -> ReportVersion:
    """Make a version's files and store them with their SHA-256 (the task).

    Returns a version already made (or failed) as it is. Computes the
    figures, renders the files (seconds, outside any transaction, telling its
    progress in the row), then stores files and figures in one transaction
    under the row's lock: a second run that finds the version done by the
    first throws its own files away, so a version has one set of files.
    """
    with transaction.atomic():
        version = ReportVersion.objects.select_for_update().get(pk=version_id)
        if version.status in (ReportVersion.Status.DONE, ReportVersion.Status.FAILED):
            return version
        version.status = ReportVersion.Status.RUNNING
        version.started_at = timezone.now()
        version.attempts += 1
        version.progress = 5
        version.step = "figures"
        version.failure_reason = ""
        version.save(
            update_fields=[
                "status",
                "started_at",
                "attempts",
                "progress",
                "step",
                "failure_reason",
            ]
        )
    version = ReportVersion.objects.select_related(
        "report__fund__community", "report__source", "report__program", "requested_by"
    ).get(pk=version_id)
    figures = thaw(freeze(report_figures(version)))
    _progress(version_id, 30, "figures")
    files = report_files_render(
        figures=figures,
        language=version.language,
        prepared_by=str(version.requested_by or ""),
        progress=partial(_progress, version_id),
    )
    rows = []
    for part, content in files.items():
        row = ReportFile(
            version_id=version_id,
            part=part,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
        )
        row.file.save(part, ContentFile(content), save=False)
        rows.append(row)
    with transaction.atomic():
        locked = ReportVersion.objects.select_for_update().get(pk=version_id)
        if locked.status != ReportVersion.Status.RUNNING:
            for row in rows:
                transaction.on_commit(partial(row.file.storage.delete, row.file.name))
            return locked
        ReportFile.objects.bulk_create(rows)
        transaction.on_commit(
            partial(
                _remove_left_behind,
                version_id,
                kept={row.file.name for row in rows},
                storage=ReportFile._meta.get_field("file").storage,
            )
        )
        locked.status = ReportVersion.Status.DONE
        locked.figures = freeze(figures)
        locked.reconciles = bool(figures.get("reconciliation", {}).get("ok", True))
        locked.progress = 100
        locked.step = "done"
        locked.finished_at = timezone.now()
        locked.save(
            update_fields=[
                "status",
                "figures",
                "reconciles",
                "progress",
                "step",
                "finished_at",
            ]
        )
    return locked


def _remove_left_behind(version_id: int, *, kept: set[str], storage) -> None:
    """Delete what a run of the version that died (its worker killed) stored
    in the version's folder before its rows were committed."""
    folder = report_version_folder(version_id)
    try:
        _folders, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        if f"{folder}/{name}" not in kept:
            storage.delete(f"{folder}/{name}")


def report_version_fail(*, version_id: int, reason: str) -> ReportVersion | None:
    """Record why a version could not be made (a version made stays made)."""
    with transaction.atomic():
        version = (
            ReportVersion.objects.select_for_update().filter(pk=version_id).first()
        )
        if version is None or version.status == ReportVersion.Status.DONE:
            return version
        version.status = ReportVersion.Status.FAILED
        version.failure_reason = reason[:2000]
        version.finished_at = timezone.now()
        version.save(update_fields=["status", "failure_reason", "finished_at"])
    return version


def report_version_retrying(*, version_id: int, reason: str) -> None:
    """Note in the row that the task will try again, and why."""
    ReportVersion.objects.filter(pk=version_id).exclude(
        status=ReportVersion.Status.DONE
    ).update(failure_reason=reason[:2000], step="retrying")


def reports_queue_waiting() -> list[int]:
    """Hand the broker every version still waiting: never queued (the broker
    was down), or queued long ago and never started (a lost message)."""
    now = timezone.now()
    waiting = list(
        ReportVersion.objects.filter(
            Q(status=ReportVersion.Status.QUEUED)
            & (Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - REQUEUE_AFTER))
            # Started and never finished: its worker died and the message
            # was lost (a redelivered one would have finished it by now).
            | Q(status=ReportVersion.Status.RUNNING, started_at__lt=now - RUN_LIMIT)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    queued = [pk for pk in waiting if report_enqueue(version_id=pk)]
    # Submissions whose email found the broker down.
    for submission_id in Submission.objects.filter(
        email_status=Submission.EmailStatus.PENDING,
        submitted_at__lt=now - timedelta(minutes=5),
    ).values_list("pk", flat=True):
        submission_email_enqueue(submission_id=submission_id)
    return queued


# -- The task --------------------------------------------------------------------

# Errors that pass: the database or a connection was briefly away.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


class ReportTask(DjangoTask):
    """Notes in the version's row that the task will try again, and why."""

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        report_version_retrying(
            version_id=kwargs["version_id"],
            reason=_("Trying again after: %(error)s") % {"error": _describe(exc)},
        )


def _describe(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return f"{type(error).__name__}: {error}"


@shared_task(
    base=ReportTask,
    bind=True,
    name="reports.tasks.report_make",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=TIME_LIMIT - 60,
    time_limit=TIME_LIMIT,
)
def report_make_task(self, *, version_id: int) -> int:
    """Make one version of a report (the service is idempotent per version).

    Transient errors are retried with backoff; any other error, or the last
    retry's, is recorded in the row as why the version failed (here, not in
    on_failure, which eager mode skips).
    """
    try:
        return report_version_make(version_id=version_id).pk
    except TRANSIENT as error:
        if self.request.retries >= self.max_retries:
            report_version_fail(version_id=version_id, reason=_describe(error))
        raise
    except Exception as error:
        report_version_fail(version_id=version_id, reason=_describe(error))
        raise


@shared_task(name="reports.tasks.reports_queue_waiting")
def reports_queue_waiting_task() -> list[int]:
    """Queue the versions that wait for the broker (beat, every 5 minutes)."""
    return reports_queue_waiting()
