"""Reads of funded projects: their money, delivery, evaluation and timeline.

Every total is computed here from the rows it sums (paid from the
disbursements, spent from the accepted expenses, hours from the shifts),
never stored twice. Each selector runs a fixed number of queries, whatever
the size of the project.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    Q,
    Sum,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from fundapp.links import links_to
from fundapp.models import Community, Fund
from fundapp.money import ZERO, cny
from projects.models import (
    DeviationFlag,
    Disbursement,
    DisbursementApproval,
    Expense,
    Installment,
    Milestone,
    Observation,
    ProgressReport,
    Project,
    ProjectReturn,
    Rating,
)
from proposals.models import Proposal


def project_get(pk: int) -> Project:
    """The project with its proposal, community and page version (one query;
    the team is read when a permission asks for it). The services read the
    money's rows (the commitment, the fund) themselves, under their locks."""
    return get_object_or_404(
        Project.objects.select_related("proposal", "community", "page_version"),
        pk=pk,
    )


def project_version(project: Project) -> str:
    """What the project's pages are cached under, read with the project
    (`project_get`), no query.

    It changes with everything the pages show: the project's own rows (its
    `ProjectVersion`, which every projects service moves on), the proposal
    (its `updated_at`, which every proposals service moves on: status,
    decision, conditions, title, budget lines) and the community's name and
    rating window.
    """
    version = getattr(project, "page_version", None)  # None: no row yet
    proposal, community = project.proposal, project.community
    return "|".join(
        (
            str(version.number if version is not None else 0),
            proposal.updated_at.isoformat(),
            str(community.rating_window_days),
            community.display_name,
        )
    )


def project_of_proposal(proposal: Proposal) -> Project | None:
    return Project.objects.filter(proposal=proposal).first()


def projects_of_community(community: Community):
    """The community's projects with their proposal, newest first."""
    return (
        Project.objects.filter(community=community)
        .select_related("proposal")
        .order_by("-starts_on", "-id")
    )


@dataclass
class LineMoney:
    line: object  # a proposals BudgetLine
    budget: Decimal
    accepted: Decimal = ZERO
    queried: Decimal = ZERO
    waiting: Decimal = ZERO

    @cached_property
    def over(self) -> bool:
        return self.accepted + self.waiting + self.queried > self.budget

    @cached_property
    def left(self) -> Decimal:
        """The budget not yet taken by an expense (below zero when over)."""
        return cny(self.budget - self.accepted - self.waiting - self.queried)


@dataclass
class ProjectMoney:
    approved: Decimal
    paid: Decimal
    returned: Decimal
    accepted: Decimal
    queried: Decimal
    waiting: Decimal
    lines: list[LineMoney] = field(default_factory=list)

    @property
    def spent(self) -> Decimal:
        """The expenses the social worker accepted."""
        return self.accepted

    @cached_property
    def unspent(self) -> Decimal:
        """Paid out and not (yet) shown to be spent or returned."""
        return max(cny(self.paid - self.accepted - self.returned), ZERO)

    @cached_property
    def returnable(self) -> Decimal:
        """What may still be returned: expenses waiting for review or
        queried may yet be accepted, so they count as spent here."""
        return max(
            cny(
                self.paid - self.accepted - self.waiting - self.queried - self.returned
            ),
            ZERO,
        )

    @cached_property
    def unpaid(self) -> Decimal:
        return cny(self.approved - self.paid)


def project_money(
    project: Project,
    *,
    paid: Decimal | None = None,
    returned: Decimal | None = None,
) -> ProjectMoney:
    """Approved, paid, spent (accepted), queried, unspent and returned, in
    all and per budget line (three queries; one when the caller read what
    was `paid` and `returned` already)."""
    if paid is None:
        paid = Disbursement.objects.filter(
            installment__project=project, status=Disbursement.Status.PAID
        ).aggregate(total=Sum("amount"))["total"]
    if returned is None:
        returned = project.returns.aggregate(total=Sum("amount"))["total"]

    def spent(status):
        return Sum(
            "expenses__amount",
            filter=Q(expenses__project=project, expenses__status=status),
        )

    # Each budget line with what its expenses add up to, in each state: the
    # lines are the proposal's, their expenses are this project's.
    lines = [
        LineMoney(
            line=line,
            budget=line.total,
            accepted=cny(line.accepted_total or ZERO),
            queried=cny(line.queried_total or ZERO),
            waiting=cny(line.waiting_total or ZERO),
        )
        for line in project.proposal.budget_lines.annotate(
            accepted_total=spent(Expense.Status.ACCEPTED),
            queried_total=spent(Expense.Status.QUERIED),
            waiting_total=spent(Expense.Status.SUBMITTED),
        ).order_by("position", "id")
    ]

    def total(status):
        return cny(sum((getattr(row, status) for row in lines), ZERO))

    return ProjectMoney(
        approved=cny(project.proposal.approved_amount or ZERO),
        paid=cny(paid or ZERO),
        returned=cny(returned or ZERO),
        accepted=total("accepted"),
        queried=total("queried"),
        waiting=total("waiting"),
        lines=lines,
    )


@dataclass
class InstallmentRow:
    installment: Installment
    disbursement: Disbursement | None
    signatures: list
    on_hold: bool

    @property
    def state(self) -> str:
        if self.installment.cancelled_at is not None:
            return "cancelled"
        if self.disbursement is not None:
            if self.disbursement.status == Disbursement.Status.PAID:
                return "paid"
            return "on_hold" if self.on_hold else "requested"
        return "on_hold" if self.on_hold else "scheduled"


def project_installments(project: Project, *, on_hold: bool) -> list[InstallmentRow]:
    """The schedule with each installment's live request or payment (joined:
    there is at most one, `disbursement_one_live_per_installment`) and its
    signatures (two queries)."""
    installments = list(
        project.installments.annotate(
            live=FilteredRelation(
                "disbursements",
                condition=Q(
                    disbursements__status__in=[
                        Disbursement.Status.REQUESTED,
                        Disbursement.Status.PAID,
                    ]
                ),
            )
        ).select_related("live")
    )
    # Django sets `live` only on an installment that has one.
    live_of = {i.pk: getattr(i, "live", None) for i in installments}
    signatures = defaultdict(list)
    live = [d.pk for d in live_of.values() if d is not None]
    if live:
        for approval in DisbursementApproval.objects.filter(
            disbursement__in=live
        ).select_related("approver"):
            signatures[approval.disbursement_id].append(approval)
    rows = []
    for installment in installments:
        disbursement = live_of[installment.pk]
        if disbursement is not None:
            disbursement.installment = installment  # the timeline names it
        rows.append(
            InstallmentRow(
                installment=installment,
                disbursement=disbursement,
                signatures=signatures[disbursement.pk] if disbursement else [],
                on_hold=on_hold and installment.cancelled_at is None,
            )
        )
    return rows


def project_on_hold(project: Project) -> bool:
    return project.flags.filter(state__in=DeviationFlag.HOLDING).exists()


@dataclass
class Satisfaction:
    mean: Decimal | None
    count: int
    distribution: dict[int, int]


def project_satisfaction(project: Project) -> Satisfaction:
    """Residents' ratings: mean (to 0.1), count and the count of each score."""
    counts = dict(
        project.ratings.values_list("score")
        .annotate(n=Count("id"))
        .values_list("score", "n")
    )
    return _satisfaction(counts)


def _satisfaction(counts: dict[int, int]) -> Satisfaction:
    count = sum(counts.values())
    mean = None
    if count:
        mean = (
            Decimal(sum(score * n for score, n in counts.items())) / Decimal(count)
        ).quantize(Decimal("0.1"))
    return Satisfaction(
        mean=mean, count=count, distribution={s: counts.get(s, 0) for s in range(1, 6)}
    )


@dataclass
class Delivery:
    participants: int
    volunteers: int
    volunteer_hours: Decimal
    reports_accepted: int


def project_delivery(project: Project) -> Delivery:
    """Residents who took part (accepted reports), distinct volunteers and
    their hours (two queries)."""
    reports = project.reports.filter(status=ProgressReport.Status.ACCEPTED).aggregate(
        participants=Sum("participants"), count=Count("id")
    )
    shifts = project.shifts.aggregate(
        hours=Sum("hours"),
        registered=Count("volunteer", distinct=True),
        named=Count("volunteer_name", distinct=True, filter=Q(volunteer__isnull=True)),
    )
    return Delivery(
        participants=reports["participants"] or 0,
        volunteers=(shifts["registered"] or 0) + (shifts["named"] or 0),
        volunteer_hours=Decimal(shifts["hours"] or 0).quantize(Decimal("0.1")),
        reports_accepted=reports["count"] or 0,
    )


def rating_window_closes(project: Project) -> datetime.date | None:
    """The last day residents may rate a completed project, or None while it
    runs (and before it is completed)."""
    if project.completed_on is None:
        return None
    return project.completed_on + datetime.timedelta(
        days=project.community.rating_window_days
    )


@dataclass
class TimelineEntry:
    on: datetime.date
    kind: str
    subject: object
    # The day as the page shows it (and in its <time>), written once.
    day: str = field(init=False)

    def __post_init__(self):
        self.day = self.on.isoformat()


# The order of a timeline's entries of one day.
TIMELINE_KINDS = (
    "payment",
    "report",
    "expense",
    "volunteers",
    "observation",
    "flag",
    "return",
)


def project_timeline(
    project: Project,
    *,
    limit: int | None = None,
    payments: list[Disbursement] | None = None,
    observations: list[Observation] | None = None,
    flags: list[DeviationFlag] | None = None,
    returns: list[ProjectReturn] | None = None,
) -> list[TimelineEntry]:
    """Everything that happened, newest first: payments, reports, expenses,
    volunteer days, observations, flags, returns (a query for each kind the
    caller has not read already: `payments` with their installment, and all
    of the project's `observations`, `flags` and `returns`).

    With `limit`, only the newest `limit` entries: each kind reads at most
    that many rows, and none older than the `limit`-th newest entry of the
    kinds read before it (the cheap ones first: a patrol's daily volunteer
    hours leave the older reports and expenses unread), so the biggest
    project costs what a small one does.
    """
    found = []  # (entry, the kind's rank in a day, its place in its kind)

    def add(kind, rows, day_of):
        rank = TIMELINE_KINDS.index(kind)
        for place, row in enumerate(rows):
            found.append((TimelineEntry(day_of(row), kind, row), rank, place))

    def newest(queryset, day_field, *order):
        if limit is not None and day_field and len(found) >= limit:
            days = sorted((entry.on for entry, _rank, _place in found), reverse=True)
            queryset = queryset.filter(**{f"{day_field}__gte": days[limit - 1]})
        queryset = queryset.order_by(*order)
        return queryset if limit is None else queryset[:limit]

    if payments is None:
        payments = newest(
            Disbursement.objects.filter(
                installment__project=project, status=Disbursement.Status.PAID
            ).select_related("installment"),
            "paid_on",
            "-paid_on",
            "-id",
        )
    else:
        payments = sorted(payments, key=lambda d: (d.paid_on, d.pk), reverse=True)
    add("payment", payments, lambda disbursement: disbursement.paid_on)
    if observations is None:
        observations = newest(
            project.observations.select_related("evaluator"),
            "observed_on",
            "-observed_on",
            "-id",
        )
    else:
        observations = sorted(
            observations, key=lambda o: (o.observed_on, o.pk), reverse=True
        )
    add("observation", observations, lambda observation: observation.observed_on)
    if flags is None:
        flags = newest(project.flags.all(), None, "-raised_at", "-id")
    else:
        flags = sorted(flags, key=lambda f: (f.raised_at, f.pk), reverse=True)
    add("flag", flags, lambda flag: timezone.localdate(flag.raised_at))
    if returns is None:
        returns = newest(project.returns.all(), "returned_on", "-returned_on", "-id")
    else:
        returns = sorted(returns, key=lambda r: (r.returned_on, r.pk), reverse=True)
    add("return", returns, lambda returned: returned.returned_on)
    days = newest(
        project.shifts.values("served_on").annotate(
            hours=Sum("hours"), people=Count("id")
        ),
        "served_on",
        "-served_on",
    )
    add("volunteers", days, lambda day: day["served_on"])
    expenses = newest(
        project.expenses.select_related("budget_line"), "spent_on", "-spent_on", "-id"
    )
    add("expense", expenses, lambda expense: expense.spent_on)
    reports = newest(
        project.reports.prefetch_related("photos").select_related("milestone"),
        "happened_on",
        "-happened_on",
        "-id",
    )
    add("report", reports, lambda report: report.happened_on)
    found.sort(key=lambda item: (-item[0].on.toordinal(), item[1], item[2]))
    entries = [entry for entry, _rank, _place in found]
    return entries if limit is None else entries[:limit]


@dataclass
class ProjectPage:
    """What a project's page shows to everyone, read once, in a fixed number
    of queries (thirteen) whatever the size of the project."""

    money: ProjectMoney
    installments: list[InstallmentRow]
    delivery: Delivery
    satisfaction: Satisfaction
    timeline: list[TimelineEntry]
    timeline_cut: bool
    milestones: list[Milestone]
    flags: list[DeviationFlag]
    observations: list[Observation]
    on_hold: bool


def project_page(project: Project, *, timeline_shown: int | None) -> ProjectPage:
    """The project page's reads: the schedule with its payments, the money,
    delivery and satisfaction, the milestones, flags and observations, and
    the newest `timeline_shown` entries of the timeline (None: all of it).

    What two parts of the page show is read once: the payments are the
    schedule's, the returns' total is summed from the returns, the flags and
    observations of the timeline are those the page lists.
    """
    flags = list(project.flags.all())
    on_hold = any(flag.holds for flag in flags)
    observations = list(project.observations.select_related("evaluator"))
    returns = list(project.returns.all())
    installments = project_installments(project, on_hold=on_hold)
    payments = [
        row.disbursement
        for row in installments
        if row.disbursement is not None
        and row.disbursement.status == Disbursement.Status.PAID
    ]
    money = project_money(
        project,
        paid=sum((payment.amount for payment in payments), ZERO),
        returned=sum((item.amount for item in returns), ZERO),
    )
    limit = None if timeline_shown is None else timeline_shown + 1
    timeline = project_timeline(
        project,
        limit=limit,
        payments=payments,
        observations=observations,
        flags=flags,
        returns=returns,
    )
    cut = timeline_shown is not None and len(timeline) > timeline_shown
    return ProjectPage(
        money=money,
        installments=installments,
        delivery=project_delivery(project),
        satisfaction=project_satisfaction(project),
        timeline=timeline[:timeline_shown] if cut else timeline,
        timeline_cut=cut,
        milestones=list(project.milestones.all()),
        flags=flags,
        observations=observations,
        on_hold=on_hold,
    )


@dataclass
class MoneyPage:
    """What a project's money page shows to everyone (six queries)."""

    money: ProjectMoney
    expenses: list[Expense]
    expenses_cut: bool
    returns: list[ProjectReturn]


def project_money_page(project: Project, *, expenses_shown: int | None) -> MoneyPage:
    """The money page's reads: the money per budget line, the returns and the
    expenses, those waiting for someone first, then the newest (the first
    `expenses_shown` of them; None: all)."""
    returns = list(project.returns.all())
    expenses = project.expenses.select_related("budget_line").order_by(
        Case(
            When(status=Expense.Status.SUBMITTED, then=0),
            When(status=Expense.Status.QUERIED, then=1),
            default=2,
        ),
        "-spent_on",
        "-id",
    )
    if expenses_shown is not None:
        expenses = expenses[: expenses_shown + 1]
    expenses = list(expenses)
    cut = expenses_shown is not None and len(expenses) > expenses_shown
    return MoneyPage(
        money=project_money(
            project, returned=sum((item.amount for item in returns), ZERO)
        ),
        expenses=expenses[:expenses_shown] if cut else expenses,
        expenses_cut=cut,
        returns=returns,
    )


@dataclass
class ProjectSummary:
    """A project's evaluation summary (the annual report reads these)."""

    project: Project
    proposal: Proposal
    reference: str
    title: str
    category: str
    approved_amount: Decimal
    paid_amount: Decimal
    spent_amount: Decimal
    returned_amount: Decimal
    satisfaction_mean: Decimal | None
    rating_count: int
    rating_distribution: dict[int, int]
    participants: int
    volunteer_count: int
    volunteer_hours: Decimal
    flags: list[tuple[str, str]]


def project_summary(project: Project) -> ProjectSummary:
    """One project's evaluation summary (a fixed number of queries)."""
    money = project_money(project)
    satisfaction = project_satisfaction(project)
    delivery = project_delivery(project)
    return _summary(
        project,
        money.approved,
        money.paid,
        money.accepted,
        money.returned,
        satisfaction,
        delivery,
        list(project.flags.values_list("kind", "state")),
    )


def _summary(project, approved, paid, spent, returned, satisfaction, delivery, flags):
    proposal = project.proposal
    return ProjectSummary(
        project=project,
        proposal=proposal,
        reference=proposal.decision_reference,
        title=proposal.title,
        category=proposal.category,
        approved_amount=approved,
        paid_amount=paid,
        spent_amount=spent,
        returned_amount=returned,
        satisfaction_mean=satisfaction.mean,
        rating_count=satisfaction.count,
        rating_distribution=satisfaction.distribution,
        participants=delivery.participants,
        volunteer_count=delivery.volunteers,
        volunteer_hours=delivery.volunteer_hours,
        flags=flags,
    )


def project_summaries(*, fund: Fund, year: int | None = None) -> list[ProjectSummary]:
    """Evaluation summaries of a fund's projects, all or those running in
    `year`, in a fixed number of queries however many projects there are.

    Money, ratings, participants and hours are totals to date.
    """
    return project_summaries_by_fund(funds=[fund], year=year).get(fund.pk, [])


def project_summaries_by_fund(
    *, funds, year: int | None = None
) -> dict[int, list[ProjectSummary]]:
    """`project_summaries` of many funds at once, by fund id, in the same
    fixed number of queries however many funds and projects there are (a
    donor program's report reads every community it covers)."""
    # Only what a summary shows: the proposals' texts are most of their rows
    # (a program's 2,000 projects read them all).
    projects = list(
        Project.objects.filter(community__fund__in=funds)
        .select_related("proposal")
        .only(
            "starts_on",
            "ends_on",
            "completed_on",
            "proposal__title",
            "proposal__category",
            "proposal__decision_reference",
            "proposal__approved_amount",
        )
        .annotate(fund_pk=F("community__fund__id"))
        .order_by("starts_on", "id")
    )
    if year is not None:
        projects = [
            p
            for p in projects
            if p.starts_on.year <= year and (p.completed_on or p.ends_on).year >= year
        ]
    by_fund: dict[int, list[ProjectSummary]] = defaultdict(list)
    for project, summary in zip(projects, summaries_of(projects), strict=True):
        by_fund[project.fund_pk].append(summary)
    return dict(by_fund)


def summaries_of(projects: list[Project]) -> list[ProjectSummary]:
    """The evaluation summaries of these projects (fetched with their
    proposal), in the same order, in seven queries however many they are."""
    ids = [p.pk for p in projects]
    paid = dict(
        Disbursement.objects.filter(
            installment__project_id__in=ids, status=Disbursement.Status.PAID
        )
        .values_list("installment__project_id")
        .annotate(total=Sum("amount"))
        .values_list("installment__project_id", "total")
    )
    spent = dict(
        Expense.objects.filter(project_id__in=ids, status=Expense.Status.ACCEPTED)
        .values_list("project_id")
        .annotate(total=Sum("amount"))
        .values_list("project_id", "total")
    )
    returned = dict(
        Project.objects.filter(pk__in=ids)
        .annotate(total=Sum("returns__amount"))
        .values_list("pk", "total")
    )
    scores = defaultdict(dict)
    for project_id, score, n in (
        Rating.objects.filter(project_id__in=ids)
        .values_list("project_id", "score")
        .annotate(n=Count("id"))
        .values_list("project_id", "score", "n")
    ):
        scores[project_id][score] = n
    participants = dict(
        ProgressReport.objects.filter(
            project_id__in=ids, status=ProgressReport.Status.ACCEPTED
        )
        .values_list("project_id")
        .annotate(total=Sum("participants"))
        .values_list("project_id", "total")
    )
    volunteering = {
        row["pk"]: row
        for row in Project.objects.filter(pk__in=ids)
        .annotate(
            hours=Sum("shifts__hours"),
            registered=Count("shifts__volunteer", distinct=True),
            named=Count(
                "shifts__volunteer_name",
                distinct=True,
                filter=Q(shifts__volunteer__isnull=True),
            ),
        )
        .values("pk", "hours", "registered", "named")
    }
    flags = defaultdict(list)
    for project_id, kind, state in DeviationFlag.objects.filter(
        project_id__in=ids
    ).values_list("project_id", "kind", "state"):
        flags[project_id].append((kind, state))
    summaries = []
    for project in projects:
        volunteers = volunteering.get(project.pk, {})
        summaries.append(
            _summary(
                project,
                cny(project.proposal.approved_amount or ZERO),
                cny(paid.get(project.pk) or ZERO),
                cny(spent.get(project.pk) or ZERO),
                cny(returned.get(project.pk) or ZERO),
                _satisfaction(scores.get(project.pk, {})),
                Delivery(
                    participants=participants.get(project.pk) or 0,
                    volunteers=(volunteers.get("registered") or 0)
                    + (volunteers.get("named") or 0),
                    volunteer_hours=Decimal(volunteers.get("hours") or 0).quantize(
                        Decimal("0.1")
                    ),
                    reports_accepted=0,
                ),
                flags.get(project.pk, []),
            )
        )
    return summaries


@dataclass
class ProjectState:
    """One state's projects on the fund page: how many, and the newest few."""

    count: int
    newest: list


@dataclass
class ProjectLine:
    """What the fund page shows of a project: its title, grantee, start and link."""

    title: str
    grantee_name: str
    starts_on: object
    url: str


_PROJECTS = Project._meta.db_table
_PROPOSALS = Proposal._meta.db_table

# The fund page's projects section reads these on every view, cold or
# cached; written as SQL because the ORM took longer to build them (the
# ranked query 1.6 ms, its window filter wrapped twice) than PostgreSQL to
# run them, as `proposals.selectors.proposal_list_version` is.
PROJECTS_VERSION_SQL = f"""
SELECT MAX(project.id), MAX(proposal.updated_at)
FROM {_PROJECTS} project JOIN {_PROPOSALS} proposal ON proposal.id = project.proposal_id
WHERE project.community_id = %s
"""  # noqa: S608  (table names from the models; values are parameters)

PROJECTS_BY_STATE_SQL = f"""
SELECT id, starts_on, grantee_name, title, status, in_state FROM (
    SELECT project.id, project.starts_on, project.grantee_name,
        proposal.title, proposal.status,
        ROW_NUMBER() OVER (
            PARTITION BY proposal.status
            ORDER BY project.starts_on DESC, project.id DESC
        ) AS rank_in_state,
        COUNT(*) OVER (PARTITION BY proposal.status) AS in_state
    FROM {_PROJECTS} project
    JOIN {_PROPOSALS} proposal ON proposal.id = project.proposal_id
    WHERE project.community_id = %s
) ranked
WHERE rank_in_state <= %s
ORDER BY starts_on DESC, id DESC
"""  # noqa: S608  (table names from the models; values are parameters)


def community_projects_version(community: Community) -> str:
    """Changes whenever the fund page's projects section would (one query).

    A project is opened (its id), and each move of its proposal's status
    moves the proposal's `updated_at` (`proposals.services.common
    .record_transition`); what the section shows of a project does not
    change otherwise. Read on every fund page, cached or not: the newest
    `updated_at` of the projects' proposals costs a look-up per project,
    where the newest of their events (which it was) read every event too
    (0.9 ms instead of 3.5 for the largest community).
    """
    with connection.cursor() as cursor:
        cursor.execute(PROJECTS_VERSION_SQL, [community.pk])
        project, updated = cursor.fetchone()
    # A datetime on PostgreSQL, its text on SQLite: no space either way (a
    # cache key holds it).
    updated = str(updated or 0).replace(" ", "T")
    return f"{project or 0}-{updated}"


def community_projects_by_state(
    community: Community, *, newest: int = 5
) -> dict[str, ProjectState]:
    """The community's projects by their proposal's status: the number in each
    state and its `newest` projects as `ProjectLine`s (one query, whatever
    the number: the count is a window over the state too).
    """
    with connection.cursor() as cursor:
        cursor.execute(PROJECTS_BY_STATE_SQL, [community.pk, newest])
        rows = cursor.fetchall()
    link = links_to("projects:project")
    grouped: dict[str, ProjectState] = {}
    for pk, starts_on, grantee_name, title, status, count in rows:
        if isinstance(starts_on, str):  # SQLite gives the text of the date
            starts_on = datetime.date.fromisoformat(starts_on)
        state = grouped.setdefault(status, ProjectState(count=count, newest=[]))
        state.newest.append(ProjectLine(title, grantee_name, starts_on, link(pk)))
    return grouped
