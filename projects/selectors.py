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
    Count,
    F,
    Q,
    Sum,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from fundapp.choices import choice_labels
from fundapp.links import links_to
from fundapp.models import Community, Fund, User
from fundapp.money import ZERO, cny
from projects.models import (
    DeviationFlag,
    Disbursement,
    DisbursementApproval,
    Expense,
    Installment,
    Milestone,
    Observation,
    ProgressPhoto,
    ProgressReport,
    Project,
    ProjectReturn,
    Rating,
    VolunteerShift,
)
from proposals.models import BudgetLine, Proposal
from proposals.selectors import person_name


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


def _number(value) -> Decimal:
    """A decimal read by a cursor: PostgreSQL gives a Decimal, SQLite an int
    or a float (of a column of two decimals at most, so its shortest
    representation is the stored number), None for a sum of no rows."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _label(model, field_name: str):
    """The table of a field's choice labels (lazy: in the reader's language)."""
    return choice_labels(model._meta.get_field(field_name))


# The money pages and the services read their money in one statement: the
# ORM took longer to build the three queries it was (paid, returned, and the
# budget lines annotated with their expenses) than PostgreSQL to run them.
MONEY_SQL = f"""
SELECT
    (SELECT SUM(payment.amount)
     FROM {Disbursement._meta.db_table} AS payment
     JOIN {Installment._meta.db_table} AS installment
         ON installment.id = payment.installment_id
     WHERE installment.project_id = %s AND payment.status = %s),
    (SELECT SUM(amount) FROM {ProjectReturn._meta.db_table} WHERE project_id = %s),
    line_totals.item,
    line_totals.quantity,
    line_totals.unit_cost,
    line_totals.accepted,
    line_totals.queried,
    line_totals.waiting
FROM (SELECT 1 AS one) AS project
LEFT JOIN (
    SELECT
        budget_line.id,
        budget_line."position",
        budget_line.item,
        budget_line.quantity,
        budget_line.unit_cost,
        SUM(CASE WHEN expense.status = %s THEN expense.amount END) AS accepted,
        SUM(CASE WHEN expense.status = %s THEN expense.amount END) AS queried,
        SUM(CASE WHEN expense.status = %s THEN expense.amount END) AS waiting
    FROM {BudgetLine._meta.db_table} AS budget_line
    LEFT JOIN {Expense._meta.db_table} AS expense
        ON expense.budget_line_id = budget_line.id AND expense.project_id = %s
    WHERE budget_line.proposal_id = %s
    GROUP BY
        budget_line.id,
        budget_line."position",
        budget_line.item,
        budget_line.quantity,
        budget_line.unit_cost
) AS line_totals ON 1 = 1
ORDER BY line_totals."position", line_totals.id
"""  # noqa: S608  (table names from the models; values are parameters)


@dataclass
class LineMoney:
    item: str  # the budget line's
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
    all and per budget line (one query, `MONEY_SQL`). A caller that read the
    payments or the returns it shows gives their totals as `paid` and
    `returned`, so that the page adds up what it lists."""
    with connection.cursor() as cursor:
        cursor.execute(
            MONEY_SQL,
            [
                project.pk,
                Disbursement.Status.PAID,
                project.pk,
                Expense.Status.ACCEPTED,
                Expense.Status.QUERIED,
                Expense.Status.SUBMITTED,
                project.pk,
                project.proposal_id,
            ],
        )
        rows = cursor.fetchall()
    lines = [
        LineMoney(
            item=item,
            budget=cny(quantity * _number(unit_cost)),
            accepted=cny(_number(accepted)),
            queried=cny(_number(queried)),
            waiting=cny(_number(waiting)),
        )
        for _totals, _of, item, quantity, unit_cost, accepted, queried, waiting in rows
        if item is not None  # the one row of a proposal without lines
    ]

    def total(status):
        return cny(sum((getattr(row, status) for row in lines), ZERO))

    return ProjectMoney(
        approved=cny(project.proposal.approved_amount or ZERO),
        paid=cny(_number(rows[0][0]) if paid is None else paid),
        returned=cny(_number(rows[0][1]) if returned is None else returned),
        accepted=total("accepted"),
        queried=total("queried"),
        waiting=total("waiting"),
        lines=lines,
    )


@dataclass
class LivePayment:
    """An installment's live request or payment (at most one:
    `disbursement_one_live_per_installment`)."""

    pk: int
    status: str
    amount: Decimal
    paid_on: datetime.date | None
    method: str
    bank_reference: str
    requested_by_id: int
    position: int  # the installment's


@dataclass
class InstallmentRow:
    pk: int
    position: int
    percent: Decimal
    amount: Decimal
    trigger: str
    due_on: datetime.date | None
    cancelled: bool
    disbursement: LivePayment | None
    on_hold: bool
    # Who signed the live request or payment, in order: (id, name).
    signatures: list[tuple[int, str]] = field(default_factory=list)

    @property
    def signed_by(self) -> str:
        return ", ".join(name for _pk, name in self.signatures)

    @property
    def state(self) -> str:
        if self.cancelled:
            return "cancelled"
        if self.disbursement is not None:
            if self.disbursement.status == Disbursement.Status.PAID:
                return "paid"
            return "on_hold" if self.on_hold else "requested"
        return "on_hold" if self.on_hold else "scheduled"


INSTALLMENTS_SQL = f"""
SELECT
    installment.id,
    installment."position",
    installment."percent",
    installment.amount,
    installment."trigger",
    installment.due_on,
    installment.cancelled_at,
    payment.id,
    payment.status,
    payment.amount,
    payment.paid_on,
    payment.method,
    payment.bank_reference,
    payment.requested_by_id,
    approval.approver_id,
    person.display_name,
    person.first_name,
    person.last_name,
    person.username
FROM {Installment._meta.db_table} AS installment
LEFT JOIN {Disbursement._meta.db_table} AS payment
    ON payment.installment_id = installment.id AND payment.status IN (%s, %s)
LEFT JOIN {DisbursementApproval._meta.db_table} AS approval
    ON approval.disbursement_id = payment.id
LEFT JOIN {User._meta.db_table} AS person ON person.id = approval.approver_id
WHERE installment.project_id = %s
ORDER BY installment."position", approval.approved_at, approval.id
"""  # noqa: S608  (table names from the models; values are parameters)


def project_installments(project: Project, *, on_hold: bool) -> list[InstallmentRow]:
    """The schedule with each installment's live request or payment and its
    signatures, in one query (`INSTALLMENTS_SQL`: an installment's row comes
    once per signature)."""
    with connection.cursor() as cursor:
        cursor.execute(
            INSTALLMENTS_SQL,
            [Disbursement.Status.REQUESTED, Disbursement.Status.PAID, project.pk],
        )
        found = cursor.fetchall()
    rows: list[InstallmentRow] = []
    for (
        pk,
        position,
        percent,
        amount,
        trigger,
        due_on,
        cancelled_at,
        payment_pk,
        status,
        payment_amount,
        paid_on,
        method,
        bank_reference,
        requested_by_id,
        approver_id,
        *approver,
    ) in found:
        if not rows or rows[-1].pk != pk:
            cancelled = cancelled_at is not None
            rows.append(
                InstallmentRow(
                    pk=pk,
                    position=position,
                    percent=_number(percent),
                    amount=_number(amount),
                    trigger=trigger,
                    due_on=due_on,
                    cancelled=cancelled,
                    disbursement=None
                    if payment_pk is None
                    else LivePayment(
                        pk=payment_pk,
                        status=status,
                        amount=_number(payment_amount),
                        paid_on=paid_on,
                        method=method,
                        bank_reference=bank_reference,
                        requested_by_id=requested_by_id,
                        position=position,
                    ),
                    on_hold=on_hold and not cancelled,
                )
            )
        if approver_id is not None:
            rows[-1].signatures.append((approver_id, person_name(*approver)))
    return rows


def project_on_hold(project: Project) -> bool:
    return project.flags.filter(state__in=DeviationFlag.HOLDING).exists()


@dataclass
class Satisfaction:
    mean: Decimal | None
    count: int
    distribution: dict[int, int]


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


# A project's delivery and satisfaction in one statement, where the ORM built
# three (each costing more to build than to run).
FIGURES_SQL = f"""
SELECT
    reports.participants,
    reports.accepted,
    shifts.hours,
    shifts.registered,
    shifts.named,
    ratings.one,
    ratings.two,
    ratings.three,
    ratings.four,
    ratings.five
FROM
    (SELECT SUM(participants) AS participants, COUNT(*) AS accepted
     FROM {ProgressReport._meta.db_table}
     WHERE project_id = %s AND status = %s) AS reports,
    (SELECT
        SUM(hours) AS hours,
        COUNT(DISTINCT volunteer_id) AS registered,
        COUNT(DISTINCT CASE WHEN volunteer_id IS NULL THEN volunteer_name END)
            AS named
     FROM {VolunteerShift._meta.db_table}
     WHERE project_id = %s) AS shifts,
    (SELECT
        SUM(CASE WHEN score = 1 THEN 1 ELSE 0 END) AS one,
        SUM(CASE WHEN score = 2 THEN 1 ELSE 0 END) AS two,
        SUM(CASE WHEN score = 3 THEN 1 ELSE 0 END) AS three,
        SUM(CASE WHEN score = 4 THEN 1 ELSE 0 END) AS four,
        SUM(CASE WHEN score = 5 THEN 1 ELSE 0 END) AS five
     FROM {Rating._meta.db_table}
     WHERE project_id = %s) AS ratings
"""  # noqa: S608  (table names from the models; values are parameters)


def project_figures(project: Project) -> tuple[Delivery, Satisfaction]:
    """Residents who took part (accepted reports), distinct volunteers and
    their hours; residents' ratings: mean (to 0.1), count and the count of
    each score (one query, `FIGURES_SQL`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            FIGURES_SQL,
            [project.pk, ProgressReport.Status.ACCEPTED, project.pk, project.pk],
        )
        participants, accepted, hours, registered, named, *scores = cursor.fetchone()
    delivery = Delivery(
        participants=participants or 0,
        volunteers=(registered or 0) + (named or 0),
        volunteer_hours=_number(hours).quantize(Decimal("0.1")),
        reports_accepted=accepted or 0,
    )
    counts = {score: n for score, n in enumerate(scores, start=1) if n}
    return delivery, _satisfaction(counts)


def project_satisfaction(project: Project) -> Satisfaction:
    """Residents' ratings: mean (to 0.1), count and the count of each score."""
    return project_figures(project)[1]


def project_delivery(project: Project) -> Delivery:
    """Residents who took part (accepted reports), distinct volunteers and
    their hours."""
    return project_figures(project)[0]


def rating_window_closes(project: Project) -> datetime.date | None:
    """The last day residents may rate a completed project, or None while it
    runs (and before it is completed)."""
    if project.completed_on is None:
        return None
    return project.completed_on + datetime.timedelta(
        days=project.community.rating_window_days
    )


@dataclass
class FlagRow:
    """A deviation flag as the project page shows it."""

    pk: int
    kind: str
    reasons: str
    raised_at: datetime.datetime
    state: str
    decision_reference: str
    resolution_note: str

    @property
    def holds(self) -> bool:
        return self.state in DeviationFlag.HOLDING

    @property
    def kind_label(self):
        return _label(DeviationFlag, "kind").get(self.kind, self.kind)

    @property
    def state_label(self):
        return _label(DeviationFlag, "state").get(self.state, self.state)


FLAGS_SQL = f"""
SELECT id, kind, reasons, raised_at, state, decision_reference, resolution_note
FROM {DeviationFlag._meta.db_table}
WHERE project_id = %s
ORDER BY raised_at, id
"""  # noqa: S608  (table names from the models; values are parameters)


def _aware(moment: datetime.datetime) -> datetime.datetime:
    """A moment read by a cursor: PostgreSQL's is aware, SQLite's is naive
    and in UTC (as Django stores it)."""
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, datetime.UTC)
    return moment


def project_flags(project: Project) -> list[FlagRow]:
    """The project's deviation flags, oldest first (`FLAGS_SQL`)."""
    return [
        FlagRow(pk, kind, reasons, _aware(raised_at), *rest)
        for pk, kind, reasons, raised_at, *rest in _fetch(FLAGS_SQL, [project.pk])
    ]


@dataclass
class TimelineEntry:
    on: datetime.date
    kind: str
    # A row of the kind: a LivePayment, a FlagRow, or a dict of what
    # the page shows (`project_timeline`).
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

# The kinds of a timeline read here, each in one statement (its newest rows
# from a day on): written as SQL because the ORM took
# longer to build them than PostgreSQL to run them.
TIMELINE_DAYS_SQL = f"""
SELECT served_on, SUM(hours), COUNT(*)
FROM {VolunteerShift._meta.db_table}
WHERE project_id = %s AND served_on >= %s
GROUP BY served_on
ORDER BY served_on DESC
"""  # noqa: S608  (table names from the models; values are parameters)

TIMELINE_EXPENSES_SQL = f"""
SELECT
    expense.id,
    expense.amount,
    expense.description,
    budget_line.item,
    expense.status,
    expense.over_budget_reason,
    expense.spent_on
FROM {Expense._meta.db_table} AS expense
JOIN {BudgetLine._meta.db_table} AS budget_line
    ON budget_line.id = expense.budget_line_id
WHERE expense.project_id = %s AND expense.spent_on >= %s
ORDER BY expense.spent_on DESC, expense.id DESC
"""  # noqa: S608  (table names from the models; values are parameters)

# The newest reports (the query in braces, with its limit) with their
# milestone and photos: a report's row comes once per photo.
TIMELINE_REPORTS_SQL = f"""
SELECT
    report.id,
    report.kind,
    report.place,
    report.participants,
    report.status,
    report.summary,
    milestone.title,
    report.happened_on,
    photo.id,
    photo.original_name
FROM ({{}}) AS report
LEFT JOIN {Milestone._meta.db_table} AS milestone
    ON milestone.id = report.milestone_id
LEFT JOIN {ProgressPhoto._meta.db_table} AS photo ON photo.report_id = report.id
ORDER BY report.happened_on DESC, report.id DESC, photo.id
"""  # noqa: S608  (table names from the models; values are parameters)

TIMELINE_REPORTS_OF_PROJECT_SQL = f"""
SELECT id, kind, place, participants, status, summary, milestone_id, happened_on
FROM {ProgressReport._meta.db_table}
WHERE project_id = %s AND happened_on >= %s
ORDER BY happened_on DESC, id DESC
"""  # noqa: S608  (table names from the models; values are parameters)


def _fetch(sql: str, params: list, *, limit: int | None = None) -> list[tuple]:
    """The rows of a statement, at most `limit` of them (None: all)."""
    if limit is not None:
        sql = f"{sql} LIMIT %s"
        params = [*params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def project_timeline(
    project: Project,
    *,
    limit: int | None,
    payments: list[LivePayment],
    observations: list[dict],
    flags: list[FlagRow],
    returns: list[dict],
) -> list[TimelineEntry]:
    """Everything that happened, newest first: payments, reports, expenses,
    volunteer days, observations, flags, returns. The caller read the
    `payments`, the `observations`, the `flags` and the `returns` already
    (all of the project's); the rest costs three queries (volunteer days,
    expenses, reports with their photos), their rows read as dicts of what
    the page shows.

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

    def since() -> datetime.date:
        """The oldest day a kind read next may show (the `limit`-th newest
        entry's so far)."""
        if limit is None or len(found) < limit:
            return datetime.date.min
        days = sorted((entry.on for entry, _rank, _place in found), reverse=True)
        return days[limit - 1]

    add(
        "payment",
        sorted(payments, key=lambda d: (d.paid_on, d.pk), reverse=True),
        lambda payment: payment.paid_on,
    )
    add(
        "observation",
        sorted(observations, key=lambda o: (o["observed_on"], o["id"]), reverse=True),
        lambda observation: observation["observed_on"],
    )
    add(
        "flag",
        sorted(flags, key=lambda f: (f.raised_at, f.pk), reverse=True),
        lambda flag: timezone.localdate(flag.raised_at),
    )
    add(
        "return",
        sorted(returns, key=lambda r: (r["returned_on"], r["id"]), reverse=True),
        lambda returned: returned["returned_on"],
    )
    days = [
        {
            "served_on": served_on,
            # SQLite sums the hours as a float.
            "hours": _number(hours).quantize(Decimal("0.1")),
            "people": people,
        }
        for served_on, hours, people in _fetch(
            TIMELINE_DAYS_SQL, [project.pk, since()], limit=limit
        )
    ]
    add("volunteers", days, lambda day: day["served_on"])
    expenses = [
        {
            "id": pk,
            "amount": _number(amount),
            "description": description,
            "item": item,
            "status": status,
            "over_budget_reason": over_budget_reason,
            "spent_on": spent_on,
        }
        for pk, amount, description, item, status, over_budget_reason, spent_on in (
            _fetch(TIMELINE_EXPENSES_SQL, [project.pk, since()], limit=limit)
        )
    ]
    add("expense", expenses, lambda expense: expense["spent_on"])
    newest_reports = TIMELINE_REPORTS_OF_PROJECT_SQL
    params = [project.pk, since()]
    if limit is not None:
        newest_reports = f"{newest_reports} LIMIT %s"
        params.append(limit)
    reports = []
    for *report, photo_pk, photo_name in _fetch(
        TIMELINE_REPORTS_SQL.format(newest_reports), params
    ):
        if not reports or reports[-1]["id"] != report[0]:
            pk, kind, place, participants, status, summary, milestone, day = report
            reports.append(
                {
                    "id": pk,
                    "kind": kind,
                    "place": place,
                    "participants": participants,
                    "status": status,
                    "summary": summary,
                    "milestone": milestone,
                    "happened_on": day,
                    "photos": [],
                }
            )
        if photo_pk is not None:
            reports[-1]["photos"].append((photo_pk, photo_name))
    add("report", reports, lambda report: report["happened_on"])
    found.sort(key=lambda item: (-item[0].on.toordinal(), item[1], item[2]))
    entries = [entry for entry, _rank, _place in found]
    return entries if limit is None else entries[:limit]


@dataclass
class ProjectPage:
    """What a project's page shows to everyone, read once, in a fixed number
    of queries (ten) whatever the size of the project."""

    money: ProjectMoney
    installments: list[InstallmentRow]
    delivery: Delivery
    satisfaction: Satisfaction
    timeline: list[TimelineEntry]
    timeline_cut: bool
    milestones: list[dict]
    flags: list[FlagRow]
    observations: list[dict]
    on_hold: bool


OBSERVATIONS_SQL = f"""
SELECT
    observation.id,
    observation.observed_on,
    observation.notes,
    observation.score,
    evaluator.display_name,
    evaluator.first_name,
    evaluator.last_name,
    evaluator.username
FROM {Observation._meta.db_table} AS observation
JOIN {User._meta.db_table} AS evaluator ON evaluator.id = observation.evaluator_id
WHERE observation.project_id = %s
ORDER BY observation.observed_on, observation.id
"""  # noqa: S608  (table names from the models; values are parameters)


def project_observations(project: Project) -> list[dict]:
    """The evaluation team's observations, oldest first, with the name of
    who observed (`OBSERVATIONS_SQL`)."""
    return [
        {
            "id": pk,
            "observed_on": observed_on,
            "notes": notes,
            "score": score,
            "evaluator": person_name(*evaluator),
        }
        for pk, observed_on, notes, score, *evaluator in _fetch(
            OBSERVATIONS_SQL, [project.pk]
        )
    ]


MILESTONES_SQL = f"""
SELECT title, due_on, reached_on
FROM {Milestone._meta.db_table}
WHERE project_id = %s
ORDER BY due_on, id
"""  # noqa: S608  (table names from the models; values are parameters)


def project_milestones(project: Project) -> list[dict]:
    """The project's plan, by due day (`MILESTONES_SQL`)."""
    return [
        {"title": title, "due_on": due_on, "reached_on": reached_on}
        for title, due_on, reached_on in _fetch(MILESTONES_SQL, [project.pk])
    ]


RETURNS_SQL = f"""
SELECT id, amount, returned_on, bank_reference
FROM {ProjectReturn._meta.db_table}
WHERE project_id = %s
ORDER BY returned_on, id
"""  # noqa: S608  (table names from the models; values are parameters)


def project_returns(project: Project) -> list[dict]:
    """What was returned to the fund, oldest first (`RETURNS_SQL`)."""
    with connection.cursor() as cursor:
        cursor.execute(RETURNS_SQL, [project.pk])
        return [
            {
                "id": pk,
                "amount": _number(amount),
                "returned_on": returned_on,
                "bank_reference": bank_reference,
            }
            for pk, amount, returned_on, bank_reference in cursor.fetchall()
        ]


def project_page(project: Project, *, timeline_shown: int | None) -> ProjectPage:
    """The project page's reads: the schedule with its payments, the money,
    delivery and satisfaction, the milestones, flags and observations, and
    the newest `timeline_shown` entries of the timeline (None: all of it).

    What two parts of the page show is read once: the payments are the
    schedule's, the returns' total is summed from the returns, the flags and
    observations of the timeline are those the page lists.
    """
    flags = project_flags(project)
    on_hold = any(flag.holds for flag in flags)
    observations = project_observations(project)
    returns = project_returns(project)
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
        returned=sum((item["amount"] for item in returns), ZERO),
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
    delivery, satisfaction = project_figures(project)
    return ProjectPage(
        money=money,
        installments=installments,
        delivery=delivery,
        satisfaction=satisfaction,
        timeline=timeline[:timeline_shown] if cut else timeline,
        timeline_cut=cut,
        milestones=project_milestones(project),
        flags=flags,
        observations=observations,
        on_hold=on_hold,
    )


@dataclass
class ExpenseRow:
    """An expense as the money page lists it."""

    pk: int
    amount: Decimal
    description: str
    item: str  # its budget line's
    spent_on: datetime.date
    status: str
    over_budget_reason: str
    query: str
    receipt_name: str
    review_form: object = None  # the social worker's, set by the view


# The expenses that wait for someone first (for review, then queried), then
# the newest.
EXPENSES_SQL = f"""
SELECT
    expense.id,
    expense.amount,
    expense.description,
    budget_line.item,
    expense.spent_on,
    expense.status,
    expense.over_budget_reason,
    expense."query",
    expense.receipt_name
FROM {Expense._meta.db_table} AS expense
JOIN {BudgetLine._meta.db_table} AS budget_line
    ON budget_line.id = expense.budget_line_id
WHERE expense.project_id = %s
ORDER BY
    CASE expense.status WHEN %s THEN 0 WHEN %s THEN 1 ELSE 2 END,
    expense.spent_on DESC,
    expense.id DESC
"""  # noqa: S608  (table names from the models; values are parameters)


@dataclass
class MoneyPage:
    """What a project's money page shows to everyone (three queries)."""

    money: ProjectMoney
    expenses: list[ExpenseRow]
    expenses_cut: bool
    returns: list[dict]


def project_money_page(project: Project, *, expenses_shown: int | None) -> MoneyPage:
    """The money page's reads: the money per budget line, the returns and the
    expenses, those waiting for someone first, then the newest (the first
    `expenses_shown` of them; None: all)."""
    returns = project_returns(project)
    expenses = [
        ExpenseRow(pk, _number(amount), *fields)
        for pk, amount, *fields in _fetch(
            EXPENSES_SQL,
            [project.pk, Expense.Status.SUBMITTED, Expense.Status.QUERIED],
            limit=None if expenses_shown is None else expenses_shown + 1,
        )
    ]
    cut = expenses_shown is not None and len(expenses) > expenses_shown
    return MoneyPage(
        money=project_money(
            project, returned=sum((item["amount"] for item in returns), ZERO)
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
    delivery, satisfaction = project_figures(project)
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
