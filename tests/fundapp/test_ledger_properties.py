"""Any sequence of receive / commit / release / reverse keeps the ledger sound."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
)

from fundapp import services
from fundapp.models import Account, Category, LedgerEntry, LedgerTransaction, Role
from tests.factories import key, make_community, make_member, make_tranche

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000"), places=2)
categories = st.sampled_from(
    [Category.SECURITY, Category.ELDERLY_CARE, Category.CULTURE]
)


class LedgerMachine(RuleBasedStateMachine):
    commitments = Bundle("commitments")

    def __init__(self):
        super().__init__()
        self.community = make_community()
        self.fund = self.community.fund
        self.keeper = make_member(self.community, Role.FUND_COMMITTEE)

    @rule(amount=amounts, restricted=st.booleans(), category=categories)
    def receive(self, amount, restricted, category):
        make_tranche(
            self.fund,
            amount=amount,
            recorded_by=self.keeper,
            allowed_categories=[category] if restricted else [],
        )

    @rule(target=commitments, amount=amounts, category=categories)
    def commit(self, amount, category):
        try:
            return services.commitment_create(
                fund=self.fund,
                purpose="p",
                category=category,
                amount=amount,
                created_by=self.keeper,
                idempotency_key=key(),
            )
        except ValidationError:
            return None

    @rule(commitment=commitments, part=st.booleans())
    def release(self, commitment, part):
        if commitment is None:
            return
        try:
            services.commitment_release(
                commitment=commitment,
                released_by=self.keeper,
                idempotency_key=key(),
                amount="0.01" if part else None,
            )
        except ValidationError:
            pass

    @precondition(
        lambda self: LedgerTransaction.objects.filter(fund=self.fund).exists()
    )
    @rule(pick=st.integers(min_value=0, max_value=10_000))
    def reverse(self, pick):
        movements = list(
            LedgerTransaction.objects.filter(fund=self.fund).order_by("pk")
        )
        original = movements[pick % len(movements)]
        try:
            services.transaction_reverse(
                original=original,
                reversed_by=self.keeper,
                reason="correction",
                idempotency_key=key(),
            )
        except ValidationError:
            pass

    # Sums are taken in Python: SQLite's SUM of decimals goes through floats.
    def entries(self):
        return list(
            LedgerEntry.objects.filter(transaction__fund=self.fund).values_list(
                "transaction_id", "account_id", "amount"
            )
        )

    @invariant()
    def every_transaction_balances(self):
        totals = defaultdict(Decimal)
        for transaction_id, _account, amount in self.entries():
            totals[transaction_id] += amount
        assert all(total == 0 for total in totals.values())

    @invariant()
    def the_funds_accounts_sum_to_zero(self):
        assert sum((amount for _t, _a, amount in self.entries()), Decimal(0)) == 0

    @invariant()
    def no_available_balance_is_negative_and_caches_match_entries(self):
        totals = defaultdict(Decimal)
        for _transaction, account_id, amount in self.entries():
            totals[account_id] += amount
        for account in Account.objects.filter(fund=self.fund):
            assert account.balance == totals[account.pk]
            if account.kind != Account.Kind.EXTERNAL_SOURCE:
                assert account.balance >= 0

    @invariant()
    def nothing_is_reversed_twice(self):
        reversed_ids = list(
            LedgerTransaction.objects.filter(
                fund=self.fund, reverses__isnull=False
            ).values_list("reverses_id", flat=True)
        )
        assert len(reversed_ids) == len(set(reversed_ids))


LedgerMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class TestLedgerProperties(LedgerMachine.TestCase, TestCase):
    pass
