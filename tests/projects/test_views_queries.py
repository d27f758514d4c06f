"""The project's pages cost the same queries for the smallest and the
biggest project (the benchmark's rule, issue 10)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fundapp.models import Role
from projects import services
from tests.factories import make_approved_proposal, make_member, make_project
from tests.projects.conftest import Crew
from tests.projects.steps import file_report, pay, spend

pytestmark = pytest.mark.django_db


def grow(crew, size: int):
    """`size` of everything: reports with photos, expenses, shifts, ratings,
    observations, flags."""
    pay(crew, crew.project.installments.get(position=1))
    for number in range(size):
        file_report(crew, participants=number + 1)
        spend(crew, "10.00", accept=number % 2 == 0)
        services.volunteer_shift_record(
            project=crew.project,
            actor=crew.team,
            activity="夜巡",
            served_on=date(2026, 2, 1 + number),
            hours=Decimal("2"),
            volunteer_name=f"志愿者{number}",
        )
        services.observation_record(
            project=crew.project,
            actor=crew.evaluator,
            observed_on=date(2026, 2, 1 + number),
            notes="按时巡逻",
        )
    for resident in crew.residents[: min(size, 3)]:
        services.rating_set(project=crew.project, actor=resident, score=4)


def queries(user, url) -> int:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def make_crew() -> Crew:
    proposal = make_approved_proposal()
    community = proposal.community
    worker = make_member(community, Role.SOCIAL_WORKER)
    return Crew(
        project=make_project(proposal, worker=worker),
        worker=worker,
        signers=(
            make_member(community, Role.FUND_COMMITTEE),
            make_member(community, Role.FUND_COMMITTEE),
        ),
        team=proposal.proposer,
        evaluator=make_member(community, Role.EVALUATOR),
        residents=[make_member(community, Role.RESIDENT) for _ in range(3)],
    )


@pytest.mark.parametrize("who", ["visitor", "worker", "signer", "resident"])
@pytest.mark.parametrize("page", ["projects:project", "projects:money"])
def test_a_project_page_costs_the_same_queries_for_1_or_6_of_everything(who, page):
    counts = []
    for size in (1, 6):
        crew = make_crew()
        grow(crew, size)
        user = {
            "visitor": None,
            "worker": crew.worker,
            "signer": crew.signers[0],
            "resident": crew.residents[0],
        }[who]
        counts.append(queries(user, reverse(page, args=[crew.project.pk])))

    assert counts[0] == counts[1]
    assert counts[0] <= 40
