"""The fund's double-entry ledger (docs/money.md; DESIGN §2, ECOSYSTEM §1.2).

Every movement of money is one `LedgerTransaction` whose `LedgerEntry` rows
sum to zero. An entry's amount is signed: positive debits an account (money
arrives in it), negative credits it (money leaves it). External sources give
money, so their accounts run negative; every other account must stay at or
above zero. Entries and transactions are never updated or deleted (on
PostgreSQL a trigger refuses it); a mistake is corrected by a reversing
transaction that names, once, what it reverses.

`Account.balance` caches the sum of the account's entries. The database
keeps it: each entry written adds itself to its account's balance (a trigger,
migration 0007), and on PostgreSQL nothing else may change it. A check
constraint keeps it non-negative for every account that holds the fund's
money; `post_transaction` locks the accounts first and refuses a shortfall
in words.

The accounts, and what each movement moves between them (debit ← credit):

| account | one per | holds |
|---|---|---|
| external source | source | what the source gave, negative |
| tranche available | tranche | the tranche's money not yet committed |
| committed | commitment × tranche | money approved for a purpose, not yet paid |
| disbursed | commitment × tranche | money paid out for it, not returned |

- RECEIVE: tranche available ← external source.
- COMMIT: committed (c, t) ← tranche available (t), tranche by tranche.
- RELEASE: tranche available (t) ← committed (c, t): approved, never paid.
- DISBURSE: disbursed (c, t) ← committed (c, t): an installment paid to the
  grantee, from the tranches the commitment drew on, first committed first.
- RETURN: tranche available (t) ← disbursed (c, t): money paid out and not
  spent, given back to the tranches it came from (last disbursed first), so
  it can be committed again.
- REVERSAL: the mirror image of the movement it names.

So the fund's money is raised = available + committed + disbursed (the
disbursed balances are net of returns), and what was paid out and returned
are the sums of the DISBURSE and RETURN movements' entries
(`fundapp.selectors.fund_balances`).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fundapp.choices import ChoiceLabels
from fundapp.money import CNYField


class AccountKind(models.TextChoices):
    EXTERNAL_SOURCE = "external_source", _("external source")
    TRANCHE_AVAILABLE = "tranche_available", _("tranche available")
    COMMITTED = "committed", _("committed")
    DISBURSED = "disbursed", _("disbursed")


class MovementKind(models.TextChoices):
    RECEIVE = "receive", _("tranche received")
    COMMIT = "commit", _("commitment")
    RELEASE = "release", _("commitment released")
    DISBURSE = "disburse", _("disbursement")
    RETURN = "return", _("return to the fund")
    REVERSAL = "reversal", _("reversal")


class Account(ChoiceLabels, models.Model):
    """A named place where the fund's money sits."""

    Kind = AccountKind

    fund = models.ForeignKey("fundapp.Fund", models.PROTECT, related_name="accounts")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    source = models.ForeignKey(
        "fundapp.Source", models.PROTECT, related_name="accounts"
    )
    tranche = models.ForeignKey(
        "fundapp.Tranche",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    commitment = models.ForeignKey(
        "fundapp.Commitment",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    balance = CNYField(default=0)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["external_source"]) | Q(balance__gte=0),
                name="account_balance_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AccountKind.values), name="account_kind_known"
            ),
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(kind="external_source"),
                name="account_one_external_per_source",
            ),
            models.UniqueConstraint(
                fields=["tranche", "kind"],
                condition=Q(commitment__isnull=True, tranche__isnull=False),
                name="account_one_per_tranche_kind",
            ),
            models.UniqueConstraint(
                fields=["tranche", "kind", "commitment"],
                condition=Q(commitment__isnull=False),
                name="account_one_per_commitment_tranche_kind",
            ),
        ]
        # The fund page sums the balances by kind (`selectors.fund_balances`):
        # with the balance in the index PostgreSQL reads the index alone,
        # 1.3 ms instead of 2.4 for the 4,153 accounts of the bench's largest
        # fund (SQLite leaves INCLUDE out).
        indexes = [
            models.Index(
                fields=["fund", "kind"],
                include=["balance"],
                name="account_fund_kind_balance",
            )
        ]

    def __str__(self):
        label = self.get_kind_display()
        if self.tranche_id:
            label = f"{label} · {self.tranche_id}"
        if self.commitment_id:
            label = f"{label} · C{self.commitment_id}"
        return label


class Commitment(models.Model):
    """Money set aside for one purpose (an approved proposal), not yet paid.

    The amount still committed is the sum of its accounts' balances; `amount`
    is what was committed at first.
    """

    fund = models.ForeignKey("fundapp.Fund", models.PROTECT, related_name="commitments")
    purpose = models.CharField(_("purpose"), max_length=200)
    decision = models.CharField(
        _("decision"),
        max_length=60,
        blank=True,
        help_text=_(
            "The council decision that commits this money, e.g. JMJY-5#3; empty "
            "when the fund committee committed it."
        ),
    )
    category = models.CharField(_("category"), max_length=24)
    amount = CNYField(_("amount"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "fundapp.User", models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="commitment_amount_positive"
            )
        ]

    def __str__(self):
        return self.purpose


class LedgerTransaction(ChoiceLabels, models.Model):
    """One movement of money: balanced entries, immutable once written."""

    Kind = MovementKind

    fund = models.ForeignKey(
        "fundapp.Fund", models.PROTECT, related_name="transactions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # The amount moved: the sum of the positive entries, kept for listing.
    amount = CNYField(_("amount"))
    memo = models.CharField(_("memo"), max_length=300, blank=True)
    effective_on = models.DateField(_("date"))
    fiscal_year = models.PositiveSmallIntegerField(_("year"))
    tranche = models.ForeignKey(
        "fundapp.Tranche",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions",
    )
    commitment = models.ForeignKey(
        Commitment, models.PROTECT, null=True, blank=True, related_name="transactions"
    )
    reverses = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    idempotency_key = models.CharField(max_length=80, unique=True)
    # What the key was used for (fundapp.idempotency.request_digest): the same
    # key with another request is refused.
    request_digest = models.CharField(
        max_length=64, default="", db_default="", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "fundapp.User", models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering = ["-effective_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="transaction_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MovementKind.values),
                name="transaction_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="transaction_reversal_names_original",
            ),
        ]
        indexes = [
            models.Index(fields=["fund", "-id"], name="ledger_fund_latest_idx"),
            models.Index(fields=["fund", "-effective_on", "-id"]),
            models.Index(fields=["fund", "fiscal_year", "kind"]),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()} {self.amount}"

    @property
    def reversed_by_pk(self) -> int | None:
        """The id of the movement that reversed this one, or None. For the
        templates: `reversed_by` raises when there is none, which a template
        answers by listing every name of the object (dir()), 50 rows at a
        time on the fund page."""
        try:
            return self.reversed_by.pk
        except LedgerTransaction.reversed_by.RelatedObjectDoesNotExist:
            return None


class LedgerEntry(models.Model):
    """One side of a movement: a signed amount on one account."""

    transaction = models.ForeignKey(
        LedgerTransaction, models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(Account, models.PROTECT, related_name="entries")
    amount = CNYField()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="entry_amount_not_zero")
        ]

    def __str__(self):
        return f"{self.account}: {self.amount}"


class LedgerCheck(models.Model):
    """One reconciliation of a fund's ledger: what it found, and when.

    Written by `fund_reconcile` (nightly, from Celery beat). The latest check
    of each fund feeds the health check and the fund page; an empty
    `problems` list is the healthy answer.
    """

    fund = models.ForeignKey("fundapp.Fund", models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField()
    problem_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list)

    class Meta:
        verbose_name = _("ledger check")
        verbose_name_plural = _("ledger checks")
        indexes = [models.Index(fields=["fund", "-checked_at"])]

    def __str__(self):
        return f"{self.fund} {self.checked_at:%Y-%m-%d %H:%M}: {self.problem_count}"
