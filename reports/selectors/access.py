"""Which reports exist for whom: the pages' lists, each in a fixed number of
queries."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from fundapp.models import Community, Fund, User

from ..models import (
    Department,
    DonorProgram,
    Report,
    ReportFile,
    ReportKind,
    ReportVersion,
    Submission,
)


def _versions_prefetch() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=ReportVersion.objects.select_related("requested_by")
        .prefetch_related(
            Prefetch("files", queryset=ReportFile.objects.order_by("part")),
            Prefetch(
                "submissions",
                queryset=Submission.objects.select_related(
                    "department", "submitted_by"
                ),
            ),
        )
        .order_by("-number"),
    )


def report_list(*, fund: Fund) -> QuerySet[Report]:
    """The fund's reports, newest year first, with their versions (4 queries)."""
    return (
        Report.objects.filter(fund=fund)
        .select_related("source")
        .prefetch_related(_versions_prefetch())
        .order_by("-year", "kind", "source_id")
    )


def program_report_list(*, program: DonorProgram) -> QuerySet[Report]:
    return (
        Report.objects.filter(program=program)
        .prefetch_related(_versions_prefetch())
        .order_by("-year")
    )


def version_get(*, pk: int, user: User) -> ReportVersion:
    """A version the user may read, or 404: to anyone else it does not exist."""
    version = (
        ReportVersion.objects.select_related(
            "report__fund__community",
            "report__source",
            "report__program__department",
            "requested_by",
        )
        .filter(pk=pk)
        .first()
    )
    if version is None or not user.has_perm("reports.view_version", version):
        raise Http404
    return version


def version_files(version: ReportVersion) -> list[ReportFile]:
    return list(version.files.order_by("part"))


def version_submissions(version: ReportVersion) -> list[Submission]:
    return list(
        version.submissions.select_related("department", "submitted_by").order_by(
            "submitted_at"
        )
    )


def departments_for(version: ReportVersion) -> QuerySet[Department]:
    """The departments this version may be submitted to, not yet submitted to."""
    report = version.report
    if report.kind == ReportKind.PROGRAM:
        departments = Department.objects.filter(programs=report.program)
    else:
        departments = Department.objects.filter(communities=report.fund.community_id)
    return departments.exclude(submissions__version=version).order_by("code")


def inbox(*, user: User) -> QuerySet[Submission]:
    """What was submitted to the departments and programs this person reads."""
    return (
        Submission.objects.filter(
            Q(department__viewers__user=user)
            | Q(department__programs__officers__user=user)
        )
        .select_related(
            "department",
            "submitted_by",
            "version__report__fund__community",
            "version__report__source",
            "version__report__program",
        )
        .distinct()
        .order_by("-submitted_at", "-pk")
    )


def programs_of(*, user: User) -> QuerySet[DonorProgram]:
    return DonorProgram.objects.filter(officers__user=user).order_by("code")


def departments_of(*, user: User) -> QuerySet[Department]:
    return Department.objects.filter(viewers__user=user).order_by("code")


def published_versions(*, community: Community) -> list[ReportVersion]:
    """The community's submitted annual reports, the latest submitted
    version of each year, newest year first (public)."""
    versions = (
        ReportVersion.objects.filter(
            report__kind=ReportKind.ANNUAL,
            report__fund__community=community,
            submissions__isnull=False,
        )
        .select_related("report")
        .distinct()
        .order_by("-report__year", "-number")
    )
    latest = {}
    for version in versions:
        latest.setdefault(version.report.year, version)
    return list(latest.values())


def published_version(*, community: Community, year: int) -> ReportVersion:
    """The latest submitted version of the community's annual report for a
    year, or 404: a draft never submitted is not public."""
    version = (
        ReportVersion.objects.filter(
            report__kind=ReportKind.ANNUAL,
            report__fund__community=community,
            report__year=year,
            submissions__isnull=False,
        )
        .select_related("report__fund__community")
        .order_by("-number")
        .first()
    )
    if version is None:
        raise Http404
    return version
