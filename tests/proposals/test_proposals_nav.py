"""Residents reach the proposals from every page."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals.models import Notification
from tests.factories import make_member, make_proposal, make_round

pytestmark = pytest.mark.django_db


def test_the_home_page_links_each_community_to_its_proposals_and_open_calls(client):
    call = make_round()
    proposals = reverse("proposals:list", args=[call.community.code])

    page = client.get(reverse("fund:home")).content.decode()

    assert f'href="{proposals}"' in page
    assert f'href="{proposals}#open-calls"' in page


def test_the_fund_page_links_to_the_proposals_outside_its_cache(client):
    call = make_round()
    url = reverse("fund:fund", args=[call.community.code])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()

    assert reverse("proposals:list", args=[call.community.code]) in page
    # The community, the ledger's version, and the community's projects (a
    # section outside the cache, projects.sections).
    assert len(captured) == 3


def test_every_page_links_to_the_communities_and_a_member_to_their_proposals():
    call = make_round()
    client = Client()
    client.force_login(make_member(call.community))

    page = client.get(reverse("fund:fund", args=[call.community.code])).content
    page = page.decode()

    assert f'href="{reverse("fund:home")}"' in page
    assert f'href="{reverse("proposals:mine")}"' in page
    assert f'href="{reverse("proposals:notifications")}"' in page


def test_the_nav_shows_the_unread_count_with_one_query():
    proposal = make_proposal()
    for _number in range(3):
        Notification.objects.create(
            recipient=proposal.proposer, proposal=proposal, kind="status"
        )
    client = Client()
    client.force_login(proposal.proposer)
    url = reverse("proposals:mine")
    client.get(url)
    Notification.objects.create(
        recipient=proposal.proposer, proposal=proposal, kind="comment"
    )
    cache.clear()

    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()

    assert 'data-testid="unread-count"' in page
    assert ">4<" in page
    sqls = [q["sql"] for q in captured]
    counts = [sql for sql in sqls if "COUNT(" in sql and "notification" in sql]
    assert len(counts) == 1


def test_a_visitor_runs_no_notification_query(client):
    call = make_round()

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("proposals:list", args=[call.community.code]))

    assert not [q for q in captured if "notification" in q["sql"]]
