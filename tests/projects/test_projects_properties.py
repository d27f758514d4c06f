"""Any sequence of pay, spend, return and release keeps the money sound.

Every transaction balances, the fund's accounts sum to zero, no account of
the fund's money goes below zero, caches equal entries, and for each project
what was paid never exceeds what was committed, and what was returned never
exceeds what was paid and not spent.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from fundapp.models import Account, LedgerEntry, LedgerTransaction, Role
from fundapp.services import commitment_outstanding, commitment_release
from projects import services
from projects.models import Disbursement, Project, ProjectReturn
from projects.selectors import project_money
from projects.services import SchedulePart
from tests.factories import (
    key,
    make_approved_proposal,
    make_funded_community,
    make_member,
    make_project,
)
from tests.projects.steps import receipt

shares = st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=4)
cents = st.integers(min_value=1, max_value=60_000)


class ProjectLedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.community, self.keeper, _tranche = make_funded_community("20000.00")
        self.fund = self.community.fund
        self.worker = make_member(self.community, Role.SOCIAL_WORKER)
        self.signer = make_member(self.community, Role.FUND_COMMITTEE)
        self.released = defaultdict(Decimal)
        self.projects = []

    @rule(weights=shares)
    def open_a_project(self, weights):
        if len(self.projects) >= 3:
            return
        total = sum(weights)
        percents = [Decimal(w * 100) / total for w in weights]
        percents = [p.quantize(Decimal("0.01")) for p in percents[:-1]]
        percents.append(Decimal("100") - sum(percents, Decimal("0")))
        try:
            proposal = make_approved_proposal(self.community)
        except ValidationError:
            return  # the fund cannot cover another grant
        project = make_project(
            proposal,
            worker=self.worker,
            schedule=[SchedulePart(p, "start") for p in percents],
            milestones=[],
        )
        self.projects.append(project)

    def pick(self, index):
        if not self.projects:
            return None
        return Project.objects.select_related("proposal__commitment").get(
            pk=self.projects[index % len(self.projects)].pk
        )

    @rule(index=st.integers(min_value=0, max_value=9))
    def pay_the_next_installment(self, index):
        project = self.pick(index)
        if project is None:
            return
        installment = (
            project.installments.exclude(disbursements__status="paid")
            .filter(cancelled_at__isnull=True)
            .order_by("position")
            .first()
        )
        if installment is None:
            return
        try:
            disbursement = services.installment_request(
                installment=installment, actor=self.worker
            )
            services.disbursement_approve(disbursement=disbursement, actor=self.keeper)
            services.disbursement_approve(
                disbursement=disbursement,
                actor=self.signer,
                method="cash",
                paid_on=timezone.localdate(),
            )
        except ValidationError:
            pass

    @rule(index=st.integers(min_value=0, max_value=9), amount=cents)
    def spend(self, index, amount):
        project = self.pick(index)
        if project is None:
            return
        try:
            expense = services.expense_record(
                project=project,
                actor=project.proposal.proposer,
                budget_line=project.proposal.budget_lines.first(),
                amount=Decimal(amount) / 100,
                spent_on=date(2026, 3, 1),
                description="x",
                receipt=receipt(),
                over_budget_reason="涨价",
            )
            services.expense_review(expense=expense, actor=self.worker, accept=True)
        except ValidationError:
            pass

    @rule(index=st.integers(min_value=0, max_value=9))
    def complete(self, index):
        project = self.pick(index)
        if project is None or project.proposal.status != "active":
            return
        report = services.progress_report_file(
            project=project,
            actor=project.proposal.proposer,
            kind="final",
            summary="done",
            happened_on=date(2026, 6, 1),
            place="p",
            participants=5,
        )
        services.progress_report_review(report=report, actor=self.worker, accept=True)
        services.project_complete(
            project=project, actor=self.worker, completed_on=timezone.localdate()
        )

    @rule(index=st.integers(min_value=0, max_value=9), amount=cents)
    def return_unspent(self, index, amount):
        project = self.pick(index)
        if project is None:
            return
        try:
            services.return_record(
                project=project,
                actor=self.keeper,
                amount=Decimal(amount) / 100,
                returned_on=timezone.localdate(),
                bank_reference=key()[:20],
            )
        except ValidationError:
            pass

    @rule(index=st.integers(min_value=0, max_value=9), amount=cents)
    def release_unpaid(self, index, amount):
        project = self.pick(index)
        if project is None:
            return
        wanted = Decimal(amount) / 100
        try:
            commitment_release(
                commitment=project.proposal.commitment,
                actor=self.keeper,
                idempotency_key=key(),
                amount=wanted,
                reason="部分取消",
            )
        except ValidationError:
            return
        self.released[project.pk] += wanted

    def entries(self):
        return list(
            LedgerEntry.objects.filter(transaction__fund=self.fund).values_list(
                "transaction_id", "account_id", "amount"
            )
        )

    @invariant()
    def every_transaction_balances_and_the_fund_sums_to_zero(self):
        totals = defaultdict(Decimal)
        for transaction_id, _account, amount in self.entries():
            totals[transaction_id] += amount
        assert all(total == 0 for total in totals.values())
        assert sum(totals.values(), Decimal(0)) == 0

    @invariant()
    def no_account_is_negative_and_caches_match_entries(self):
        totals = defaultdict(Decimal)
        for _transaction, account_id, amount in self.entries():
            totals[account_id] += amount
        for account in Account.objects.filter(fund=self.fund):
            assert account.balance == totals[account.pk]
            if account.kind != Account.Kind.EXTERNAL_SOURCE:
                assert account.balance >= 0

    @invariant()
    def each_project_pays_within_its_commitment_and_returns_within_its_unspent(self):
        for project in Project.objects.filter(community=self.community).select_related(
            "proposal__commitment"
        ):
            money = project_money(project)
            commitment = project.proposal.commitment
            outstanding = commitment_outstanding(commitment)
            assert money.paid + outstanding + self.released[project.pk] == (
                commitment.amount
            )
            assert money.paid <= commitment.amount
            # Spending may run ahead of payments (the team advances its own
            # money); once something is returned, nothing returned was spent.
            if money.returned:
                assert money.returned <= money.paid - money.spent
            paid_entries = LedgerTransaction.objects.filter(
                commitment=commitment, kind="disburse"
            ).count()
            assert (
                paid_entries
                == Disbursement.objects.filter(
                    installment__project=project, status="paid"
                ).count()
            )
            assert ProjectReturn.objects.filter(project=project).count() == (
                LedgerTransaction.objects.filter(
                    commitment=commitment, kind="return"
                ).count()
            )


ProjectLedgerMachine.TestCase.settings = settings(
    max_examples=12,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class TestProjectLedgerProperties(ProjectLedgerMachine.TestCase, TestCase):
    def setUp(self):
        super().setUp()
        import tempfile

        from django.conf import settings as django_settings

        self._media = tempfile.TemporaryDirectory()
        self._old_media = django_settings.MEDIA_ROOT
        django_settings.MEDIA_ROOT = self._media.name

    def tearDown(self):
        from django.conf import settings as django_settings

        django_settings.MEDIA_ROOT = self._old_media
        self._media.cleanup()
        super().tearDown()
