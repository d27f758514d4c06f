"""The project's pages are cached under the project's version (issue 10's
benchmark): every writer's change shows on the next render, and what only
some readers may see (bank references, receipts, the contact's phone, the
buttons of the people who act) never reaches another reader through the
cache."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fundapp.personal_data import personal_data_erase
from projects import services
from proposals.models import Proposal
from tests.projects.steps import council_decision, file_report, pay, spend

pytestmark = pytest.mark.django_db

PROJECT = "projects:project"
MONEY = "projects:money"


@pytest.fixture(autouse=True)
def cache_on(settings):
    """A real cache, whatever the environment runs the tests with."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "project-pages",
        },
    }


def render(crew, page=PROJECT, user=None, query="") -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(page, args=[crew.project.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def started(crew):
    return pay(crew, crew.project.installments.get(position=1))


def completed(crew, *, days_ago=1):
    started(crew)
    file_report(crew, "final")
    services.project_complete(
        project=crew.project,
        actor=crew.worker,
        completed_on=timezone.localdate() - timedelta(days=days_ago),
    )


def requested(crew):
    return services.installment_request(
        installment=crew.project.installments.get(position=1), actor=crew.worker
    )


def test_a_second_render_reads_only_the_project_from_the_database(crew):
    started(crew)
    render(crew)
    render(crew, MONEY)

    with CaptureQueriesContext(connection) as page:
        render(crew)
    with CaptureQueriesContext(connection) as money:
        render(crew, MONEY)

    assert len(page) == 1
    assert len(money) == 1


# Each writer of what the pages show: (what is there before, the change,
# the page, what the next render shows).
def _request(crew, state):
    requested(crew)


def _first_signature(crew, state):
    services.disbursement_approve(disbursement=state, actor=crew.signers[0])


def _second_signature(crew, state):
    services.disbursement_approve(disbursement=state, actor=crew.signers[0])
    services.disbursement_approve(
        disbursement=state,
        actor=crew.signers[1],
        method="bank_transfer",
        bank_reference="BANK-001",
        paid_on=timezone.localdate(),
    )


def _withdraw(crew, state):
    services.disbursement_withdraw(
        disbursement=state, actor=crew.signers[0], reason="金额有误"
    )


def _expense(crew, state):
    spend(crew, "42.00", accept=False)


def _accept_expense(crew, state):
    services.expense_review(expense=state, actor=crew.worker, accept=True)


def _query_expense(crew, state):
    services.expense_review(
        expense=state, actor=crew.worker, accept=False, query="发票抬头不对"
    )


def _answer_expense(crew, state):
    services.expense_review(
        expense=state, actor=crew.worker, accept=False, query="发票抬头不对"
    )
    render(crew, MONEY)
    services.expense_answer(expense=state, actor=crew.team, answer="已重开发票")


def _report(crew, state):
    services.progress_report_file(
        project=crew.project,
        actor=crew.team,
        kind="progress",
        summary="三月份巡逻二十次",
        happened_on=date(2026, 4, 2),
        place="东门",
        participants=7,
    )


def _accept_report(crew, state):
    services.progress_report_review(report=state, actor=crew.worker, accept=True)


def _correct_report(crew, state):
    services.progress_report_review(
        report=state, actor=crew.worker, accept=False, query="人数?"
    )
    render(crew)
    services.progress_report_answer(
        report=state, actor=crew.team, summary="更正：巡逻十九次"
    )


def _shift(crew, state):
    services.volunteer_shift_record(
        project=crew.project,
        actor=crew.team,
        activity="夜巡",
        served_on=date(2026, 2, 3),
        hours=Decimal("2.5"),
        volunteer_name="张阿姨",
    )


def _complete(crew, state):
    file_report(crew, "final")
    services.project_complete(
        project=crew.project, actor=crew.worker, completed_on=date(2026, 5, 1)
    )


def _rate(crew, state):
    services.rating_set(project=crew.project, actor=crew.residents[0], score=4)


def _observe(crew, state):
    services.observation_record(
        project=crew.project,
        actor=crew.evaluator,
        observed_on=date(2026, 2, 4),
        notes="巡逻队按时出发",
    )


def _flag(crew, state):
    services.flag_raise(
        project=crew.project, actor=crew.evaluator, kind="inactive", reasons="停了"
    )


def _lift(crew, state):
    services.flag_resolve(
        flag=state,
        actor=crew.signers[0],
        lift=True,
        decision_reference=council_decision(crew.project.community),
    )


def _mark_evaluated(crew, state):
    services.project_mark_evaluated(project=crew.project, actor=crew.evaluator)


def _return(crew, state):
    services.return_record(
        project=crew.project,
        actor=crew.signers[0],
        amount=Decimal("92.50"),
        returned_on=date(2026, 6, 1),
        bank_reference="RET-1",
    )


def _close(crew, state):
    services.project_close(project=crew.project, actor=crew.signers[0])


def _milestone(crew, state):
    services.milestone_add(
        project=crew.project,
        actor=crew.worker,
        title="中期交流会",
        due_on=date(2026, 6, 1),
    )


def _erase_signer(crew, state):
    personal_data_erase(user=crew.signers[0])


CONDITIONS = "每月向议事会汇报一次"


def _proposal_changes(crew, state):
    # What every proposals service does when it changes a proposal (its
    # status, decision, conditions or texts): it moves `updated_at`.
    Proposal.objects.filter(pk=crew.project.proposal_id).update(
        conditions=CONDITIONS, updated_at=timezone.now()
    )


def _nothing(crew):
    return None


def _a_flag(crew):
    started(crew)
    return services.flag_raise(
        project=crew.project, actor=crew.evaluator, kind="inactive", reasons="停了"
    )


def _a_report(crew):
    started(crew)
    return file_report(crew, accept=False, participants=13)


def _an_expense(crew):
    started(crew)
    return spend(crew, "42.00", accept=False)


def _signed(crew):
    disbursement = requested(crew)
    _first_signature(crew, disbursement)
    return disbursement


def _done(crew):
    started(crew)
    spend(crew, "500.00")
    file_report(crew, "final")
    services.project_complete(
        project=crew.project, actor=crew.worker, completed_on=date(2026, 5, 1)
    )


def _evaluable(crew):
    completed(crew, days_ago=61)


def _closable(crew):
    started(crew)
    spend(crew, "592.50")
    file_report(crew, "final")
    services.project_complete(
        project=crew.project, actor=crew.worker, completed_on=date(2026, 5, 1)
    )
    services.project_mark_evaluated(project=crew.project, actor=crew.evaluator)


WRITERS = {
    "installment requested": (
        _nothing,
        _request,
        PROJECT,
        "requested, waiting for signatures",
    ),
    "first signature": (requested, _first_signature, PROJECT, "Signed by"),
    "payment": (requested, _second_signature, PROJECT, 'data-testid="paid">¥592.50'),
    "request withdrawn": (requested, _withdraw, PROJECT, "scheduled"),
    "expense recorded": (started, _expense, MONEY, "巡逻背心"),
    "expense accepted": (
        _an_expense,
        _accept_expense,
        MONEY,
        'data-testid="expense-status">accepted',
    ),
    "expense queried": (_an_expense, _query_expense, MONEY, "发票抬头不对"),
    "expense answered": (_an_expense, _answer_expense, MONEY, "已重开发票"),
    "report filed": (started, _report, PROJECT, "三月份巡逻二十次"),
    "report accepted": (
        _a_report,
        _accept_report,
        PROJECT,
        'data-testid="participants">13<',
    ),
    "report corrected": (_a_report, _correct_report, PROJECT, "更正：巡逻十九次"),
    "volunteer hours": (started, _shift, PROJECT, "1 volunteer, 2.5 hours"),
    "delivery done": (started, _complete, PROJECT, 'data-status="completed"'),
    "rating": (started, _rate, PROJECT, 'data-testid="satisfaction">4.0 / 5<'),
    "observation": (started, _observe, PROJECT, "巡逻队按时出发"),
    "flag raised": (started, _flag, PROJECT, 'data-testid="on-hold"'),
    "hold lifted": (_a_flag, _lift, PROJECT, 'data-testid="flag-lifted"'),
    "evaluated": (_evaluable, _mark_evaluated, PROJECT, 'data-status="evaluated"'),
    "money returned": (_done, _return, MONEY, "Returned to the fund"),
    "closed": (_closable, _close, PROJECT, 'data-status="closed"'),
    "milestone added": (_nothing, _milestone, PROJECT, "中期交流会"),
    "a signer's data erased": (_signed, _erase_signer, PROJECT, "已注销"),
    "the proposal changed": (
        _nothing,
        _proposal_changes,
        PROJECT,
        "每月向议事会汇报一次",
    ),
}


@pytest.mark.parametrize("writer", WRITERS)
def test_a_change_shows_on_the_next_render(crew, writer):
    prepare, change, page, shown = WRITERS[writer]
    state = prepare(crew)
    before = render(crew, page).count(shown)

    change(crew, state)

    assert render(crew, page).count(shown) > before


def test_a_withdrawn_request_is_gone_from_the_next_render(crew):
    disbursement = requested(crew)
    assert "requested, waiting for signatures" in render(crew)

    _withdraw(crew, disbursement)

    assert "requested, waiting for signatures" not in render(crew)


# Who sees what: never through another reader's cached page.
def committee_only(crew):
    pay(crew, crew.project.installments.get(position=1))
    expense = spend(crew, "120.00")
    receipt = reverse("projects:receipt", args=[crew.project.pk, expense.pk])
    return ("BANK-001", "13900000001"), receipt


def test_a_resident_never_sees_what_a_committee_member_rendered_first(crew):
    (bank, phone), receipt = committee_only(crew)
    committee = crew.signers[0]
    seen = render(crew, user=committee)
    seen_money = render(crew, MONEY, user=committee)
    assert bank in seen and phone in seen and receipt in seen_money

    for reader in (crew.residents[0], None):
        page = render(crew, user=reader)
        money = render(crew, MONEY, user=reader)
        whole = render(crew, user=reader, query="?timeline=all")
        assert bank not in page and phone not in page and bank not in whole
        assert receipt not in page and receipt not in money


def test_a_committee_member_sees_what_a_resident_rendered_first_without(crew):
    (bank, phone), receipt = committee_only(crew)
    render(crew, user=crew.residents[0])
    render(crew, MONEY, user=crew.residents[0])

    page = render(crew, user=crew.signers[0])
    money = render(crew, MONEY, user=crew.signers[0])

    assert bank in page and phone in page and receipt in money


def test_the_buttons_of_the_people_who_act_stay_theirs(crew):
    disbursement = requested(crew)
    services.disbursement_approve(disbursement=disbursement, actor=crew.signers[0])
    spend(crew, "30.00", accept=False)

    first = render(crew, user=crew.signers[0])
    second = render(crew, user=crew.signers[1])
    worker_money = render(crew, MONEY, user=crew.worker)
    resident = render(crew, user=crew.residents[0])
    resident_money = render(crew, MONEY, user=crew.residents[0])

    assert "You signed it" in first and 'data-testid="sign"' not in first
    assert 'data-testid="sign"' in second and "You signed it" not in second
    assert 'data-testid="accept-expense"' in worker_money
    for page in (resident, resident_money):
        assert "You signed it" not in page
        assert 'data-testid="sign"' not in page
        assert 'data-testid="accept-expense"' not in page


def test_the_fund_committees_hold_button_is_not_cached_for_others(crew):
    _a_flag(crew)

    committee = render(crew, user=crew.signers[0])
    resident = render(crew, user=crew.residents[0])

    assert 'data-testid="resolve-flag"' in committee
    assert 'data-testid="resolve-flag"' not in resident


def test_the_social_workers_request_button_is_not_cached_for_others(crew):
    worker = render(crew, user=crew.worker)
    resident = render(crew, user=crew.residents[0])
    visitor = render(crew)

    assert 'data-testid="request-installment"' in worker
    assert 'data-testid="request-installment"' not in resident
    assert 'data-testid="request-installment"' not in visitor


def test_a_residents_own_rating_is_shown_to_them_only(crew):
    started(crew)
    services.rating_set(project=crew.project, actor=crew.residents[0], score=2)

    mine = render(crew, user=crew.residents[0])
    other = render(crew, user=crew.residents[1])

    assert "You rated it 2" in mine
    assert "You rated it" not in other
    assert 'data-testid="rating-form"' in other


def test_the_fund_pages_projects_section_shows_a_projects_move_at_once(crew):
    """The section is cached under the community's projects' version (the
    newest project and proposal event): the first payment starts the
    project, and the next render lists it as running."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    fund_page = reverse("fund:fund", args=[crew.project.community.code])
    before = client.get(fund_page).text
    assert "Starting" in before
    assert "Running" not in before

    started(crew)

    after = client.get(fund_page).text
    assert "Running" in after
    assert "Starting" not in after
