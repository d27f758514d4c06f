"""The reports' calendar: last year's annual reports prepared in January, and
the departments' deadlines reminded to the social workers."""

import calendar
import logging
from datetime import date

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fundapp.idempotency import derived_key
from fundapp.models import Fund, Role
from fundapp.selectors import people_with_role

from ..models import Reminder, ReportKind, Requirement, Submission
from .versions import report_request

logger = logging.getLogger(__name__)

# Days before a deadline that the social workers are reminded; -1: the day
# after, when it was missed.
REMINDER_DAYS = (30, 7, 1, -1)


def reports_prepare_annual(*, today: date | None = None) -> list[int]:
    """Request last year's annual report of every fund that has one to make
    (from beat, in January). Idempotent: each fund-year has one derived key,
    so a second run returns the versions already requested."""
    today = today or timezone.localdate()
    year = today.year - 1
    versions = []
    for fund in Fund.objects.select_related("community").order_by("pk"):
        try:
            version = report_request(
                kind=ReportKind.ANNUAL,
                fund=fund,
                year=year,
                language=settings.LANGUAGE_CODE,
                requested_by=None,
                idempotency_key=derived_key("reports.annual", fund.pk, year),
            )
        except ValidationError as error:
            logger.info("No %s report for fund %s: %s", year, fund.pk, error.messages)
            continue
        versions.append(version.pk)
    return versions


def deadline(requirement: Requirement, year: int) -> date:
    """When the report on `year` is due: in the next year, on the day set
    (the 31st of a shorter month is its last day)."""
    due_year = year + 1
    last_day = calendar.monthrange(due_year, requirement.due_month)[1]
    return date(due_year, requirement.due_month, min(requirement.due_day, last_day))


def _submitted(requirement: Requirement, year: int) -> bool:
    submissions = Submission.objects.filter(
        department=requirement.department,
        version__report__year=year,
        version__report__fund__community=requirement.community,
        version__report__kind=requirement.kind,
    )
    if requirement.source_id:
        submissions = submissions.filter(version__report__source=requirement.source)
    return submissions.exists()


def reports_remind_deadlines(*, today: date | None = None) -> int:
    """Email each community's social workers when a required report of last
    year is due in 30, 7 or 1 days, or was due yesterday, and is not yet
    submitted. Each reminder is sent once (a Reminder row per stage)."""
    today = today or timezone.localdate()
    year = today.year - 1
    sent = 0
    requirements = Requirement.objects.select_related(
        "department", "community", "source"
    )
    for requirement in requirements:
        due = deadline(requirement, year)
        days_before = (due - today).days
        if days_before not in REMINDER_DAYS or _submitted(requirement, year):
            continue
        people = [
            person
            for person in people_with_role(
                community=requirement.community, role=Role.SOCIAL_WORKER
            )
            if person.email
        ]
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    requirement=requirement,
                    year=year,
                    days_before=days_before,
                    sent_at=timezone.now(),
                    recipient_count=len(people),
                )
        except IntegrityError:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            values = {
                "report": requirement.get_kind_display(),
                "source": f" ({requirement.source})" if requirement.source else "",
                "community": requirement.community,
                "year": year,
                "department": requirement.department,
                "due": due.isoformat(),
            }
            if days_before < 0:
                subject = (
                    _("Overdue: the %(report)s of %(community)s for %(year)s") % values
                )
                body = (
                    _(
                        "The %(report)s%(source)s of %(community)s for %(year)s was "
                        "due at %(department)s on %(due)s and has not been "
                        "submitted."
                    )
                    % values
                )
            else:
                subject = (
                    _("Due on %(due)s: the %(report)s of %(community)s for %(year)s")
                    % values
                )
                body = (
                    _(
                        "The %(report)s%(source)s of %(community)s for %(year)s is "
                        "due at %(department)s on %(due)s. Make it, check it and "
                        "submit it in Linli."
                    )
                    % values
                )
        if people:
            send_mail(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [person.email for person in people],
            )
        sent += 1
    return sent


@shared_task(name="reports.tasks.reports_prepare_annual")
def reports_prepare_annual_task() -> list[int]:
    """Prepare last year's annual reports (beat, 2 January)."""
    return reports_prepare_annual()


@shared_task(
    name="reports.tasks.reports_remind_deadlines",
    autoretry_for=(OSError,),
    max_retries=3,
    retry_backoff=60,
)
def reports_remind_deadlines_task() -> int:
    """Remind the social workers of the departments' deadlines (beat, daily)."""
    return reports_remind_deadlines()
