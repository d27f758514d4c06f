"""Any sequence of receive / commit / release / reverse keeps the ledger sound,
and a replayed key acts once while a key reused for another request is refused."""

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
        self.second_keeper = make_member(self.community, Role.FUND_COMMITTEE)
        # Another community's fund, whose committee tries this fund's keys.
        other = make_community()
        self.other_fund = other.fund
        self.other_keeper = make_member(other, Role.FUND_COMMITTEE)
        make_tranche(self.other_fund, amount="100000.00", recorded_by=self.other_keeper)
        # (key, the request's arguments, the commitment it made)
        self.used_keys = []

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
        request = {
            "fund": self.fund,
            "purpose": "p",
            "category": category,
            "amount": amount,
            "actor": self.keeper,
        }
        used = key()
        try:
            commitment = services.commitment_create(idempotency_key=used, **request)
        except ValidationError:
            return None
        self.used_keys.append((used, request, commitment))
        return commitment

    def ledger_size(self):
        return LedgerTransaction.objects.count()

    @precondition(lambda self: self.used_keys)
    @rule(pick=st.integers(min_value=0, max_value=10_000))
    def replay_a_commitment(self, pick):
        used, request, commitment = self.used_keys[pick % len(self.used_keys)]
        before = self.ledger_size()

        replayed = services.commitment_create(idempotency_key=used, **request)

        assert replayed == commitment
        assert self.ledger_size() == before

    @precondition(lambda self: self.used_keys)
    @rule(
        pick=st.integers(min_value=0, max_value=10_000),
        change=st.sampled_from(["amount", "category", "actor", "other_fund"]),
    )
    def reuse_a_key_for_another_request(self, pick, change):
        used, request, _commitment = self.used_keys[pick % len(self.used_keys)]
        other = dict(request)
        if change == "amount":
            other["amount"] = request["amount"] + Decimal("0.01")
        elif change == "category":
            other["category"] = next(
                c for c in Category.values if c != request["category"]
            )
        elif change == "actor":
            other["actor"] = self.second_keeper
        else:
            other.update(fund=self.other_fund, actor=self.other_keeper)
        before = self.ledger_size()

        try:
            services.commitment_create(idempotency_key=used, **other)
        except ValidationError as error:
            assert error.code == "idempotency_key_reused"
        else:
            raise AssertionError("a key reused for another request was accepted")
        assert self.ledger_size() == before

    @rule(commitment=commitments, part=st.booleans())
    def release(self, commitment, part):
        if commitment is None:
            return
        try:
            services.commitment_release(
                commitment=commitment,
                actor=self.keeper,
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
                actor=self.keeper,
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
    def the_other_fund_never_moves(self):
        assert LedgerTransaction.objects.filter(fund=self.other_fund).count() == 1

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
