"""The fund's reads: what the public pages and the API show.

Each selector runs a fixed number of queries whatever the number of rows, so
a fund with a million ledger entries costs the same page as a new one.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from axes.models import AccessAttempt
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from fundapp.filters import LedgerFilter
from fundapp.models import (
    Account,
    Commitment,
    Community,
    Fund,
    LedgerCheck,
    LedgerEntry,
    LedgerTransaction,
    Membership,
    Role,
    Source,
    Tranche,
    User,
)
from fundapp.money import ZERO, cny
from fundapp.services.money import reversed_tranche_ids, spendable_tranches


def community_get(*, code: str) -> Community:
    return get_object_or_404(
        Community.objects.select_related("fund", "council"), code=code.upper()
    )


def community_list():
    """Communities with the money their funds have raised (one query).

    The external sources' accounts give the money, so they run negative: what
    was raised is the opposite of their sum.
    """
    return Community.objects.select_related("fund", "council").annotate(
        raised=-Sum(
            "fund__accounts__balance",
            filter=Q(fund__accounts__kind=Account.Kind.EXTERNAL_SOURCE),
        )
    )


@dataclass
class FundBalances:
    available: Decimal = ZERO
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO
    returned: Decimal = ZERO
    raised: Decimal = ZERO

    @property
    def held(self) -> Decimal:
        """Money in the fund's hands: available plus committed."""
        return cny(self.available + self.committed)


def fund_balances(*, fund: Fund) -> FundBalances:
    """Raised, available and committed now, from the cached balances; what was
    paid out and returned, from the DISBURSE and RETURN movements (two queries).

    `disbursed` is what was paid out, returns not deducted; `returned` is what
    came back unspent (fundapp/models/ledger.py). Each is the sum of the
    movements' amounts, as the ledger below lists them: a movement's amount is
    the sum of its positive entries (the reconciliation checks it), and
    summing the entries themselves took a look-up per movement (3.9 ms for
    the largest fund, 0.6 by the movements' index). Payments and returns are
    never reversed.
    """
    totals = dict(
        Account.objects.filter(fund=fund)
        .values_list("kind")
        .annotate(total=Sum("balance"))
        .values_list("kind", "total")
    )
    moved = LedgerTransaction.objects.filter(
        fund=fund,
        kind__in=[LedgerTransaction.Kind.DISBURSE, LedgerTransaction.Kind.RETURN],
    ).aggregate(
        disbursed=Sum("amount", filter=Q(kind=LedgerTransaction.Kind.DISBURSE)),
        returned=Sum("amount", filter=Q(kind=LedgerTransaction.Kind.RETURN)),
    )
    return FundBalances(
        available=cny(totals.get(Account.Kind.TRANCHE_AVAILABLE) or ZERO),
        committed=cny(totals.get(Account.Kind.COMMITTED) or ZERO),
        disbursed=cny(moved["disbursed"] or ZERO),
        returned=cny(moved["returned"] or ZERO),
        raised=cny(-(totals.get(Account.Kind.EXTERNAL_SOURCE) or ZERO)),
    )


def fund_available(*, fund: Fund, category: str, on: date) -> Decimal:
    """What the fund has available on this day for a grant of this category:
    the available balances of the tranches whose restrictions let them pay
    for it (`spendable_tranches`), from the cached balances (two queries)."""
    tranche_ids = [
        tranche.pk
        for tranche in spendable_tranches(fund=fund, category=category, on=on)
    ]
    total = Account.objects.filter(
        tranche_id__in=tranche_ids,
        kind=Account.Kind.TRANCHE_AVAILABLE,
        commitment__isnull=True,
    ).aggregate(total=Sum("balance"))["total"]
    return cny(total or ZERO)


@dataclass
class SourceRow:
    source: object
    total: Decimal
    share: Decimal  # of all money raised, 0..100
    by_year: dict = field(default_factory=dict)
    year_cells: list = field(default_factory=list)  # (year, amount or None) per column


@dataclass
class RaisedSummary:
    sources: list[SourceRow]
    years: list[int]
    by_year: dict[int, Decimal]
    total: Decimal
    leverage: list[dict]
    tranche_count: int = 0

    @property
    def year_totals(self) -> list[tuple[int, Decimal]]:
        return [(year, self.by_year[year]) for year in self.years]


# What the summary reads of each tranche and of the tranche it matches: plain
# values, not model rows (the largest fund's 66 tranches with their sources
# and matches were three model instances each, a third of a cold fund page).
_RAISED_FIELDS = (
    "id",
    "fiscal_year",
    "amount",
    "source_id",
    "source__name",
    "source__name_en",
    "source__kind",
    "matches_id",
    "matches__fiscal_year",
    "matches__amount",
    "matches__source_id",
    "matches__source__name",
    "matches__source__name_en",
    "matches__source__kind",
)


def fund_raised(*, fund: Fund) -> RaisedSummary:
    """Money raised by source and by year, and the leverage of matching tranches
    (one query, whatever the number of tranches).

    Tranches whose receipt was reversed (recorded in error) do not count.
    """
    rows = (
        Tranche.objects.filter(fund=fund)
        .exclude(pk__in=reversed_tranche_ids(fund=fund))
        .order_by("fiscal_year", "id")
        .values_list(*_RAISED_FIELDS)
    )
    sources: dict[int, Source] = {}

    def source(pk, name, name_en, kind) -> Source:
        if pk not in sources:
            sources[pk] = Source(
                pk=pk, fund=fund, name=name, name_en=name_en, kind=kind
            )
        return sources[pk]

    per_source: dict[int, SourceRow] = {}
    by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    leverage = []
    count = 0
    for pk, year, amount, source_id, *rest in rows:
        named, (matches_id, m_year, m_amount, *m_named) = rest[:3], rest[3:]
        count += 1
        row = per_source.get(source_id)
        if row is None:
            row = per_source[source_id] = SourceRow(
                source=source(source_id, *named), total=ZERO, share=ZERO
            )
        row.total += amount
        row.by_year[year] = row.by_year.get(year, ZERO) + amount
        by_year[year] += amount
        if matches_id is not None:
            leverage.append(
                {
                    "tranche": Tranche(
                        pk=pk,
                        fund=fund,
                        fiscal_year=year,
                        amount=amount,
                        source=source(source_id, *named),
                    ),
                    "matched": Tranche(
                        pk=matches_id,
                        fund=fund,
                        fiscal_year=m_year,
                        amount=m_amount,
                        source=source(*m_named),
                    ),
                    "ratio": (amount / m_amount).quantize(Decimal("0.01")),
                }
            )
    total = sum(by_year.values(), ZERO)
    years = sorted(by_year)
    for row in per_source.values():
        row.share = (
            (row.total * 100 / total).quantize(Decimal("0.1")) if total else ZERO
        )
        row.year_cells = [(year, row.by_year.get(year)) for year in years]
    return RaisedSummary(
        sources=sorted(per_source.values(), key=lambda row: -row.total),
        years=years,
        by_year=dict(by_year),
        total=cny(total),
        leverage=leverage,
        tranche_count=count,
    )


@dataclass
class ReceivedTranches:
    tranches: list[Tranche]
    total: Decimal


def fund_tranches(*, fund: Fund) -> ReceivedTranches:
    """The tranches the fund received, oldest first, with their sources, and
    their total; those whose receipt was reversed (recorded in error) are
    left out, as `fund_raised` leaves them out of the money raised."""
    tranches = list(
        Tranche.objects.filter(fund=fund)
        .exclude(pk__in=reversed_tranche_ids(fund=fund))
        .select_related("source")
        .order_by("fiscal_year", "id")
    )
    return ReceivedTranches(
        tranches=tranches, total=cny(sum((each.amount for each in tranches), ZERO))
    )


LEDGER_LIST_FIELDS = (
    "id",
    "kind",
    "amount",
    "memo",
    "effective_on",
    "fiscal_year",
    "commitment_id",
    "reverses_id",
    "tranche__fiscal_year",
    "tranche__source__name",
    "tranche__source__name_en",
    "reversed_by__id",
)


def ledger_list(*, fund: Fund, filters=None) -> LedgerFilter:
    """The fund's movements, newest first, narrowed by the public filters."""
    queryset = (
        LedgerTransaction.objects.filter(fund=fund)
        .select_related("tranche__source", "reversed_by")
        # What the fund page and the CSV show of each, not the keys and
        # digests: the page renders 50 of them on every change.
        .only(*LEDGER_LIST_FIELDS)
        .order_by("-effective_on", "-id")
    )
    return LedgerFilter(filters, queryset, fund=fund)


# What a row of the fund page's ledger shows (fundapp/templatetags/ledger.py).
LEDGER_ROW_FIELDS = (
    "id",
    "kind",
    "amount",
    "memo",
    "effective_on",
    "commitment_id",
    "reverses_id",
    "reversed_by__id",
    "tranche__fiscal_year",
    "tranche__source__name",
    "tranche__source__name_en",
)


def ledger_rows(movements):
    """The fund page's rows of `movements` (a `ledger_list` queryset, in its
    order) as named tuples of `LEDGER_ROW_FIELDS`, not models: a page shows
    50 of them, and their four model instances each were a tenth of it."""
    return movements.values_list(*LEDGER_ROW_FIELDS, named=True)


def ledger_page(*, movements, number, size: int) -> Page:
    """Page `number` of `movements` (any text: a wrong one is the last or
    the first page), its rows as `ledger_rows`. Counted on the movements
    themselves: the rows' join of each reversal made PostgreSQL's count
    of the largest fund 2.4 ms instead of 0.9."""
    page = Paginator(movements, size).get_page(number)
    page.object_list = ledger_rows(page.object_list)
    return page


def fund_version(*, fund: Fund | None = None) -> int:
    """The newest movement's id: it changes whenever the fund's money does.

    Pages that show the ledger cache what they render under this number.
    """
    movements = LedgerTransaction.objects.all()
    if fund is not None:
        movements = movements.filter(fund=fund)
    return movements.order_by("-id").values_list("id", flat=True).first() or 0


def residents_waiting(*, community: Community):
    """Resident registrations a social worker has still to verify, oldest first."""
    return (
        Membership.objects.filter(
            community=community, role=Role.RESIDENT, verified_at__isnull=True
        )
        .select_related("user")
        .order_by("created_at")
    )


def residents_recently_verified(*, community: Community, limit: int = 50):
    """The residents verified last, with who verified them."""
    return (
        Membership.objects.filter(
            community=community, role=Role.RESIDENT, verified_at__isnull=False
        )
        .select_related("user", "verified_by")
        .order_by("-verified_at")[:limit]
    )


def ledger_check_latest(*, fund: Fund) -> LedgerCheck | None:
    """The fund's latest reconciliation (fundapp.services.fund_reconcile_record)."""
    return fund.checks.order_by("-checked_at").first()


@dataclass(frozen=True)
class LedgerHealth:
    last_checked_at: object  # the newest check's time, or None: never checked
    funds_with_problems: list[str]  # community codes whose latest check found some

    @property
    def status(self) -> str:
        if self.last_checked_at is None:
            return "never_checked"
        return "problems" if self.funds_with_problems else "ok"


def ledger_health() -> LedgerHealth:
    """What the latest reconciliation of each fund found (one query)."""
    latest = LedgerCheck.objects.filter(fund=OuterRef("pk")).order_by("-checked_at")
    rows = (
        Fund.objects.annotate(
            checked_at=Subquery(latest.values("checked_at")[:1]),
            problem_count=Subquery(latest.values("problem_count")[:1]),
        )
        .filter(checked_at__isnull=False)
        .values_list("community__code", "checked_at", "problem_count")
    )
    rows = list(rows)
    return LedgerHealth(
        last_checked_at=max((row[1] for row in rows), default=None),
        funds_with_problems=sorted(code for code, _at, count in rows if count),
    )


# -- Sums of the ledger for reports (issue 11) ---------------------------------


@dataclass(frozen=True)
class LedgerFlow:
    """The sum of some entries of one year, grouped as reports need them.

    `movement` is the movement's kind; a reversal is counted under the kind
    of what it reverses (its entries carry the opposite signs), so a year's
    flows are net of the corrections made in it. `commitment_id` is the
    movement's commitment, or else the account's.
    """

    fund_id: int
    year: int
    movement: str
    account_kind: str
    source_id: int
    tranche_id: int | None
    commitment_id: int | None
    amount: Decimal


def _entries(*, funds, first_year, last_year, sources, kinds):
    entries = LedgerEntry.objects.filter(
        transaction__fund__in=funds,
        transaction__fiscal_year__gte=first_year,
        transaction__fiscal_year__lte=last_year,
    )
    if sources is not None:
        entries = entries.filter(account__source__in=sources)
    if kinds is not None:
        entries = entries.filter(account__kind__in=kinds)
    return entries


def _entries_of_movements(*, funds, first_year, last_year, movements, sources, kinds):
    """These funds' entries of these years, each with its `movement`: the
    kind of its movement, or for a reversal the kind of what it reverses.

    The reversed movement's kind is read by a subquery that runs for the
    reversals' entries only: a join to every movement for it made PostgreSQL
    hash the whole ledger's movements (a program's receipts: 240-280 ms, now
    35-55 ms on the bench data)."""
    entries = _entries(
        funds=funds,
        first_year=first_year,
        last_year=last_year,
        sources=sources,
        kinds=kinds,
    )
    reversal = LedgerTransaction.Kind.REVERSAL
    entries = entries.alias(
        reversed_kind=Subquery(
            LedgerTransaction.objects.filter(pk=OuterRef("transaction__reverses_id"))
            .order_by()
            .values("kind")[:1]
        )
    ).annotate(
        movement=Case(
            When(transaction__kind=reversal, then=F("reversed_kind")),
            default=F("transaction__kind"),
        )
    )
    if movements is not None:
        # Told apart by the movement's own kind first, so that PostgreSQL
        # reads the kinds it needs from the index on (fund, year, kind).
        entries = entries.filter(
            Q(transaction__kind__in=movements)
            | Q(transaction__kind=reversal, reversed_kind__in=movements)
        )
    return entries


def ledger_flows(
    *,
    funds,
    first_year: int,
    last_year: int,
    movements=None,
    sources=None,
    account_kinds=None,
) -> list[LedgerFlow]:
    """The entries of these funds' movements in these years, summed by fund,
    year, movement kind, account kind, source, tranche and commitment (one
    query, whatever the number of movements, projects or funds). `movements`
    keeps only those kinds, `sources` only the entries on their accounts,
    `account_kinds` only those on accounts of these kinds."""
    entries = _entries_of_movements(
        funds=funds,
        first_year=first_year,
        last_year=last_year,
        movements=movements,
        sources=sources,
        kinds=account_kinds,
    )
    rows = (
        entries.annotate(
            commitment=Coalesce("transaction__commitment_id", "account__commitment_id"),
        )
        .values_list(
            "transaction__fund_id",
            "transaction__fiscal_year",
            "movement",
            "account__kind",
            "account__source_id",
            "account__tranche_id",
            "commitment",
        )
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return [
        LedgerFlow(fund, year, movement, kind, source, tranche, commitment, cny(total))
        for fund, year, movement, kind, source, tranche, commitment, total in rows
    ]


def commitments_committed_from(*, funds, sources, first_year: int, last_year: int):
    """The commitments these sources' money was committed to in these years:
    those with a year's commitment from one of their tranches that its
    reversals in the year leave above zero, as `ledger_flows` counts them. A
    queryset of ids, to be read inside another query (`Count` of them, or of
    what they fund), so that a program with tens of thousands of
    commitments costs one query, not a list of their ids."""
    # Here the join to what a reversal reverses is the quicker: with the
    # subquery of `ledger_flows`, PostgreSQL costs it for every movement of
    # the program's funds and compiles the query (JIT, ~110 ms).
    commit = LedgerTransaction.Kind.COMMIT
    return (
        _entries(
            funds=funds,
            first_year=first_year,
            last_year=last_year,
            sources=sources,
            kinds=[Account.Kind.COMMITTED],
        )
        .filter(Q(transaction__kind=commit) | Q(transaction__reverses__kind=commit))
        .values(
            "transaction__fiscal_year",
            "account__tranche_id",
            commitment=Coalesce("transaction__commitment_id", "account__commitment_id"),
        )
        .annotate(total=Sum("amount"))
        .filter(total__gt=0, commitment__isnull=False)
        .values("commitment")
        .order_by()
    )


@dataclass(frozen=True)
class LedgerBalance:
    """Balances of one kind of account of one source: before a year and at its end."""

    account_kind: str
    source_id: int
    opening: Decimal
    closing: Decimal


def ledger_balances(*, fund: Fund, year: int, source=None) -> list[LedgerBalance]:
    """Each (account kind, source)'s balance at the start and at the end of a
    year, summed from the entries (not the cached balances; one query);
    `source` keeps only its accounts."""
    entries = LedgerEntry.objects.filter(
        transaction__fund=fund, transaction__fiscal_year__lte=year
    )
    if source is not None:
        entries = entries.filter(account__source=source)
    rows = (
        entries.values_list("account__kind", "account__source_id")
        .annotate(
            opening=Sum("amount", filter=Q(transaction__fiscal_year__lt=year)),
            closing=Sum("amount"),
        )
        .order_by()
    )
    return [
        LedgerBalance(kind, source, cny(opening or ZERO), cny(closing or ZERO))
        for kind, source, opening, closing in rows
    ]


def ledger_movement_totals(*, fund: Fund, year: int) -> dict[str, Decimal]:
    """What each kind of movement moved in a year by the movements' own
    `amount`, net of the reversals made in the year (one query)."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    rows = (
        LedgerTransaction.objects.filter(fund=fund, fiscal_year=year)
        .values_list("kind", "reverses__kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for kind, reversed_kind, total in rows:
        if reversed_kind:
            totals[reversed_kind] -= total
        else:
            totals[kind] += total
    return {kind: cny(total) for kind, total in totals.items()}


def ledger_years(*, fund: Fund) -> tuple[int, int] | None:
    """The first and last year with a movement, or None for an empty ledger."""
    years = LedgerTransaction.objects.filter(fund=fund).aggregate(
        first=Min("fiscal_year"), last=Max("fiscal_year")
    )
    if years["first"] is None:
        return None
    return years["first"], years["last"]


def commitments_in_bulk(*, ids) -> dict[int, Commitment]:
    """Commitments by id (one query)."""
    return Commitment.objects.in_bulk([pk for pk in ids if pk is not None])


def tranches_in_bulk(*, ids) -> dict[int, Tranche]:
    """Tranches by id with their source and what they match (one query)."""
    return (
        Tranche.objects.select_related("source", "matches__source")
        .filter(pk__in=[pk for pk in ids if pk is not None])
        .in_bulk()
    )


def people_with_role(*, community: Community, role: str):
    """The people holding a verified role in a community (one query)."""
    return User.objects.filter(
        memberships__community=community,
        memberships__role=role,
        memberships__verified_at__isnull=False,
    ).distinct()


def logins_paused(*, community: Community) -> list[dict]:
    """The community's members whose logins are paused now (django-axes): who,
    how many wrong passwords, and the last one's time."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    usernames = Membership.objects.filter(community=community).values("user__username")
    paused = list(
        AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    users = User.objects.in_bulk(
        [row["username"] for row in paused], field_name="username"
    )
    return [
        {
            "user": users[row["username"]],
            "failures": row["failures"],
            "last": row["last"],
        }
        for row in paused
    ]
