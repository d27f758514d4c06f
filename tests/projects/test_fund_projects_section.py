"""The fund page's projects section (projects/sections.py): the number in each
state and its newest projects, read in one query whatever their number."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.selectors import community_projects_by_state
from tests.factories import make_approved_proposal, make_funded_community, make_project

pytestmark = pytest.mark.django_db


def test_each_state_shows_its_count_and_newest_five_with_links():
    community, _keeper, _tranche = make_funded_community("900000.00")
    projects = [
        make_project(
            make_approved_proposal(community, title=f"Project {day}"),
            starts_on=date(2026, 1, day),
        )
        for day in (3, 1, 7, 5, 2, 6, 4)
    ]

    with CaptureQueriesContext(connection) as queries:
        grouped = community_projects_by_state(community)

    assert len(queries) == 1
    assert list(grouped) == ["approved"]
    starting = grouped["approved"]
    assert starting.count == 7
    assert [line.title for line in starting.newest] == [
        f"Project {day}" for day in (7, 6, 5, 4, 3)
    ]
    newest = max(projects, key=lambda project: project.starts_on)
    assert starting.newest[0].url == newest.get_absolute_url()
    assert starting.newest[0].grantee_name == newest.grantee_name
    assert starting.newest[0].starts_on == date(2026, 1, 7)

    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("fund:fund", args=[community.code])
    )
    text = page.content.decode()
    assert 'Starting <span class="muted">(7)</span>' in text
    assert f'<a href="{newest.get_absolute_url()}">Project 7</a>' in text
    assert ">Project 2</a>" not in text  # (the ledger names it too)
    assert "All 7 projects: Starting" in text


def test_a_community_without_projects_has_no_section():
    community, _keeper, _tranche = make_funded_community()

    assert community_projects_by_state(community) == {}
