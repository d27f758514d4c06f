"""Reconciliation: the ledger checked against its own rules, fund by fund.

On PostgreSQL the database refuses every state reported here (migration 0005);
reconciliation still runs every night, because the embedded default (SQLite)
has no such triggers, and because a restore, a replica or a superuser can go
around them. It is the auditor's independent check, not the first guard.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.models import Account, Fund, LedgerCheck, LedgerEntry, LedgerTransaction
from fundapp.money import ZERO, cny, format_cny


class ProblemKind:
    BALANCE = "balance_mismatch"
    EMPTY = "empty_transaction"
    UNBALANCED = "unbalanced_transaction"
    AMOUNT = "amount_mismatch"
    FOREIGN_ENTRY = "foreign_entry"


@dataclass(frozen=True)
class LedgerProblem:
    """One thing the ledger should never hold, with the figures that show it."""

    kind: str
    transaction_id: int | None = None
    account_id: int | None = None
    expected: Decimal | None = None
    found: Decimal | None = None
    entry_count: int | None = None

    def describe(self) -> str:
        """The problem in words, in the active language."""
        values = {
            "transaction": self.transaction_id,
            "account": self.account_id,
            "expected": format_cny(self.expected),
            "found": format_cny(self.found),
            "count": self.entry_count,
        }
        if self.kind == ProblemKind.BALANCE:
            text = _(
                "Account %(account)s caches a balance of %(expected)s but its "
                "entries sum to %(found)s."
            )
        elif self.kind == ProblemKind.EMPTY:
            text = _(
                "Movement #%(transaction)s has %(count)s entries; a movement needs "
                "at least two."
            )
        elif self.kind == ProblemKind.UNBALANCED:
            text = _("Movement #%(transaction)s is unbalanced by %(found)s.")
        elif self.kind == ProblemKind.AMOUNT:
            text = _(
                "Movement #%(transaction)s says it moves %(expected)s but its entries "
                "move %(found)s."
            )
        else:
            text = _(
                "Movement #%(transaction)s has an entry on account %(account)s of "
                "another fund."
            )
        return text % values

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "transaction_id": self.transaction_id,
            "account_id": self.account_id,
            "expected": None if self.expected is None else str(self.expected),
            "found": None if self.found is None else str(self.found),
            "entry_count": self.entry_count,
        }

    @classmethod
    def from_json(cls, data: dict) -> "LedgerProblem":
        return cls(
            kind=data["kind"],
            transaction_id=data.get("transaction_id"),
            account_id=data.get("account_id"),
            expected=None
            if data.get("expected") is None
            else Decimal(data["expected"]),
            found=None if data.get("found") is None else Decimal(data["found"]),
            entry_count=data.get("entry_count"),
        )


def _balance_problems(fund: Fund) -> tuple[list[LedgerProblem], list[int]]:
    """Cached balances that differ from their entries' sum, and the accounts
    holding an entry of another fund's movement (one query)."""
    own_movements = LedgerTransaction.objects.filter(fund=fund).values("pk")
    accounts = (
        Account.objects.filter(fund=fund)
        .annotate(
            from_entries=Coalesce(Sum("entries__amount"), ZERO),
            foreign=Count("entries", filter=~Q(entries__transaction__in=own_movements)),
        )
        .filter(~Q(balance=F("from_entries")) | Q(foreign__gt=0))
        .values_list("pk", "balance", "from_entries", "foreign")
    )
    problems, crossing = [], []
    for pk, balance, from_entries, foreign in accounts.order_by("pk"):
        # SQLite sums decimals as floats: the query narrows, cny() decides.
        if cny(balance) != cny(from_entries):
            problems.append(
                LedgerProblem(
                    ProblemKind.BALANCE,
                    account_id=pk,
                    expected=cny(balance),
                    found=cny(from_entries),
                )
            )
        if foreign:
            crossing.append(pk)
    return problems, crossing


def _movement_problems(fund: Fund) -> tuple[list[LedgerProblem], list[int]]:
    """Movements empty, unbalanced or moving another amount than they say,
    and the movements with an entry on another fund's account (one query)."""
    own_accounts = Account.objects.filter(fund=fund).values("pk")
    movements = LedgerTransaction.objects.filter(fund=fund).annotate(
        entry_count=Count("entries"),
        total=Coalesce(Sum("entries__amount"), ZERO),
        moved=Coalesce(Sum("entries__amount", filter=Q(entries__amount__gt=0)), ZERO),
        foreign=Count("entries", filter=~Q(entries__account__in=own_accounts)),
    )
    suspects = movements.filter(
        Q(entry_count__lt=2) | ~Q(total=0) | ~Q(moved=F("amount")) | Q(foreign__gt=0)
    ).values_list("pk", "amount", "entry_count", "total", "moved", "foreign")
    problems, crossing = [], []
    for pk, amount, entry_count, total, moved, foreign in suspects.order_by("pk"):
        if entry_count < 2:
            problems.append(
                LedgerProblem(
                    ProblemKind.EMPTY, transaction_id=pk, entry_count=entry_count
                )
            )
        # SQLite sums decimals as floats: the query narrows, cny() decides.
        if cny(total) != 0:
            problems.append(
                LedgerProblem(
                    ProblemKind.UNBALANCED, transaction_id=pk, found=cny(total)
                )
            )
        if cny(moved) != cny(amount):
            problems.append(
                LedgerProblem(
                    ProblemKind.AMOUNT,
                    transaction_id=pk,
                    expected=cny(amount),
                    found=cny(moved),
                )
            )
        if foreign:
            crossing.append(pk)
    return problems, crossing


def _foreign_entries(
    fund: Fund, *, movements: list[int], accounts: list[int]
) -> list[LedgerProblem]:
    """Entries that join this fund's movements to another fund's accounts, or
    another fund's movements to this fund's accounts: read only for the
    movements and accounts the two checks above found with such an entry (no
    query for a sound ledger).

    The two checks count them while they read the fund's entries anyway,
    against a hashed list of the fund's own accounts and movements: a query
    of their own, joining every entry to the other side, cost two scans of the
    whole ledger (about 60 ms each on a million entries, twice the rest of the
    reconciliation).
    """
    pairs = set()
    if movements:
        pairs.update(
            LedgerEntry.objects.filter(transaction__in=movements)
            .exclude(account__fund=fund)
            .values_list("transaction_id", "account_id")
        )
    if accounts:
        pairs.update(
            LedgerEntry.objects.filter(account__in=accounts)
            .exclude(transaction__fund=fund)
            .values_list("transaction_id", "account_id")
        )
    return [
        LedgerProblem(ProblemKind.FOREIGN_ENTRY, transaction_id=tx, account_id=account)
        for tx, account in sorted(pairs)
    ]


def fund_reconcile(*, fund: Fund) -> list[LedgerProblem]:
    """Return everything wrong with a fund's ledger; an empty list is healthy.

    Read-only. Reports every cached balance that differs from its entries'
    sum, every movement that is empty (fewer than two entries), unbalanced or
    whose `amount` is not the sum of its positive entries, and every entry
    that joins this fund's ledger to another fund's.
    """
    balances, foreign_accounts = _balance_problems(fund)
    movements, foreign_movements = _movement_problems(fund)
    return [
        *balances,
        *movements,
        *_foreign_entries(fund, movements=foreign_movements, accounts=foreign_accounts),
    ]


def fund_reconcile_record(*, fund: Fund) -> LedgerCheck:
    """Reconcile a fund and keep what was found (for the health check and the
    fund page). Writes one LedgerCheck row, also when nothing was found."""
    problems = fund_reconcile(fund=fund)
    return LedgerCheck.objects.create(
        fund=fund,
        checked_at=timezone.now(),
        problem_count=len(problems),
        problems=[problem.as_json() for problem in problems],
    )
