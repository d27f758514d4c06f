"""Program-scale projects for the bench: the funded third of the scale proposals.

Every proposal of the scale communities that the council granted and whose
delivery began (ACTIVE, COMPLETED, EVALUATED or CLOSED: about a third of
them, proposal_scale.PAST_STATUSES) becomes a project with its grant
agreement, installments, payments signed twice, expenses against its budget
lines, milestones, progress reports with photos, volunteer hours, residents'
ratings, observations and the odd deviation flag. The money goes through the
ledger as the services post it (`fundapp/services/payments.py`): a COMMIT of
the approved amount from tranches that allow the category, then a DISBURSE
from the commitment's accounts to its disbursed accounts for each payment,
so the fund page's "disbursed" figures come from the entries. A proposal the
fund cannot cover any more is left without a project.

Rows are written in bulk (COPY on PostgreSQL), community by community, from
seeded generators: deterministic, and a second run skips the communities
that have their projects. Projects take their proposal's id, except the two
the bench names (projects/bench.py): `BIG_PROJECT_ID`, the largest
community's biggest project (a year of daily volunteer shifts, 150 expenses,
24 reports, 300 ratings), and `SMALL_PROJECT_ID`, its smallest (one
installment, one expense).
"""

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from fundapp.models import (
    Account,
    Commitment,
    LedgerEntry,
    LedgerTransaction,
    Membership,
    Role,
    Tranche,
    User,
)
from projects.bench import BIG_PROJECT_ID, SMALL_PROJECT_ID
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
    Rating,
    VolunteerShift,
)
from proposals.models import BudgetLine, Proposal
from tests.bench.fund_scale import SHANGHAI, IdAllocator, fen_text, moment, write_rows
from tests.bench.proposal_scale import scale_communities

Status = Proposal.Status
FUNDED = [Status.ACTIVE, Status.COMPLETED, Status.EVALUATED, Status.CLOSED]
DONE = {Status.COMPLETED, Status.EVALUATED, Status.CLOSED}
KEY_PREFIX = "scale:project:"
BIG = {
    "installments": 6,
    "expenses": 150,
    "reports": 24,
    "photos": 2,
    "milestones": 12,
    "ratings": 300,
    "observations": 10,
    "shifts_a_day": 3,
    "days": 365,
}
ACTIVITIES = ["巡逻", "探访独居老人", "活动组织", "场地布置", "宣传", "清洁"]
NAMED = ["张阿姨", "李师傅", "王大爷", "赵老师", "刘阿姨", "陈师傅"]
REMARKS = ["很满意", "希望继续", "组织得好", "时间安排可以更好", ""]

COLUMNS = {
    User: [
        "id", "password", "is_superuser", "username", "first_name", "last_name",
        "email", "is_staff", "is_active", "date_joined", "display_name",
    ],
    Membership: [
        "user_id", "community_id", "role", "address", "created_at", "verified_at",
        "roster_reference",
    ],
    Commitment: [
        "id", "fund_id", "purpose", "decision", "category", "amount", "created_at",
        "created_by_id",
    ],
    Account: ["id", "fund_id", "kind", "source_id", "tranche_id", "commitment_id",
              "balance"],
    LedgerTransaction: [
        "id", "fund_id", "kind", "amount", "memo", "effective_on", "fiscal_year",
        "tranche_id", "commitment_id", "reverses_id", "idempotency_key",
        "created_at", "created_by_id",
    ],
    LedgerEntry: ["transaction_id", "account_id", "amount"],
    Project: [
        "id", "proposal_id", "community_id", "grantee_kind", "grantee_name",
        "contact_name", "contact_phone", "starts_on", "ends_on", "completed_on",
        "created_by_id", "created_at",
    ],
    Installment: ["id", "project_id", "position", "percent", "amount", "trigger",
                  "due_on", "cancelled_at"],
    Disbursement: [
        "id", "installment_id", "amount", "status", "requested_by_id",
        "requested_at", "withdrawn_reason", "method", "bank_reference", "paid_on",
        "paid_at", "ledger_transaction_id",
    ],
    DisbursementApproval: ["disbursement_id", "approver_id", "approved_at"],
    Milestone: ["id", "project_id", "title", "due_on", "reached_on"],
    ProgressReport: [
        "id", "project_id", "kind", "milestone_id", "summary", "happened_on",
        "place", "participants", "status", "filed_by_id", "filed_at",
        "reviewed_by_id", "reviewed_at", "query",
    ],
    ProgressPhoto: ["report_id", "file", "original_name", "content_type", "size"],
    Expense: [
        "project_id", "budget_line_id", "amount", "spent_on", "description",
        "over_budget_reason", "receipt", "receipt_name", "receipt_type",
        "receipt_size", "status", "recorded_by_id", "recorded_at",
        "reviewed_by_id", "reviewed_at", "query",
    ],
    VolunteerShift: ["project_id", "volunteer_id", "volunteer_name", "activity",
                     "served_on", "hours", "recorded_by_id", "recorded_at"],
    Rating: ["project_id", "resident_id", "score", "comment", "rated_at",
             "changed_at"],
    Observation: ["project_id", "evaluator_id", "observed_on", "notes", "score",
                  "recorded_at"],
    DeviationFlag: [
        "project_id", "kind", "reasons", "raised_by_id", "raised_at", "state",
        "resolved_by_id", "resolved_at", "decision_reference", "resolution_note",
    ],
}  # fmt: skip
INSERT_ORDER = list(COLUMNS)


@dataclass
class Batch:
    rows: dict = field(default_factory=lambda: {model: [] for model in INSERT_ORDER})
    commitments: list = field(default_factory=list)  # (proposal id, commitment id)

    def add(self, model, *row) -> None:
        self.rows[model].append(row)

    @property
    def project_count(self) -> int:
        return len(self.rows[Project])


def write_batch(batch: Batch) -> None:
    """One transaction: PostgreSQL's ledger guards check it at COMMIT."""
    with transaction.atomic():
        for model in INSERT_ORDER:
            write_rows(model, batch.rows[model], COLUMNS[model])
        Proposal.objects.bulk_update(
            [Proposal(pk=pk, commitment_id=c) for pk, c in batch.commitments],
            ["commitment"],
            batch_size=1000,
        )


def split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` fen in `parts` positive amounts (whole yuan but the last)."""
    if parts <= 1 or total < parts * 100:
        return [total]
    cuts = sorted(rng.sample(range(1, total // 100), parts - 1))
    amounts = [(b - a) * 100 for a, b in pairwise([0, *cuts])]
    return [*amounts, total - sum(amounts)]


@dataclass
class TrancheMoney:
    account: int  # its available account
    tranche: int
    source: int
    allowed: list
    spend_by: date | None
    received_on: date


class CommunityProjects:
    """The projects of one scale community, written into a Batch."""

    def __init__(self, *, community, first, seed, today, ids, batch):
        self.community = community
        self.fund_id = community.fund.pk
        self.first = first  # the largest community: its projects get the bench's ids
        self.seed = seed
        self.today = today
        self.ids = ids
        self.batch = batch
        self.rng = random.Random(f"{seed}:{community.code}:projects")  # noqa: S311
        self.balance: dict[int, int] = {}
        self.key_number = 0
        self.skipped = 0

    # What is there already --------------------------------------------------

    def read(self) -> None:
        community = self.community
        members = Membership.objects.filter(community=community)
        self.worker = (
            members.filter(role=Role.SOCIAL_WORKER)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .first()
        )
        self.residents = list(
            members.filter(role=Role.RESIDENT)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
        self.proposals = list(
            Proposal.objects.filter(
                community=community, status__in=FUNDED, project__isnull=True
            )
            .order_by("pk")
            .values(
                "pk", "proposer_id", "category", "approved_amount", "decided_at",
                "status", "title",
            )
        )  # fmt: skip
        ids = [p["pk"] for p in self.proposals]
        self.lines = defaultdict(list)
        for line in BudgetLine.objects.filter(proposal_id__in=ids).order_by(
            "proposal_id", "position"
        ):
            self.lines[line.proposal_id].append((line.pk, int(line.total * 100)))
        self.teams = defaultdict(set)
        for proposal_id, user_id in Proposal.co_proposers.through.objects.filter(
            proposal_id__in=ids
        ).values_list("proposal_id", "user_id"):
            self.teams[proposal_id].add(user_id)
        tranches = {
            t.pk: t for t in Tranche.objects.filter(fund_id=self.fund_id).order_by("pk")
        }
        self.tranches = []
        for account in Account.objects.filter(
            fund_id=self.fund_id, kind=Account.Kind.TRANCHE_AVAILABLE
        ).order_by("pk"):
            tranche = tranches[account.tranche_id]
            self.balance[account.pk] = int(account.balance * 100)
            self.tranches.append(
                TrancheMoney(
                    account.pk,
                    tranche.pk,
                    tranche.source_id,
                    list(tranche.allowed_categories or []),
                    tranche.spend_by,
                    tranche.received_on,
                )
            )

    def staff(self) -> None:
        """Two fund committee members to sign, an evaluator to observe."""
        code = self.community.code.lower()
        joined = datetime.combine(
            self.today - timedelta(days=5 * 365), datetime.min.time(), SHANGHAI
        )
        self.signers, people = [], []
        for username, role in (
            (f"pj-{code}-fc1", Role.FUND_COMMITTEE),
            (f"pj-{code}-fc2", Role.FUND_COMMITTEE),
            (f"pj-{code}-ev", Role.EVALUATOR),
        ):
            pk = self.ids[User]()
            people.append(pk)
            self.batch.add(
                User, pk, "!", False, username, "", "", "", False, True, joined,
                f"{username}",
            )  # fmt: skip
            self.batch.add(
                Membership, pk, self.community.pk, role, "", joined, joined, ""
            )
        self.signers, self.evaluator = people[:2], people[2]

    # One project ---------------------------------------------------------------

    def build(self) -> int:
        self.read()
        if not self.proposals or self.worker is None:
            return 0
        self.staff()
        made = 0
        for number, proposal in enumerate(self.proposals):
            size = None
            if self.first and number < 2:
                size = ("big", "small")[number]
            made += self.project(proposal, size)
        return made

    def commit(self, proposal, amount: int, on: date) -> list | None:
        """COMMIT the amount from tranches allowing the category, or None."""
        # The fund's scale data spends most of each year's money that year:
        # what is left sits mostly in recent tranches, which may cover an
        # older decision (those received by then first).
        usable = sorted(
            (
                t
                for t in self.tranches
                if (not t.allowed or proposal["category"] in t.allowed)
                and (t.spend_by is None or t.spend_by >= on)
                and self.balance[t.account] > 0
            ),
            key=lambda t: (t.received_on > on, t.received_on, t.account),
        )
        if sum(self.balance[t.account] for t in usable) < amount:
            return None
        commitment = self.ids[Commitment]()
        self.batch.add(
            Commitment, commitment, self.fund_id, proposal["title"][:200],
            "decision:1", proposal["category"], fen_text(amount),
            moment(on, self.rng), None,
        )  # fmt: skip
        entries, accounts, left = [], [], amount
        for tranche in usable:
            if not left:
                break
            take = min(left, self.balance[tranche.account])
            committed = self.account(Account.Kind.COMMITTED, tranche, commitment)
            accounts.append((committed, tranche))
            entries += [(tranche.account, -take), (committed, take)]
            left -= take
        self.post(
            LedgerTransaction.Kind.COMMIT, entries, on, proposal["title"], commitment
        )
        return [commitment, accounts, {}]

    def account(self, kind, tranche: TrancheMoney, commitment: int) -> int:
        pk = self.ids[Account]()
        self.batch.add(
            Account, pk, self.fund_id, kind, tranche.source, tranche.tranche,
            commitment, "0",
        )  # fmt: skip
        self.balance[pk] = 0
        return pk

    def post(self, kind, entries, on, memo, commitment) -> int:
        pk = self.ids[LedgerTransaction]()
        self.key_number += 1
        moved = sum(amount for _account, amount in entries if amount > 0)
        self.batch.add(
            LedgerTransaction, pk, self.fund_id, kind, fen_text(moved), memo[:300],
            on, on.year, None, commitment, None,
            f"{KEY_PREFIX}{self.community.code}:{self.key_number}",
            moment(on, self.rng), None,
        )  # fmt: skip
        for account, amount in sorted(entries):
            self.balance[account] += amount
            self.batch.add(LedgerEntry, pk, account, fen_text(amount))
        return pk

    def disburse(self, money, amount: int, on: date, memo: str) -> int:
        commitment, accounts, disbursed = money
        entries, left = [], amount
        for committed, tranche in sorted(accounts, key=lambda pair: pair[0]):
            take = min(left, self.balance[committed])
            if take > 0:
                if committed not in disbursed:
                    disbursed[committed] = self.account(
                        Account.Kind.DISBURSED, tranche, commitment
                    )
                entries += [(committed, -take), (disbursed[committed], take)]
                left -= take
        return self.post(LedgerTransaction.Kind.DISBURSE, entries, on, memo, commitment)

    def project(self, proposal, size) -> int:
        rng = random.Random(f"{self.seed}:{proposal['pk']}:project")  # noqa: S311
        amount = int(proposal["approved_amount"] * 100)
        lines = self.lines.get(proposal["pk"])
        decided = timezone.localdate(proposal["decided_at"])
        if not lines or amount <= 0 or decided > self.today:
            return 0
        money = self.commit(proposal, amount, decided)
        if money is None:
            self.skipped += 1
            return 0
        self.batch.commitments.append((proposal["pk"], money[0]))
        big, small = size == "big", size == "small"
        pk = {"big": BIG_PROJECT_ID, "small": SMALL_PROJECT_ID}.get(
            size, proposal["pk"]
        )
        status = proposal["status"]
        done = status in DONE
        starts = min(decided + timedelta(days=rng.randint(5, 30)), self.today)
        length = BIG["days"] if big else rng.randint(60, 365)
        if done:
            completed = max(starts, min(starts + timedelta(days=length), self.today))
            ends, last_day = completed, completed
        else:
            completed, ends = None, starts + timedelta(days=length)
            last_day = min(ends, self.today)
        span = max((last_day - starts).days, 0)

        def day(share: float) -> date:
            return starts + timedelta(days=round(span * share))

        team = [proposal["proposer_id"], *sorted(self.teams[proposal["pk"]])]
        self.batch.add(
            Project, pk, proposal["pk"], self.community.pk, "team",
            f"{proposal['title'][:40]}项目组", "王秀兰", "13900000000", starts, ends,
            completed, self.worker, moment(decided, rng),
        )  # fmt: skip

        # The schedule: its triggers, and how many were paid.
        parts = 1 if small else (BIG["installments"] if big else rng.randint(2, 4))
        amounts = split(amount, parts, rng)
        triggers = (
            ["start"] if parts == 1 else ["start", *["progress"] * (parts - 2), "final"]
        )
        if done or parts == 1:
            paid = parts
        else:
            paid = rng.randint(1, parts - 1)
        progress_needed = triggers[:paid].count("progress")

        # Milestones and reports.
        milestones = []
        for number in range(
            BIG["milestones"] if big else (0 if small else rng.randint(1, 3))
        ):
            milestone = self.ids[Milestone]()
            due = day((number + 1) / (BIG["milestones"] + 1 if big else 4))
            milestones.append((milestone, due))
            self.batch.add(
                Milestone, milestone, pk, f"第{number + 1}阶段", due,
                due if due <= last_day else None,
            )  # fmt: skip
        progress = (
            BIG["reports"]
            if big
            else (1 if small else progress_needed + rng.randint(0, 2))
        )
        report_days = [day((n + 1) / (progress + 1)) for n in range(progress)]
        for number, on in enumerate(report_days):
            self.report(pk, "progress", on, rng, milestones, number, size, team)
        final_on = last_day
        if done:
            self.report(pk, "final", final_on, rng, milestones, None, size, team)

        # Installments, each paid on its trigger's day, signed twice.
        progress_seen = 0
        for position, (part, trigger) in enumerate(
            zip(amounts, triggers, strict=True), start=1
        ):
            installment = self.ids[Installment]()
            percent = (Decimal(part) * 100 / Decimal(amount)).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
            self.batch.add(
                Installment, installment, pk, position,
                min(max(percent, Decimal("0.01")), Decimal("100")), fen_text(part),
                trigger, None, None,
            )  # fmt: skip
            if position > paid:
                continue
            if trigger == "start":
                on = starts
            elif trigger == "final":
                on = final_on
            else:
                on = report_days[progress_seen]
                progress_seen += 1
            self.pay(money, installment, part, on, rng, proposal["title"], position)
        if not done and paid < parts and rng.random() < 0.3:
            # The next installment requested, one signature so far.
            self.request_next(installment_of=pk, position=paid + 1, rng=rng)

        # Expenses: what was paid, mostly spent and accepted.
        paid_total = sum(amounts[:paid])
        count = 1 if small else (BIG["expenses"] if big else rng.randint(2, 8))
        spend = (
            paid_total
            if status == Status.CLOSED or small
            else int(paid_total * rng.uniform(0.6, 1.0))
        )
        used = defaultdict(int)
        budget = dict(lines)
        for number, part in enumerate(split(spend, count, rng)):
            line = rng.choice(lines)[0]
            used[line] += part
            on = day(number / max(count, 1))
            state = Expense.Status.ACCEPTED
            if status == Status.ACTIVE and rng.random() < 0.1:
                state = rng.choice([Expense.Status.SUBMITTED, Expense.Status.QUERIED])
            reviewed = state != Expense.Status.SUBMITTED
            self.batch.add(
                Expense, pk, line, fen_text(part), on, f"{rng.choice(ACTIVITIES)}用品",
                "物价上涨" if used[line] > budget[line] else "",
                "projects/scale-receipt.png", "发票.png", "image/png", 48_000, state,
                team[0], moment(on, rng), self.worker if reviewed else None,
                moment(on, rng) if reviewed else None,
                "请补充发票" if state == Expense.Status.QUERIED else "",
            )  # fmt: skip

        # Volunteers, ratings, observations, flags.
        if big:
            shift_days = [starts + timedelta(days=n) for n in range(span + 1)]
            a_day = BIG["shifts_a_day"]
        elif small:
            shift_days, a_day = [], 0
        else:
            count = min(rng.randint(0, 40), span + 1)
            shift_days = sorted(
                starts + timedelta(days=n) for n in rng.sample(range(span + 1), count)
            )
            a_day = rng.randint(1, 3)
        for on in shift_days:
            for _n in range(a_day):
                registered = self.residents and rng.random() < 0.6
                self.batch.add(
                    VolunteerShift, pk,
                    rng.choice(self.residents) if registered else None,
                    "" if registered else rng.choice(NAMED), rng.choice(ACTIVITIES),
                    on, f"{rng.choice([2, 3, 4])}.{rng.choice([0, 5])}",
                    self.worker, moment(on, rng),
                )  # fmt: skip
        raters = [r for r in self.residents if r not in team]
        wanted = BIG["ratings"] if big else (0 if small else rng.randint(0, 30))
        for resident in rng.sample(raters, min(wanted, len(raters))):
            on = min(last_day + timedelta(days=rng.randint(0, 30)), self.today)
            at = moment(on, rng)
            score = rng.choices([1, 2, 3, 4, 5], [1, 2, 5, 12, 14])[0]
            self.batch.add(Rating, pk, resident, score, rng.choice(REMARKS), at, at)
        visits = BIG["observations"] if big else (0 if small else rng.randint(0, 2))
        for number in range(visits):
            on = day((number + 0.5) / visits)
            self.batch.add(
                Observation, pk, self.evaluator, on, "现场查看活动,记录完整。",
                rng.choice([None, 3, 4, 5]), moment(on, rng),
            )  # fmt: skip
        if not small and (big or rng.random() < 0.05):
            on = day(0.5)
            holds = status == Status.ACTIVE and not big and paid < parts
            self.batch.add(
                DeviationFlag, pk, rng.choice(["off_plan", "inactive", "over_budget"]),
                "连续一个月没有活动记录。", self.evaluator, moment(on, rng),
                "open" if holds else "lifted", None if holds else self.signers[0],
                None if holds else moment(on + timedelta(days=7), rng),
                "" if holds else "decision:1", "" if holds else "已恢复活动",
            )  # fmt: skip
        return 1

    def report(self, pk, kind, on, rng, milestones, number, size, team) -> None:
        big, small = size == "big", size == "small"
        report = self.ids[ProgressReport]()
        milestone = (
            milestones[number][0]
            if number is not None and number < len(milestones)
            else None
        )
        self.batch.add(
            ProgressReport, report, pk, kind, milestone,
            f"{rng.choice(ACTIVITIES)}:本阶段完成计划。" * 3, on, "社区活动室",
            rng.randint(5, 120), ProgressReport.Status.ACCEPTED, team[0],
            moment(on, rng),
            self.worker, moment(on, rng), "",
        )  # fmt: skip
        photos = BIG["photos"] if big else (0 if small else rng.randint(0, 2))
        for photo in range(photos):
            self.batch.add(
                ProgressPhoto, report, "projects/scale-photo.jpg",
                f"现场{photo + 1}.jpg", "image/jpeg", 180_000,
            )  # fmt: skip

    def pay(self, money, installment, part, on, rng, title, position) -> None:
        transaction_id = self.disburse(money, part, on, f"第{position}期 {title}")
        disbursement = self.ids[Disbursement]()
        requested = moment(on, rng)
        self.batch.add(
            Disbursement, disbursement, installment, fen_text(part), "paid",
            self.worker, requested, "", "bank_transfer", f"BANK-{transaction_id}",
            on, requested + timedelta(hours=2), transaction_id,
        )  # fmt: skip
        for number, signer in enumerate(self.signers, start=1):
            self.batch.add(
                DisbursementApproval, disbursement, signer,
                requested + timedelta(hours=number),
            )  # fmt: skip

    def request_next(self, *, installment_of, position, rng) -> None:
        rows = self.batch.rows[Installment]
        installment, _project, _position, _p, amount, *_rest = next(
            row for row in rows if row[1] == installment_of and row[2] == position
        )
        disbursement = self.ids[Disbursement]()
        requested = moment(self.today, rng)
        self.batch.add(
            Disbursement, disbursement, installment, amount, "requested",
            self.worker, requested, "", "", "", None, None, None,
        )  # fmt: skip
        self.batch.add(
            DisbursementApproval, disbursement, self.signers[0],
            requested + timedelta(minutes=5),
        )  # fmt: skip


@dataclass
class Summary:
    communities: int = 0
    skipped: int = 0
    projects: int = 0
    unfunded: int = 0
    rows: dict = field(default_factory=dict)
    seconds: float = 0.0


def is_present() -> bool:
    return Project.objects.filter(pk=BIG_PROJECT_ID).exists()


def generate(*, seed=2013, batch_projects=2_000, today=None, progress=print):
    """Write the projects of every scale community that has none yet."""
    started = time.monotonic()
    today = today or timezone.localdate()
    summary = Summary()
    communities = scale_communities()
    if not communities:
        progress("No scale community (S001…): run the fund's scale step first.")
        return summary
    done = set(
        Project.objects.filter(community__in=communities).values_list(
            "community_id", flat=True
        )
    )
    ids = {
        model: IdAllocator(model, chunk=500)
        for model in (
            User, Commitment, Account, LedgerTransaction, Installment, Disbursement,
            Milestone, ProgressReport,
        )
    }  # fmt: skip
    totals = dict.fromkeys(INSERT_ORDER, 0)
    batch = Batch()

    def flush():
        nonlocal batch
        write_batch(batch)
        for model, rows in batch.rows.items():
            totals[model] += len(rows)
        progress(
            f"  {summary.communities:>4} communities · {totals[Project]:>7,} projects"
            f" · {totals[VolunteerShift]:>8,} volunteer shifts · "
            f"{time.monotonic() - started:6.1f} s"
        )
        batch = Batch()

    for index, community in enumerate(communities):
        if community.pk in done:
            summary.skipped += 1
            continue
        builder = CommunityProjects(
            community=community, first=index == 0, seed=seed, today=today, ids=ids,
            batch=batch,
        )  # fmt: skip
        summary.projects += builder.build()
        summary.unfunded += builder.skipped
        summary.communities += 1
        if batch.project_count >= batch_projects:
            flush()
    if any(batch.rows.values()):
        flush()
    if connection.vendor == "postgresql" and summary.communities:
        progress("  analysing the tables …")
        verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in [*INSERT_ORDER, Proposal]:
                cursor.execute(
                    f"{verb} {connection.ops.quote_name(model._meta.db_table)}"
                )
    summary.rows = totals
    summary.seconds = time.monotonic() - started
    return summary


# The command line: `python -m tests.bench.scale projects [options]` ---------


class Command(BaseCommand):
    help = (
        "Create program-scale projects: every granted proposal of the scale "
        "communities whose delivery began (about a third of them) gets its project, "
        "installments paid through the ledger, expenses, reports, volunteer hours, "
        "ratings. Needs the fund's and the proposals' scale steps; skips the "
        "communities that have their projects."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=2013, help="Same seed, same data."
        )
        parser.add_argument(
            "--batch-projects",
            type=int,
            default=2_000,
            help="Projects written per database transaction.",
        )

    def handle(self, *args, **options):
        self.stdout.write(f"Generating the projects on {connection.vendor} …")
        summary = generate(
            seed=options["seed"],
            batch_projects=options["batch_projects"],
            progress=self.stdout.write,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {summary.seconds:.1f} s: {summary.projects:,} projects in "
                f"{summary.communities} communities ({summary.skipped} already "
                f"there; {summary.unfunded} granted proposals the fund could not "
                "cover are left without a project)."
            )
        )
        for model, count in summary.rows.items():
            self.stdout.write(f"  {model._meta.verbose_name_plural!s:<22} {count:>10,}")
