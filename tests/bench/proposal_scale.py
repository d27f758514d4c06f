"""Program-scale proposals for the bench: about 50,000 across the scale communities.

Writing them through the services (a locked, audited transaction each, with
notifications) would take an hour, so rows of the same shapes are written in
bulk: COPY on PostgreSQL, `bulk_create` elsewhere. Each community is built
from its own seeded random generator, so a run is deterministic and
resumable: batches commit whole communities, and a second run skips the
communities already written.

Proposals get fixed ids (`proposal_id(index, number)`), so the bench can name
its proposal pages without asking the database (proposals/bench.py):
`BUSY_PROPOSAL_ID`, the most supported and discussed proposal of the largest
community, and `QUIET_PROPOSAL_ID`, one of its proposals with no support and
no comment.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from fundapp.models import Category, Community, Membership, Role, User
from fundapp.money import cny
from proposals.bench import BUSY_PROPOSAL_ID, QUIET_PROPOSAL_ID
from proposals.models import (
    BudgetLine,
    Comment,
    Proposal,
    ProposalEvent,
    ProposalVersion,
    Round,
    Support,
)
from tests.bench.fund_scale import CODE_PATTERN, IdAllocator, write_rows

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_ID = 1_000_000_000
IDS_PER_COMMUNITY = 100_000
TOTAL_PROPOSALS = 50_000
# The largest community has about 4,000 proposals (the list the bench pages
# through); the others about 200 each.
LARGEST_SHARE = 0.08
RESIDENTS = 40
RESIDENTS_OF_LARGEST = 400
BUSY_SUPPORTS = 300
BUSY_COMMENTS = 120
PAST_YEARS = 4

Status = Proposal.Status
Action = ProposalEvent.Action
CoProposer = Proposal.co_proposers.through


def proposal_id(index: int, number: int) -> int:
    """The fixed id of the `number`th proposal of the `index`th scale community."""
    return FIRST_ID + index * IDS_PER_COMMUNITY + number


# The pages proposals/bench.py names: proposals 1 and 2 of the first community.
assert proposal_id(1, 1) == BUSY_PROPOSAL_ID
assert proposal_id(1, 2) == QUIET_PROPOSAL_ID

# What a proposal went through to reach each status: (action, status after).
SUBMITTED = [(Action.SUBMITTED, Status.SUBMITTED)]
SCREENED = [*SUBMITTED, (Action.SCREENING, Status.SCREENING)]
ELIGIBLE = [*SCREENED, (Action.ELIGIBLE, Status.ELIGIBLE)]
ON_AGENDA = [*ELIGIBLE, (Action.ON_AGENDA, Status.ON_AGENDA)]
APPROVED = [*ON_AGENDA, (Action.APPROVED, Status.APPROVED)]
ACTIVE = [*APPROVED, (Action.ACTIVE, Status.ACTIVE)]
COMPLETED = [*ACTIVE, (Action.COMPLETED, Status.COMPLETED)]
EVALUATED = [*COMPLETED, (Action.EVALUATED, Status.EVALUATED)]
PATHS = {
    Status.DRAFT: [],
    Status.SUBMITTED: SUBMITTED,
    Status.SCREENING: SCREENED,
    Status.RETURNED: [*SCREENED, (Action.RETURNED, Status.RETURNED)],
    Status.ELIGIBLE: ELIGIBLE,
    Status.ON_AGENDA: ON_AGENDA,
    Status.APPROVED: APPROVED,
    Status.REJECTED: [*ON_AGENDA, (Action.REJECTED, Status.REJECTED)],
    Status.POSTPONED: [*ON_AGENDA, (Action.POSTPONED, Status.POSTPONED)],
    Status.ACTIVE: ACTIVE,
    Status.COMPLETED: COMPLETED,
    Status.EVALUATED: EVALUATED,
    Status.CLOSED: [*EVALUATED, (Action.CLOSED, Status.CLOSED)],
    Status.WITHDRAWN: [*SUBMITTED, (Action.WITHDRAWN, Status.WITHDRAWN)],
}
CURRENT_STATUSES = {
    Status.DRAFT: 10,
    Status.SUBMITTED: 30,
    Status.SCREENING: 15,
    Status.RETURNED: 10,
    Status.ELIGIBLE: 20,
    Status.ON_AGENDA: 10,
    Status.WITHDRAWN: 5,
}
# Of the past proposals, about half were granted and delivered (ACTIVE and
# after): with the current ones, a third of all, the projects' scale data.
PAST_STATUSES = {
    Status.APPROVED: 8,
    Status.REJECTED: 18,
    Status.POSTPONED: 5,
    Status.ACTIVE: 8,
    Status.COMPLETED: 8,
    Status.EVALUATED: 8,
    Status.CLOSED: 27,
    Status.WITHDRAWN: 18,
}
DECIDED = {Status.APPROVED, Status.ACTIVE, Status.COMPLETED, Status.EVALUATED}
DECIDED |= {Status.CLOSED, Status.REJECTED, Status.POSTPONED}
SUPPORTABLE = Proposal.OPEN_FOR_SUPPORT | DECIDED

IDEAS = {
    Category.CULTURE: ["社区读书会", "传统节日活动", "广场舞队服装"],
    Category.ENVIRONMENT: ["垃圾分类宣传", "楼道绿化", "雨水花园"],
    Category.HEALTH: ["义诊活动", "健康讲座", "健身器材维修"],
    Category.ELDERLY_CARE: ["老年食堂补贴", "独居老人探访", "助浴服务"],
    Category.EDUCATION: ["四点半课堂", "儿童暑期课堂", "青少年编程营"],
    Category.SECURITY: ["夜间巡逻", "楼道照明改造", "消防器材更新"],
    Category.MUTUAL_AID: ["邻里互助站", "困难家庭帮扶", "共享工具屋"],
    Category.SELF_GOVERNANCE: ["议事会培训", "居民公约印制", "楼栋长会议"],
    Category.DISABILITY: ["无障碍坡道", "助残志愿服务"],
    Category.OTHER: ["社区杂项"],
}
ITEMS = [
    ("宣传海报", "张", "12.50"),
    ("志愿者马甲", "件", "35.00"),
    ("手电筒", "个", "48.50"),
    ("场地租用", "次", "300.00"),
    ("培训讲师费", "课时", "400.00"),
    ("绿植", "盆", "25.00"),
    ("茶歇", "人次", "15.00"),
    ("保险", "人", "20.00"),
]
COMMENTS = [
    "支持！我们楼的老人很需要。",
    "预算里的场地费可以再省一点，活动室是免费的。",
    "我愿意当志愿者，周末有空。",
    "建议先在一个楼栋试点。",
    "去年也有类似的项目，效果不错。",
    "时间能不能改到晚上？上班族也想参加。",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"

COLUMNS = {
    User: [
        "id", "password", "is_superuser", "username", "first_name", "last_name",
        "email", "is_staff", "is_active", "date_joined", "display_name",
    ],
    Membership: [
        "user_id", "community_id", "role", "address", "created_at", "verified_at",
        "roster_reference",
    ],
    Round: [
        "id", "community_id", "title", "description", "opens_on", "closes_on",
        "budget_amount", "ceiling_amount", "eligible_categories",
        "minimum_supports", "opened_by_id", "opened_at", "closing_reason",
    ],
    Proposal: [
        "id", "round_id", "community_id", "proposer_id", "title", "category",
        "problem", "affected", "evidence", "activities", "schedule", "place",
        "volunteers", "requested_amount", "status", "version_number",
        "support_count", "comment_count", "created_at", "updated_at",
        "submitted_at", "status_changed_at", "tabled_at",
        "decided_at", "decision_reference", "approved_amount", "conditions",
    ],
    CoProposer: ["proposal_id", "user_id"],
    BudgetLine: ["proposal_id", "position", "item", "quantity", "unit", "unit_cost"],
    ProposalVersion: ["proposal_id", "number", "snapshot", "created_at",
                      "created_by_id"],
    Support: ["proposal_id", "resident_id", "created_at"],
    Comment: ["proposal_id", "author_id", "body", "created_at", "hidden_reason"],
    ProposalEvent: ["proposal_id", "actor_id", "action", "from_status", "to_status",
                    "reason", "at"],
}  # fmt: skip
INSERT_ORDER = list(COLUMNS)


@dataclass
class Batch:
    rows: dict = field(default_factory=lambda: {model: [] for model in INSERT_ORDER})

    def add(self, model, *row) -> None:
        self.rows[model].append(row)

    @property
    def proposal_count(self) -> int:
        return len(self.rows[Proposal])


def write_batch(batch: Batch) -> None:
    with transaction.atomic():
        for model in INSERT_ORDER:
            write_rows(model, batch.rows[model], COLUMNS[model])


def moment(on: date, rng: random.Random) -> datetime:
    return datetime.combine(
        on, clock(rng.randint(8, 21), rng.randint(0, 59)), tzinfo=SHANGHAI
    )


def shares(count: int, total: int, seed: int) -> list[int]:
    """Each community's number of proposals: the first the largest, the rest uneven."""
    if count == 1:
        return [total]
    rng = random.Random(f"{seed}:proposal-shares")  # noqa: S311
    largest = round(total * LARGEST_SHARE)
    weights = [rng.uniform(0.5, 1.5) for _ in range(count - 1)]
    rest = total - largest
    return [largest] + [max(5, round(rest * w / sum(weights))) for w in weights]


class CommunityBuilder:
    """The residents, calls and proposals of one scale community."""

    def __init__(self, *, index, community, count, today, seed, ids, batch):
        self.index = index
        self.community = community
        self.count = count
        self.today = today
        self.rng = random.Random(f"{seed}:{community.code}:proposals")  # noqa: S311
        self.user_ids, self.round_ids = ids
        self.batch = batch

    def build(self) -> None:
        self.people()
        self.rounds()
        for number in range(1, self.count + 1):
            self.proposal(number)

    def people(self) -> None:
        size = RESIDENTS_OF_LARGEST if self.index == 1 else RESIDENTS
        joined = datetime.combine(
            self.today - timedelta(days=5 * 365), clock(9), tzinfo=SHANGHAI
        )
        code = self.community.code.lower()
        self.worker = self.user(f"ps-{code}-sw", joined)
        self.batch.add(
            Membership,
            self.worker,
            self.community.pk,
            Role.SOCIAL_WORKER,
            "",
            joined,
            joined,
            "",
        )
        self.residents = []
        for number in range(1, size + 1):
            user = self.user(f"ps-{code}-{number:04d}", joined)
            self.residents.append(user)
            self.batch.add(
                Membership,
                user,
                self.community.pk,
                Role.RESIDENT,
                f"{number % 30 + 1}栋{number % 6 + 1}单元",
                joined,
                joined,
                f"R{number:05d}",
            )

    def user(self, username: str, joined: datetime) -> int:
        pk = self.user_ids()
        name = self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, 2))
        self.batch.add(
            User, pk, "!", False, username, "", "", "", False, True, joined, name
        )
        return pk

    def rounds(self) -> None:
        """One call a year for the past years, and one open now."""
        self.past_rounds = []
        for back in range(PAST_YEARS, 0, -1):
            year = self.today.year - back
            self.past_rounds.append(
                self.round(
                    f"{year}年度社区微项目征集", date(year, 3, 1), date(year, 4, 30)
                )
            )
        self.current_round = self.round(
            f"{self.today.year}年度社区微项目征集(进行中)",
            self.today - timedelta(days=30),
            self.today + timedelta(days=60),
        )

    def round(self, title: str, opens_on: date, closes_on: date):
        pk = self.round_ids()
        budget = Decimal(self.rng.choice([100_000, 150_000, 200_000]))
        ceiling = Decimal(self.rng.choice([10_000, 20_000, 30_000]))
        minimum = self.rng.choice([0, 3, 5])
        self.batch.add(
            Round,
            pk,
            self.community.pk,
            title,
            "居民提出、共同设计、议事会决定。",
            opens_on,
            closes_on,
            cny(budget),
            cny(ceiling),
            [],
            minimum,
            self.worker,
            moment(opens_on - timedelta(days=7), self.rng),
            "",
        )
        return (pk, opens_on, closes_on, cny(ceiling))

    def proposal(self, number: int) -> None:
        rng = self.rng
        busy = self.index == 1 and number == 1
        quiet = self.index == 1 and number == 2
        current = busy or quiet or rng.random() < 0.35
        if busy:
            status = Status.ON_AGENDA
        elif quiet:
            status = Status.SUBMITTED
        else:
            weights = CURRENT_STATUSES if current else PAST_STATUSES
            status = rng.choices(list(weights), list(weights.values()))[0]
        round_pk, opens_on, closes_on, ceiling = (
            self.current_round if current else rng.choice(self.past_rounds)
        )
        category = rng.choice(list(IDEAS))
        idea = rng.choice(IDEAS[category])
        pk = proposal_id(self.index, number)
        team = rng.sample(self.residents, 1 + (3 if busy else rng.randint(0, 2)))
        proposer, co_proposers = team[0], team[1:]
        last_day = min(closes_on, self.today)
        created = moment(opens_on + timedelta(days=rng.randint(0, 10)), rng)
        submitted_on = min(opens_on + timedelta(days=rng.randint(10, 25)), last_day)
        submitted = moment(submitted_on, rng) if status != Status.DRAFT else None
        lines = self.budget(pk, ceiling, busy)
        total = cny(sum(line[3] * line[5] for line in lines))
        text = {
            "title": f"{idea}{'' if busy else f' · {number}号'}",
            "problem": f"{self.community.name}的居民反映需要{idea}。" * 3,
            "affected": f"约{rng.randint(50, 3000)}户居民",
            "evidence": f"居民议事会收到{rng.randint(3, 60)}份意见。",
            "activities": f"组织{idea}，每月{rng.randint(1, 4)}次。",
            "schedule": f"{rng.randint(3, 12)}个月",
            "place": f"{rng.randint(1, 30)}栋楼下活动室",
            "volunteers": f"{rng.randint(5, 40)}名居民志愿者轮流参与",
        }
        path = PATHS[status]
        cycles = (
            3 if busy else (1 if status != Status.DRAFT and rng.random() < 0.2 else 0)
        )
        events = [(Action.CREATED, "", Status.DRAFT, "", created)]
        at = submitted
        step = timedelta(days=rng.randint(2, 9))
        previous = Status.DRAFT
        versions = []
        for action, to_status in path:
            if action == Action.SUBMITTED:
                versions.append(at)
                for _cycle in range(cycles):
                    events.append((action, previous, Status.SUBMITTED, "", at))
                    at += step
                    events.append(
                        (
                            Action.RETURNED,
                            Status.SUBMITTED,
                            Status.RETURNED,
                            "请补充预算依据和志愿者安排。",
                            at,
                        )
                    )
                    at += step
                    action, previous = Action.RESUBMITTED, Status.RETURNED
                    versions.append(at)
            reason = "meeting:1" if action == Action.ON_AGENDA else ""
            events.append((action, previous, to_status, reason, at))
            previous = to_status
            at += step
        changed = events[-1][4]
        decided = status in DECIDED
        supports = self.supports(status, team, busy, quiet)
        comments = (
            0
            if quiet or status == Status.DRAFT
            else (BUSY_COMMENTS if busy else rng.choice([0, 0, 1, 2, 3, 5, 8]))
        )
        self.batch.add(
            Proposal,
            pk,
            round_pk,
            self.community.pk,
            proposer,
            text["title"],
            category,
            text["problem"],
            text["affected"],
            text["evidence"],
            text["activities"],
            text["schedule"],
            text["place"],
            text["volunteers"],
            total,
            status,
            len(versions),
            len(supports),
            comments,
            created,
            changed,
            submitted,
            changed,
            None,
            changed if decided else None,
            "decision:1" if decided else "",
            total if status in DECIDED - {Status.REJECTED, Status.POSTPONED} else None,
            "",
        )
        for user in co_proposers:
            self.batch.add(CoProposer, pk, user)
        for line in lines:
            self.batch.add(BudgetLine, *line)
        snapshot = {
            **text,
            "category": category,
            "budget": [
                {
                    "item": item,
                    "quantity": quantity,
                    "unit": unit,
                    "unit_cost": str(cost),
                    "total": str(cny(quantity * cost)),
                }
                for _p, _n, item, quantity, unit, cost in lines
            ],
            "total": str(total),
        }
        for version, when in enumerate(versions, start=1):
            self.batch.add(ProposalVersion, pk, version, snapshot, when, proposer)
        for resident in supports:
            self.batch.add(
                Support, pk, resident, submitted + timedelta(hours=rng.randint(1, 400))
            )
        for _n in range(comments):
            self.batch.add(
                Comment,
                pk,
                rng.choice(self.residents),
                rng.choice(COMMENTS),
                submitted + timedelta(hours=rng.randint(1, 400)),
                "",
            )
        for action, from_status, to_status, reason, when in events:
            actor = (
                proposer
                if action
                in (
                    Action.CREATED,
                    Action.SUBMITTED,
                    Action.RESUBMITTED,
                    Action.WITHDRAWN,
                )
                else self.worker
            )
            self.batch.add(
                ProposalEvent, pk, actor, action, from_status, to_status, reason, when
            )

    def budget(self, pk: int, ceiling: Decimal, busy: bool) -> list[tuple]:
        lines, total = [], Decimal(0)
        for position in range(1, (6 if busy else self.rng.randint(1, 5)) + 1):
            item, unit, cost = self.rng.choice(ITEMS)
            cost = Decimal(cost)
            quantity = self.rng.randint(1, 40)
            while quantity > 1 and total + quantity * cost > ceiling:
                quantity //= 2
            if total + quantity * cost > ceiling:
                break
            total += quantity * cost
            lines.append((pk, position, item, quantity, unit, cny(cost)))
        if not lines:
            lines.append((pk, 1, "宣传海报", 1, "张", cny("12.50")))
        return lines

    def supports(self, status, team, busy, quiet) -> list[int]:
        if quiet or status not in SUPPORTABLE:
            return []
        others = [r for r in self.residents if r not in team]
        count = (
            BUSY_SUPPORTS
            if busy
            else min(len(others), int(self.rng.paretovariate(1.4) * 3) - 3)
        )
        return self.rng.sample(others, max(count, 0))


@dataclass
class Summary:
    communities: int = 0
    skipped: int = 0
    rows: dict = field(default_factory=dict)
    seconds: float = 0.0


def scale_communities() -> list[Community]:
    """The scale communities (S001…), in code order."""
    return sorted(
        (c for c in Community.objects.all() if CODE_PATTERN.match(c.code)),
        key=lambda c: c.code,
    )


def is_present() -> bool:
    """Whether the bench's proposal pages exist (the last run got that far)."""
    return Proposal.objects.filter(pk=BUSY_PROPOSAL_ID).exists()


def generate(
    *,
    proposals=TOTAL_PROPOSALS,
    seed=2013,
    batch_proposals=5_000,
    today=None,
    progress=print,
) -> Summary:
    """Write proposals and what hangs on them in every scale community.

    Communities that already have their proposals are skipped, so an
    interrupted run resumes. Needs the scale communities
    (`python -m tests.bench.scale fundapp`). Analyses the tables on PostgreSQL.
    """
    started = time.monotonic()
    today = today or timezone.localdate()
    communities = scale_communities()
    summary = Summary()
    if not communities:
        progress("No scale community (S001…): run the fund's scale step first.")
        return summary
    counts = shares(len(communities), proposals, seed)
    done = set(
        Proposal.objects.filter(
            pk__in=[proposal_id(i, 1) for i in range(1, len(communities) + 1)]
        ).values_list("community__code", flat=True)
    )
    summary.skipped = len(done)
    ids = (IdAllocator(User), IdAllocator(Round, chunk=100))
    totals = dict.fromkeys(INSERT_ORDER, 0)
    batch = Batch()

    def flush():
        nonlocal batch
        write_batch(batch)
        for model, rows in batch.rows.items():
            totals[model] += len(rows)
        progress(
            f"  {summary.communities:>4}/{len(communities) - len(done)} communities · "
            f"{totals[Proposal]:>7,} proposals · {totals[Support]:>8,} supports · "
            f"{time.monotonic() - started:6.1f} s"
        )
        batch = Batch()

    for index, (community, count) in enumerate(
        zip(communities, counts, strict=True), start=1
    ):
        if community.code in done:
            continue
        CommunityBuilder(
            index=index,
            community=community,
            count=count,
            today=today,
            seed=seed,
            ids=ids,
            batch=batch,
        ).build()
        summary.communities += 1
        if batch.proposal_count >= batch_proposals:
            flush()
    if batch.proposal_count or batch.rows[User]:
        flush()
    if connection.vendor == "postgresql" and summary.communities:
        progress("  analysing the tables …")
        verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in INSERT_ORDER:
                cursor.execute(
                    f"{verb} {connection.ops.quote_name(model._meta.db_table)}"
                )
    summary.rows = totals
    summary.seconds = time.monotonic() - started
    return summary


# The command line: `python -m tests.bench.scale proposals [options]` ---------


class Command(BaseCommand):
    help = (
        "Create program-scale proposals in the scale communities S001… (made by "
        "the fund's scale step): calls, residents, about --proposals proposals with "
        "budget lines, co-proposers, supports, comments, versions and their "
        "history, bulk-written and deterministic. Resumes where a run stopped; "
        "does nothing when they are there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--proposals", type=int, default=TOTAL_PROPOSALS)
        parser.add_argument(
            "--seed", type=int, default=2013, help="Same seed, same data."
        )
        parser.add_argument(
            "--batch-proposals",
            type=int,
            default=5_000,
            help="Proposals written per database transaction.",
        )

    def handle(self, *args, **options):
        self.stdout.write(
            f"Generating about {options['proposals']:,} proposals "
            f"(seed {options['seed']}) on {connection.vendor} …"
        )
        summary = generate(
            proposals=options["proposals"],
            seed=options["seed"],
            batch_proposals=options["batch_proposals"],
            progress=self.stdout.write,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {summary.seconds:.1f} s: {summary.communities} communities "
                f"written, {summary.skipped} already there."
            )
        )
        for model, count in summary.rows.items():
            self.stdout.write(f"  {model._meta.verbose_name_plural!s:<22} {count:>10,}")
