"""The demo delivers the paper's funded programs through the projects' services."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from fundapp.demo import demo_steps, load_demo
from fundapp.models import LedgerTransaction, Role, User
from fundapp.selectors import fund_balances
from projects.demo import (
    KNITTING,
    MUTUAL_AID,
    NIGHT_110,
    PARK,
    PATROL_DAYS_RECORDED,
    SAFE_PATROL,
)
from projects.models import (
    Disbursement,
    Project,
    ProjectReturn,
    Rating,
    VolunteerShift,
)
from projects.selectors import project_installments, project_on_hold, project_summary
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def project(title) -> Project:
    return Project.objects.select_related("proposal", "community").get(
        proposal__title=title
    )


def states(title) -> list[str]:
    found = project(title)
    return [
        row.state for row in project_installments(found, on_hold=project_on_hold(found))
    ]


def test_the_demo_delivers_each_program_once_through_the_services():
    load_demo()
    counts = [
        model.objects.count()
        for model in (Project, Disbursement, VolunteerShift, Rating, LedgerTransaction)
    ]

    load_demo()

    assert [
        model.objects.count()
        for model in (Project, Disbursement, VolunteerShift, Rating, LedgerTransaction)
    ] == counts
    assert set(Project.objects.values_list("proposal__title", flat=True)) == {
        NIGHT_110,
        MUTUAL_AID,
        KNITTING,
        SAFE_PATROL,
        PARK,
    }
    steps = [step.app for step in demo_steps()]
    assert steps.index("councils") < steps.index("projects") < steps.index("reports")


def test_night_110_ran_in_2014_was_rated_returned_a_little_and_was_evaluated():
    load_demo()
    night = project(NIGHT_110)
    summary = project_summary(night)
    paid_on = sorted(
        Disbursement.objects.filter(installment__project=night).values_list(
            "paid_on", flat=True
        )
    )
    returned = ProjectReturn.objects.get(project=night)

    assert night.proposal.status == Proposal.Status.EVALUATED
    assert (night.starts_on, night.completed_on) == (
        datetime.date(2014, 4, 1),
        datetime.date(2014, 12, 31),
    )
    assert [day.year for day in paid_on] == [2014, 2014, 2015]
    assert summary.paid_amount == night.proposal.approved_amount
    assert summary.spent_amount + summary.returned_amount == summary.paid_amount
    assert Decimal(0) < returned.amount < summary.paid_amount / 10
    assert returned.ledger_transaction.kind == LedgerTransaction.Kind.RETURN
    assert returned.ledger_transaction.effective_on == datetime.date(2015, 1, 20)
    assert summary.rating_count == 5
    assert summary.satisfaction_mean == Decimal("4.2")
    assert summary.volunteer_hours > 0
    assert night.observations.get().observed_on.year == 2014


def test_safe_jm_patrol_is_active_with_volunteer_hours_every_day_of_its_first_weeks():
    load_demo()
    patrol = project(SAFE_PATROL)
    days = set(patrol.shifts.values_list("served_on", flat=True))
    every_day = {
        patrol.starts_on + datetime.timedelta(days=n)
        for n in range(PATROL_DAYS_RECORDED)
    }
    waiting = Disbursement.objects.get(
        installment__project=patrol, status=Disbursement.Status.REQUESTED
    )

    assert patrol.proposal.status == Proposal.Status.ACTIVE
    assert patrol.starts_on.year == 2016
    assert days == every_day
    assert states(SAFE_PATROL) == ["paid", "requested", "scheduled"]
    # One fund committee member signed; the other demo login signs second.
    assert [a.approver.username for a in waiting.approvals.all()] == ["fundcommittee"]


def test_knitting_is_flagged_inactive_and_its_last_installment_is_on_hold():
    load_demo()
    circle = project(KNITTING)
    flag = circle.flags.get()

    assert (flag.kind, flag.state) == ("inactive", "open")
    assert circle.proposal.status == Proposal.Status.ACTIVE
    assert states(KNITTING) == ["paid", "paid", "on_hold"]


def test_mutual_aid_is_completed_and_waits_for_the_evaluators_mark():
    load_demo()
    aid = project(MUTUAL_AID)

    assert aid.proposal.status == Proposal.Status.COMPLETED
    assert aid.completed_on.year == 2016
    assert aid.ratings.count() == 4
    assert project_summary(aid).spent_amount == aid.proposal.approved_amount


def test_jmjy_has_two_fund_committee_members_and_the_fund_page_figures_add_up():
    load_demo()
    jmjy = project(NIGHT_110).community
    paid = Disbursement.objects.filter(
        installment__project__community=jmjy, status=Disbursement.Status.PAID
    ).aggregate(total=Sum("amount"))["total"]
    balances = fund_balances(fund=jmjy.fund)

    assert (
        User.objects.filter(
            memberships__community=jmjy, memberships__role=Role.FUND_COMMITTEE
        ).count()
        == 2
    )
    assert balances.disbursed == paid
    assert balances.returned == Decimal("1300.00")


def test_xwjs_park_is_delivered_with_residents_hours_once_it_is_approved():
    """XWJ's residents' conference approved it on 18 April 2015."""
    load_demo()

    works = project(PARK)
    residents = set(works.shifts.values_list("volunteer__username", flat=True))
    assert works.proposal.status == Proposal.Status.ACTIVE
    assert states(PARK) == ["paid", "scheduled", "scheduled"]
    assert residents == {
        "xwj_resident",
        "xwj_neighbour1",
        "xwj_neighbour2",
        "xwj_neighbour3",
    }
    served = set(works.shifts.values_list("served_on__year", flat=True))
    assert served == {2015}
