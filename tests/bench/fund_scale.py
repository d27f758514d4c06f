"""Program-scale data: hundreds of community funds and a million ledger entries.

Posting a million entries through the services (one locked, audited
transaction each) would take hours, so the movements are simulated here in
Python, with the same shapes the services write (`fundapp/services/money.py`:
receive, commit, release, reverse), and written in bulk: COPY on PostgreSQL,
`bulk_create` elsewhere. The simulation keeps every rule the services keep:
each transaction's entries sum to zero, no account of the fund's own money
goes below zero at any moment (the database keeps `Account.balance` as the
sum of the entries written, and refuses a negative one), a reversal mirrors
what it names (once), matching tranches stay within ratio and cap,
commitments draw only on tranches that allow their category.

Each community is simulated from its own seeded random generator, so a run is
deterministic and resumable: batches commit whole communities, and a second
run skips the communities already written. On PostgreSQL the ledger's guards
check every movement at each batch's COMMIT (fundapp migrations 0005, 0007).
"""

import heapq
import json
import random
import re
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from fundapp.models import (
    Account,
    Category,
    Commitment,
    Community,
    Fund,
    LedgerEntry,
    LedgerTransaction,
    Source,
    Tranche,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
KEY_PREFIX = "scale:"
CODE_PATTERN = re.compile(r"^S\d{3,}$")
# The first community is the largest, about 2.2 times the average: a fund of
# some 4,000 movements, the page the bench measures.
LARGEST_WEIGHT = 2.2
# Entries a commitment brings with it on average (its commit, partial and
# final releases, the odd reversal), measured on the default run; used to
# size each community's number of commitments to its share of the target.
ENTRIES_PER_COMMITMENT = 3.1
OVERSHOOT = 1.03  # aim a little above the target: it is a minimum

DISTRICTS = [
    ("雨花台区", "Yuhuatai"),
    ("玄武区", "Xuanwu"),
    ("秦淮区", "Qinhuai"),
    ("建邺区", "Jianye"),
    ("鼓楼区", "Gulou"),
    ("栖霞区", "Qixia"),
    ("江宁区", "Jiangning"),
    ("浦口区", "Pukou"),
    ("六合区", "Luhe"),
    ("溧水区", "Lishui"),
    ("高淳区", "Gaochun"),
]
PLACE_WORDS = "金银翠华安康和平新民光明育英长乐永宁锦绣东湖西园南苑北岭青山月牙"
DONORS = [
    ("汇丰银行(中国)", "HSBC (China)"),
    ("万科公益基金会", "Vanke Foundation"),
    ("南京银行", "Bank of Nanjing"),
    ("苏宁集团", "Suning Group"),
    ("招商局慈善基金会", "China Merchants Foundation"),
    ("爱德基金会", "Amity Foundation"),
]
PURPOSES = {
    Category.CULTURE: ["社区读书会", "广场舞队服装", "传统节日活动"],
    Category.ENVIRONMENT: ["垃圾分类宣传", "楼道绿化", "雨水花园"],
    Category.HEALTH: ["义诊活动", "健康讲座", "健身器材维修"],
    Category.ELDERLY_CARE: ["老年食堂补贴", "独居老人探访", "助浴服务"],
    Category.EDUCATION: ["儿童暑期课堂", "四点半课堂", "青少年编程营"],
    Category.SECURITY: ["楼道照明改造", "消防器材更新", "电动车充电棚"],
    Category.MUTUAL_AID: ["邻里互助站", "困难家庭帮扶", "共享工具屋"],
    Category.SELF_GOVERNANCE: ["议事会培训", "居民公约印制", "楼栋长会议"],
    Category.DISABILITY: ["无障碍坡道", "助残志愿服务"],
    Category.OTHER: ["社区杂项"],
}
CATEGORY_WEIGHTS = [10, 8, 8, 14, 10, 9, 8, 7, 3, 2]
RESTRICTED_SETS = [
    [Category.ELDERLY_CARE, Category.MUTUAL_AID, Category.SELF_GOVERNANCE],
    [Category.CULTURE, Category.EDUCATION, Category.ENVIRONMENT, Category.HEALTH],
    [
        Category.SECURITY,
        Category.ENVIRONMENT,
        Category.ELDERLY_CARE,
        Category.DISABILITY,
    ],
]

COLUMNS = {
    Community: ["id", "code", "name", "name_en", "city", "district", "subdistrict"],
    Fund: ["id", "community_id", "name", "name_en", "currency", "created_at"],
    Source: ["id", "fund_id", "name", "name_en", "kind"],
    Tranche: [
        "id", "fund_id", "source_id", "fiscal_year", "reference", "amount",
        "received_on", "allowed_categories", "spend_by", "matches_id",
        "match_ratio", "match_cap", "recorded_by_id", "recorded_at",
    ],
    Commitment: [
        "id", "fund_id", "purpose", "decision", "category", "amount",
        "created_at", "created_by_id",
    ],
    Account: ["id", "fund_id", "kind", "source_id", "tranche_id", "commitment_id",
              "balance"],
    LedgerTransaction: [
        "id", "fund_id", "kind", "amount", "memo", "effective_on", "fiscal_year",
        "tranche_id", "commitment_id", "reverses_id", "idempotency_key",
        "created_at", "created_by_id",
    ],
    LedgerEntry: ["transaction_id", "account_id", "amount"],
}  # fmt: skip
INSERT_ORDER = list(COLUMNS)


class ScaleDataError(Exception):
    """The generator refused to go on (the data it found or was asked for)."""


def fen_text(value: int) -> str:
    """An amount in fen (an int) as the decimal text of yuan: -12345 → '-123.45'."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // 100}.{value % 100:02d}"


def moment(on: date, rng: random.Random) -> datetime:
    """A plausible office-hours moment on that day, in Shanghai time."""
    return datetime.combine(
        on, clock(9 + rng.randrange(9), rng.randrange(60)), SHANGHAI
    )


class IdAllocator:
    """Hands out primary keys before the rows exist, so rows can point at each other.

    On PostgreSQL the ids come from the table's own sequence (safe beside
    other writers); elsewhere they continue after the highest id, which is
    safe because SQLite has one writer at a time.
    """

    def __init__(self, model, chunk: int = 5000):
        self.model = model
        self.chunk = chunk
        self.free: deque[int] = deque()
        self.high = 0

    def __call__(self) -> int:
        if not self.free:
            self.free.extend(self.reserve(self.chunk))
        return self.free.popleft()

    def reserve(self, count: int) -> list[int]:
        table = self.model._meta.db_table
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                    "FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
        start = max(self.high, self.model.objects.aggregate(top=Max("id"))["top"] or 0)
        self.high = start + count
        return list(range(start + 1, start + count + 1))


@dataclass
class Batch:
    """Rows of whole communities, waiting to be written in one transaction."""

    rows: dict = field(default_factory=lambda: {model: [] for model in INSERT_ORDER})

    @property
    def entry_count(self) -> int:
        return len(self.rows[LedgerEntry])

    def counts(self) -> dict:
        return {model: len(rows) for model, rows in self.rows.items()}


def write_rows(model, rows: list[tuple], attnames: list[str] | None = None) -> None:
    """Insert rows (tuples in `attnames` order, by default `COLUMNS[model]`).

    COPY on PostgreSQL, bulk_create elsewhere; lists and dicts go in as JSON.
    Other apps' scale data (proposals) writes through this too.
    """
    if not rows:
        return
    attnames = attnames or COLUMNS[model]
    if connection.vendor == "postgresql":
        # COPY leaves a column it isn't given NULL, not the model's default: the
        # columns a list leaves out get their default (a blank text for a text
        # field without one), so a field added later never breaks the scale data.
        defaulted = [
            f
            for f in model._meta.concrete_fields
            if f.attname not in attnames
            and not f.primary_key
            and (f.has_default() or not f.null)
        ]
        if defaulted:
            attnames = [*attnames, *(f.attname for f in defaulted)]
            rows = [(*row, *(f.get_default() for f in defaulted)) for row in rows]
        quote = connection.ops.quote_name
        columns = {f.attname: f.column for f in model._meta.concrete_fields}
        sql = "COPY {} ({}) FROM STDIN".format(
            quote(model._meta.db_table), ", ".join(quote(columns[a]) for a in attnames)
        )
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(
                    [json.dumps(v) if isinstance(v, list | dict) else v for v in row]
                )
        return
    model.objects.bulk_create(
        (model(**dict(zip(attnames, row, strict=True))) for row in rows),
        batch_size=500,
    )


def write_batch(batch: Batch) -> None:
    """Write a batch in one transaction; PostgreSQL checks every entry at COMMIT."""
    with transaction.atomic():
        for model in INSERT_ORDER:
            write_rows(model, batch.rows[model])


@dataclass(order=True)
class Event:
    on: date
    order: int
    action: str = field(compare=False)
    payload: dict = field(compare=False, default_factory=dict)


@dataclass
class TrancheState:
    id: int
    source_id: int
    source_name: str
    fiscal_year: int
    reference: str
    amount: int
    received_on: date
    allowed: list
    spend_by: date | None
    available_account: int | None = None
    reverse_after: int = 0  # days after receipt to reverse it (0: never)

    def allows(self, category: str) -> bool:
        return not self.allowed or category in self.allowed


class CommunityBuilder:
    """Simulates one community's fund, year by year, into a Batch."""

    def __init__(self, *, index, code, budget, first_year, today, seed, ids, batch):
        self.code = code
        self.budget = budget
        self.today = today
        self.rng = random.Random(f"{seed}:{code}")  # noqa: S311 (data, not secrets)
        self.external_of: dict[int, int] = {}  # source → its external account
        self.ids = ids
        self.rows = batch.rows
        self.first_year = first_year + self.rng.choice([0] * 7 + [1, 2, 3])
        self.balance: dict[int, int] = {}
        self.external: set[int] = set()
        self.accounts: list[tuple] = []
        self.entries_of: dict[int, list[tuple[int, int]]] = {}
        self.kind_of: dict[int, str] = {}
        self.reversed: set[int] = set()
        self.tranches: list[TrancheState] = []
        self.committed: dict[int, list[int]] = {}  # commitment → its accounts
        self.purpose_of: dict[int, str] = {}
        self.key_number = 0
        self.order = 0
        self.events: list[Event] = []
        self.entry_count = 0
        self.district, self.district_en = DISTRICTS[index % len(DISTRICTS)]

    # Shapes -----------------------------------------------------------------

    def build(self) -> int:
        """Write the community, its fund, sources and movements; return entries."""
        rng = self.rng
        community_id, self.fund_id = self.ids[Community](), self.ids[Fund]()
        place = "".join(rng.sample(PLACE_WORDS, 2))
        self.rows[Community].append(
            (
                community_id,
                self.code,
                f"{place}社区",
                f"{self.code} Community",
                "南京市",
                self.district,
                "",
            )
        )
        self.rows[Fund].append(
            (
                self.fund_id,
                community_id,
                f"{place}社区基金",
                f"{self.code} Community Fund",
                "CNY",
                moment(date(self.first_year, 1, 2), rng),
            )
        )
        self.plan_sources()
        self.plan_tranches()
        self.plan_commitments()
        self.run_events()
        # Accounts start at zero: the database adds each entry to its
        # account's balance as it is written (fundapp migration 0007).
        for account_id, kind, source_id, tranche_id, commitment_id in self.accounts:
            self.rows[Account].append(
                (
                    account_id,
                    self.fund_id,
                    kind,
                    source_id,
                    tranche_id,
                    commitment_id,
                    "0",
                )
            )
        return self.entry_count

    def source(self, name: str, name_en: str, kind: str) -> tuple[int, str]:
        source_id = self.ids[Source]()
        self.rows[Source].append((source_id, self.fund_id, name, name_en, kind))
        account = self.account(Account.Kind.EXTERNAL_SOURCE, source_id)
        self.external_of[source_id] = account
        return source_id, name

    def account(self, kind, source_id, tranche_id=None, commitment_id=None) -> int:
        account_id = self.ids[Account]()
        self.accounts.append((account_id, kind, source_id, tranche_id, commitment_id))
        self.balance[account_id] = 0
        if kind == Account.Kind.EXTERNAL_SOURCE:
            self.external.add(account_id)
        return account_id

    def plan_sources(self) -> None:
        rng = self.rng
        self.donor = self.matching = self.granted = self.crowd = None
        district, district_en = self.district, self.district_en
        donor_name = rng.choice(DONORS)
        if rng.random() < 0.5:  # donor matched by the district, like JMJY
            self.donor = self.source(*donor_name, Source.Kind.CORPORATE_DONOR)
            self.matching = self.source(
                f"{district}人民政府",
                f"{district_en} District Government",
                Source.Kind.GOVERNMENT_MATCHING,
            )
            if rng.random() < 0.6:
                self.crowd = self.source(
                    "居民众筹", "Residents' crowdfunding", Source.Kind.CROWDFUNDING
                )
            if rng.random() < 0.3:
                self.granted = self.source(
                    f"{district}委组织部",
                    f"{district_en} Organization Department",
                    Source.Kind.GOVERNMENT_GRANTED,
                )
        else:  # a granted fund, like XWJ
            self.granted = self.source(
                f"{district}委组织部",
                f"{district_en} Organization Department",
                Source.Kind.GOVERNMENT_GRANTED,
            )
            if rng.random() < 0.4:
                self.donor = self.source(*donor_name, Source.Kind.CORPORATE_DONOR)
                if rng.random() < 0.7:
                    self.matching = self.source(
                        f"{district}人民政府",
                        f"{district_en} District Government",
                        Source.Kind.GOVERNMENT_MATCHING,
                    )
            if self.crowd is None and (self.donor is None or rng.random() < 0.8):
                self.crowd = self.source(
                    "居民众筹", "Residents' crowdfunding", Source.Kind.CROWDFUNDING
                )

    def day_in(self, year: int, first_month=1, last_month=12) -> date | None:
        start = date(year, first_month, 1)
        end = min(date(year, last_month, 28), self.today)
        if end < start:
            return None
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def tranche(
        self,
        source,
        year,
        reference,
        amount,
        on,
        *,
        allowed=(),
        spend_by=None,
        matches=None,
        ratio=None,
        cap=None,
    ) -> TrancheState:
        source_id, source_name = source
        state = TrancheState(
            id=self.ids[Tranche](),
            source_id=source_id,
            source_name=source_name,
            fiscal_year=year,
            reference=reference,
            amount=amount,
            received_on=on,
            allowed=sorted(allowed),
            spend_by=spend_by,
        )
        self.rows[Tranche].append(
            (
                state.id,
                self.fund_id,
                source_id,
                year,
                reference,
                fen_text(amount),
                on,
                state.allowed,
                spend_by,
                matches.id if matches else None,
                ratio,
                fen_text(cap) if cap is not None else None,
                None,
                moment(on, self.rng),
            )
        )
        self.tranches.append(state)
        self.push(on, "receive", tranche=state)
        return state

    def plan_tranches(self) -> None:
        rng = self.rng
        self.income: dict[int, int] = {}
        for year in range(self.first_year, self.today.year + 1):
            income = 0
            if self.granted:
                on = self.day_in(year, 1, 3)
                if on:
                    amount = rng.randrange(15, 31) * 10_000_00
                    allowed = rng.choice(RESTRICTED_SETS) if rng.random() < 0.4 else ()
                    spend_by = date(year + 1, 12, 31) if rng.random() < 0.5 else None
                    self.tranche(
                        self.granted,
                        year,
                        f"ZZB-{year}",
                        amount,
                        on,
                        allowed=allowed,
                        spend_by=spend_by,
                    )
                    income += amount
            if self.donor and rng.random() < 0.85:
                on = self.day_in(year, 2, 5)
                if on:
                    amount = rng.randrange(10, 41) * 10_000_00
                    donor = self.tranche(self.donor, year, f"DON-{year}", amount, on)
                    income += amount
                    match_on = on + timedelta(days=rng.randrange(20, 60))
                    if self.matching and match_on <= self.today:
                        ratio = rng.choice(["1.00", "1.00", "0.50"])
                        cap = rng.choice([None, 300_000_00, 200_000_00])
                        limit = amount if ratio == "1.00" else amount // 2
                        matched = limit if cap is None else min(limit, cap)
                        self.tranche(
                            self.matching,
                            year,
                            f"MATCH-{year}",
                            matched,
                            match_on,
                            matches=donor,
                            ratio=ratio,
                            cap=cap,
                        )
                        income += matched
            if self.crowd:
                for number in range(1, rng.randint(2, 8) + 1):
                    on = self.day_in(year)
                    if on is None:
                        continue
                    amount = rng.randrange(2_000_00, 30_000_00)
                    state = self.tranche(
                        self.crowd, year, f"CF-{year}-{number:02d}", amount, on
                    )
                    income += amount
                    if rng.random() < 0.04:
                        state.reverse_after = rng.randrange(1, 8)
            self.income[year] = income

    def plan_commitments(self) -> None:
        rng = self.rng
        receipts = sum(1 for event in self.events if event.action == "receive")
        wanted = max(0, self.budget - 2 * receipts) / ENTRIES_PER_COMMITMENT
        total_income = sum(self.income.values()) or 1
        first_day = min((t.received_on for t in self.tranches), default=self.today)
        categories, weights = Category.values, CATEGORY_WEIGHTS
        for year, income in self.income.items():
            count = round(wanted * income / total_income)
            if not count or not income:
                continue
            start = max(date(year, 1, 1), first_day + timedelta(days=1))
            end = min(date(year, 12, 31), self.today)
            if end < start:
                continue
            span = (end - start).days + 1
            mean = income * 0.8 / count
            for _number in range(count):
                on = start + timedelta(days=rng.randrange(span))
                category = rng.choices(categories, weights)[0]
                amount = max(100_00, int(mean * rng.uniform(0.3, 1.7)) // 100 * 100)
                if rng.random() < 0.3:
                    amount += rng.randrange(100)
                self.push(on, "commit", category=category, amount=amount)

    # The simulation ---------------------------------------------------------

    def push(self, on: date, action: str, **payload) -> None:
        if on > self.today:
            return
        self.order += 1
        heapq.heappush(self.events, Event(on, self.order, action, payload))

    def run_events(self) -> None:
        while self.events:
            event = heapq.heappop(self.events)
            getattr(self, f"do_{event.action}")(event.on, **event.payload)

    def post(
        self, kind, entries, on, memo, *, tranche=None, commitment=None, reverses=None
    ) -> int | None:
        """Record one balanced movement, as `post_transaction` does; None if refused."""
        amounts: dict[int, int] = {}
        for account_id, amount in entries:
            amounts[account_id] = amounts.get(account_id, 0) + amount
        amounts = {pk: amount for pk, amount in amounts.items() if amount}
        if not amounts or sum(amounts.values()):
            raise ScaleDataError(f"{self.code}: unbalanced {kind} on {on}")
        for pk, amount in amounts.items():
            if pk not in self.external and self.balance[pk] + amount < 0:
                return None
        transaction_id = self.ids[LedgerTransaction]()
        self.key_number += 1
        moved = sum(amount for amount in amounts.values() if amount > 0)
        self.rows[LedgerTransaction].append(
            (
                transaction_id,
                self.fund_id,
                kind,
                fen_text(moved),
                memo[:300],
                on,
                on.year,
                tranche,
                commitment,
                reverses,
                f"{KEY_PREFIX}{self.code}:{self.key_number}",
                moment(on, self.rng),
                None,
            )
        )
        ordered = sorted(amounts.items())
        for pk, amount in ordered:
            self.balance[pk] += amount
            self.rows[LedgerEntry].append((transaction_id, pk, fen_text(amount)))
        self.entry_count += len(ordered)
        self.entries_of[transaction_id] = ordered
        self.kind_of[transaction_id] = kind
        return transaction_id

    def do_receive(self, on, *, tranche: TrancheState) -> None:
        tranche.available_account = self.account(
            Account.Kind.TRANCHE_AVAILABLE, tranche.source_id, tranche.id
        )
        external = self.external_of[tranche.source_id]
        memo = f"{tranche.source_name} {tranche.fiscal_year} {tranche.reference}"
        received = self.post(
            LedgerTransaction.Kind.RECEIVE,
            [(tranche.available_account, tranche.amount), (external, -tranche.amount)],
            on,
            memo,
            tranche=tranche.id,
        )
        delay = tranche.reverse_after
        if delay:
            self.push(
                on + timedelta(days=delay),
                "reverse",
                original=received,
                reason="重复录入,冲正 (recorded twice)",
                tranche=tranche.id,
            )

    def do_reverse(self, on, *, original, reason, tranche=None, commitment=None):
        if original in self.reversed or self.kind_of[original] == "reversal":
            return
        mirror = [(pk, -amount) for pk, amount in self.entries_of[original]]
        done = self.post(
            LedgerTransaction.Kind.REVERSAL,
            mirror,
            on,
            reason,
            tranche=tranche,
            commitment=commitment,
            reverses=original,
        )
        if done:
            self.reversed.add(original)

    def do_commit(self, on, *, category, amount) -> None:
        rng = self.rng
        spendable = sorted(
            (
                t
                for t in self.tranches
                if t.available_account is not None
                and t.allows(category)
                and (t.spend_by is None or t.spend_by >= on)
                and self.balance[t.available_account] > 0
            ),
            key=lambda t: (t.spend_by is None, t.spend_by or on, t.received_on, t.id),
        )
        held = sum(self.balance[t.available_account] for t in spendable)
        amount = min(amount, held)
        if amount < 100_00:
            return
        commitment_id = self.ids[Commitment]()
        purpose = f"{rng.choice(PURPOSES[category])}({on.year})"
        self.rows[Commitment].append(
            (
                commitment_id,
                self.fund_id,
                purpose,
                "",
                category,
                fen_text(amount),
                moment(on, rng),
                None,
            )
        )
        entries, left, accounts = [], amount, []
        for tranche in spendable:
            if not left:
                break
            take = min(left, self.balance[tranche.available_account])
            committed = self.account(
                Account.Kind.COMMITTED, tranche.source_id, tranche.id, commitment_id
            )
            accounts.append((committed, tranche.available_account))
            entries += [(tranche.available_account, -take), (committed, take)]
            left -= take
        self.committed[commitment_id] = accounts
        self.purpose_of[commitment_id] = purpose
        posted = self.post(
            LedgerTransaction.Kind.COMMIT,
            entries,
            on,
            purpose,
            commitment=commitment_id,
        )
        roll = rng.random()
        if roll < 0.02:
            self.push(
                on + timedelta(days=rng.randrange(1, 6)),
                "reverse",
                original=posted,
                reason="录入错误,冲正 (entered in error)",
                commitment=commitment_id,
            )
            return
        if roll < 0.40:
            share = rng.uniform(0.05, 0.4)
            self.push(
                on + timedelta(days=rng.randrange(30, 240)),
                "release",
                commitment=commitment_id,
                amount=max(1_00, int(amount * share)),
                reason=f"项目结余退回: {purpose}",
            )
        if rng.random() < 0.12:
            self.push(
                on + timedelta(days=rng.randrange(60, 400)),
                "release",
                commitment=commitment_id,
                amount=None,
                reason=f"项目取消,余款退回: {purpose}",
            )

    def do_release(self, on, *, commitment, amount, reason) -> None:
        accounts = self.committed[commitment]
        outstanding = sum(self.balance[committed] for committed, _ in accounts)
        if not outstanding:
            return
        wanted = outstanding if amount is None else min(amount, outstanding)
        entries, left = [], wanted
        for committed, available in sorted(accounts, reverse=True):
            if not left:
                break
            give = min(left, self.balance[committed])
            if give > 0:
                entries += [(committed, -give), (available, give)]
                left -= give
        posted = self.post(
            LedgerTransaction.Kind.RELEASE, entries, on, reason, commitment=commitment
        )
        if posted and self.rng.random() < 0.01:
            self.push(
                on + timedelta(days=self.rng.randrange(1, 4)),
                "reverse",
                original=posted,
                reason="释放金额有误,冲正 (wrong amount)",
                commitment=commitment,
            )


@dataclass
class Summary:
    communities: int = 0
    skipped: int = 0
    rows: dict = field(default_factory=dict)
    seconds: float = 0.0
    largest: str = ""

    @property
    def entries(self) -> int:
        return self.rows.get(LedgerEntry, 0)


def scale_codes(count: int) -> list[str]:
    return [f"S{number:03d}" for number in range(1, count + 1)]


def community_budgets(*, communities: int, entries: int, seed: int) -> list[int]:
    """Each community's share of the entries: uneven, the first the largest."""
    rng = random.Random(f"{seed}:weights")  # noqa: S311
    weights = [LARGEST_WEIGHT] + [
        rng.uniform(0.45, 1.55) for _ in range(communities - 1)
    ]
    total = sum(weights)
    return [round(entries * OVERSHOOT * weight / total) for weight in weights]


def generate(
    *,
    communities=231,
    years=14,
    entries=1_000_000,
    seed=2013,
    batch_entries=50_000,
    today=None,
    progress=print,
) -> Summary:
    """Write scale communities S001… with their funds and ledgers; return a Summary.

    Communities already present are skipped, so an interrupted run resumes.
    On PostgreSQL the tables are analysed at the end, so the planner sees them.
    """
    started = time.monotonic()
    today = today or timezone.localdate()
    first_year = today.year - years + 1
    codes = scale_codes(communities)
    budgets = community_budgets(communities=communities, entries=entries, seed=seed)
    existing = set(
        Community.objects.filter(code__in=codes).values_list("code", flat=True)
    )
    ids = {
        model: IdAllocator(model) for model in INSERT_ORDER if model is not LedgerEntry
    }
    summary = Summary(skipped=len(existing), largest=codes[0] if codes else "")
    totals = dict.fromkeys(INSERT_ORDER, 0)
    if existing:
        progress(
            f"{len(existing)} of {communities} communities already exist; "
            "generating the others."
        )
    batch, written = Batch(), 0

    def flush():
        nonlocal batch
        counts = batch.counts()
        write_batch(batch)
        for model, count in counts.items():
            totals[model] += count
        elapsed = time.monotonic() - started
        progress(
            f"  {summary.communities:>4}/{communities - len(existing)} communities · "
            f"{totals[LedgerEntry]:>9,} entries · {totals[LedgerTransaction]:>8,} "
            f"transactions · {elapsed:6.1f} s "
            f"({totals[LedgerEntry] / max(elapsed, 0.001):,.0f} entries/s)"
        )
        batch = Batch()

    for index, (code, budget) in enumerate(zip(codes, budgets, strict=True)):
        if code in existing:
            continue
        builder = CommunityBuilder(
            index=index,
            code=code,
            budget=budget,
            first_year=first_year,
            today=today,
            seed=seed,
            ids=ids,
            batch=batch,
        )
        written += builder.build()
        summary.communities += 1
        if batch.entry_count >= batch_entries:
            flush()
    if batch.entry_count or batch.rows[Community]:
        flush()
    if connection.vendor == "postgresql" and summary.communities:
        progress("  analysing the tables …")
        # VACUUM also sets the visibility map, so COUNT(*) of a fund's movements
        # is an index-only scan; it cannot run inside a transaction (tests).
        verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in INSERT_ORDER:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"{verb} {table}")
    summary.rows = totals
    summary.seconds = time.monotonic() - started
    return summary


def reset() -> dict:
    """Delete the scale communities and all their rows (not on PostgreSQL).

    PostgreSQL's triggers refuse DELETE on ledger rows, by design: the bench
    uses a database of its own, to be dropped and made again instead.
    """
    if connection.vendor == "postgresql":
        raise ScaleDataError(
            "The ledger is append-only on PostgreSQL (a trigger refuses DELETE), so "
            "scale data cannot be removed row by row. Use a database of its own and "
            "drop it: `dropdb linli_bench`, or `make bench BENCH_ARGS=--fresh`, which "
            "drops and recreates BENCH_DATABASE_URL."
        )
    community_ids = [
        pk
        for pk, code in Community.objects.values_list("id", "code")
        if CODE_PATTERN.match(code)
    ]
    fund_ids = list(
        Fund.objects.filter(community_id__in=community_ids).values_list("id", flat=True)
    )
    deleted = {}
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(fund_ids)) or "NULL"
    movements = quote(LedgerTransaction._meta.db_table)
    # Children first; the ledger's foreign keys are PROTECT in Django, so raw
    # DELETEs, in one transaction, in an order the constraints accept.
    steps = [
        (
            LedgerEntry,
            "transaction_id",
            f"SELECT id FROM {movements} WHERE fund_id IN ",  # noqa: S608
        ),
        (LedgerTransaction, "fund_id", ""),
        (Account, "fund_id", ""),
        (Commitment, "fund_id", ""),
        (Tranche, "fund_id", ""),
        (Source, "fund_id", ""),
        (Fund, "id", ""),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for model, column, via in steps:
            table = quote(model._meta.db_table)
            where = f"{via}({marks})" if via else marks
            sql = f"DELETE FROM {table} WHERE {quote(column)} IN ({where})"  # noqa: S608
            cursor.execute(sql, fund_ids)
            deleted[model.__name__] = cursor.rowcount
        deleted["Community"] = Community.objects.filter(pk__in=community_ids).delete()[
            0
        ]
    return deleted


# The command line: `python -m tests.bench.scale fundapp [options]` -----------


class Command(BaseCommand):
    help = (
        "Create program-scale data: communities S001… with funds, sources, tranches, "
        "commitments, releases and reversals, at least --entries ledger entries "
        "(bulk-written; every ledger invariant kept). Resumes where a run stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--communities", type=int, default=231)
        parser.add_argument(
            "--years",
            type=int,
            default=14,
            help="Years up to this one (default 14: 2013-2026).",
        )
        parser.add_argument(
            "--entries",
            type=int,
            default=1_000_000,
            help="Ledger entries to aim for (a minimum).",
        )
        parser.add_argument(
            "--seed", type=int, default=2013, help="Same seed, same data."
        )
        parser.add_argument(
            "--batch-entries",
            type=int,
            default=50_000,
            help="Entries written per database transaction.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete earlier scale data first (refused on PostgreSQL, whose "
            "ledger is append-only: drop the bench database instead).",
        )

    def handle(self, *args, **options):
        if options["communities"] < 1 or options["years"] < 1 or options["entries"] < 0:
            raise CommandError("--communities and --years must be at least 1.")
        try:
            if options["reset"]:
                deleted = reset()
                self.stdout.write(f"Deleted earlier scale data: {deleted}")
            self.stdout.write(
                f"Generating {options['communities']} communities over "
                f"{options['years']} years, about {options['entries']:,} entries "
                f"(seed {options['seed']}) on {connection.vendor} …"
            )
            summary = generate(
                communities=options["communities"],
                years=options["years"],
                entries=options["entries"],
                seed=options["seed"],
                batch_entries=options["batch_entries"],
                progress=self.stdout.write,
            )
        except ScaleDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {summary.seconds:.1f} s: "
                f"{summary.communities} communities written, "
                f"{summary.skipped} already there. The largest is {summary.largest}."
            )
        )
        for model, count in summary.rows.items():
            self.stdout.write(f"  {model._meta.verbose_name_plural:<22} {count:>10,}")
        if summary.communities and summary.entries < options["entries"]:
            self.stdout.write(
                self.style.WARNING(
                    f"Only {summary.entries:,} entries: below the target of "
                    f"{options['entries']:,}; raise --entries."
                )
            )
