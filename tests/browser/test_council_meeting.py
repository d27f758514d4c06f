"""A council meeting in three browsers: the chair and two members.

A main motion to fund a proposal, a primary and a secondary amendment, votes
from the page, the recused proposer's vote refused, and the minutes read in
both languages.
"""

import re
import shutil

import pytest
from django.test import Client

from councils import services
from fundapp.models import Role
from tests.factories import (
    make_council,
    make_funded_community,
    make_meeting,
    make_member,
    make_proposal,
    make_round,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, as tests/browser/conftest.py sets it (kept here too
    so this module runs on its own)."""
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium"),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
    }


def _page_for(browser, live_server, user, language="en"):
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )
    return context.new_page()


def _click(page, action):
    page.locator(f'button[data-action="{action}"]').first.click()


def _vote(page, choice):
    page.locator(f"form.vote button.vote-{choice}").click()


def test_a_meeting_amends_and_adopts_a_grant_in_three_browsers(browser, live_server):
    community, _keeper, _tranche = make_funded_community(amount="5000.00")
    council, chair, members = make_council(community, seats=4)
    member_a, recused, third, fourth = members
    worker = make_member(community, Role.SOCIAL_WORKER)
    proposal = make_proposal(make_round(community), status="eligible", proposer=recused)
    meeting = make_meeting(council, chair=chair)
    services.agenda_add_proposal(meeting=meeting, proposal=proposal, added_by=worker)
    keys = iter(range(1000))

    def key():
        return f"browser-{next(keys)}"

    for person in (third, fourth):
        services.meeting_check_in(meeting=meeting, member=person, idempotency_key=key())
    url = f"{live_server.url}/meetings/{meeting.pk}/"
    chair_page = _page_for(browser, live_server, chair)
    a_page = _page_for(browser, live_server, member_a)
    b_page = _page_for(browser, live_server, recused)
    for page in (chair_page, a_page, b_page):
        page.goto(url)
        _click(page, "arrive")
    _click(chair_page, "call_to_order")

    a_page.wait_for_selector("form.compose select[name=motion]")
    a_page.select_option("select[name=motion]", "main")
    a_page.fill("#motion-text", "That the council fund the night patrol")
    a_page.fill("#motion-amount", "1185")
    a_page.select_option("#motion-proposal", str(proposal.pk))
    a_page.get_by_role("button", name="Move").click()
    b_page.wait_for_selector("text=That the council fund the night patrol")
    services.motion_second(meeting=meeting, member=third, idempotency_key=key())
    _click(chair_page, "state")
    chair_page.wait_for_selector(
        "ol.pending >> text=That the council fund the night patrol"
    )

    services.motion_move(
        meeting=meeting,
        member=third,
        motion="amend",
        text="strike ¥1,185, insert ¥1,000",
        amount="1000",
        idempotency_key=key(),
    )
    a_page.wait_for_selector('button[data-action="second"]')
    _click(a_page, "second")
    chair_page.wait_for_selector('button[data-action="state"]')
    _click(chair_page, "state")
    chair_page.wait_for_selector("ol.pending >> text=strike ¥1,185, insert ¥1,000")
    services.motion_move(
        meeting=meeting,
        member=fourth,
        motion="amend",
        text="strike ¥1,000, insert ¥1,100",
        amount="1100",
        idempotency_key=key(),
    )
    services.motion_second(meeting=meeting, member=third, idempotency_key=key())
    chair_page.wait_for_selector('button[data-action="state"]')
    _click(chair_page, "state")
    chair_page.wait_for_selector("ol.pending >> text=strike ¥1,000, insert ¥1,100")

    for _question in ("secondary", "primary", "main"):
        chair_page.wait_for_selector("select#method")
        chair_page.get_by_role("button", name="Put the question").click()
        a_page.wait_for_selector("form.vote button.vote-yes")
        _vote(a_page, "yes")
        services.vote_cast(
            meeting=meeting, member=third, choice="yes", idempotency_key=key()
        )
        if _question == "main":
            b_page.wait_for_selector("form.vote button.vote-yes")
            _vote(b_page, "yes")
            b_page.wait_for_selector("text=recused")
        chair_page.wait_for_selector('button[data-action="announce"]')
        _click(chair_page, "announce")
        chair_page.wait_for_selector('button[data-action="announce"]', state="detached")

    proposal.refresh_from_db()
    assert proposal.status == "approved"
    assert str(proposal.approved_amount) == "1100.00"

    services.motion_move(
        meeting=meeting, member=third, motion="adjourn", idempotency_key=key()
    )
    services.motion_second(meeting=meeting, member=fourth, idempotency_key=key())
    services.motion_state(meeting=meeting, chair=chair, idempotency_key=key())
    services.question_put(
        meeting=meeting, chair=chair, method="voice", idempotency_key=key()
    )
    services.vote_cast(
        meeting=meeting, member=third, choice="yes", idempotency_key=key()
    )
    services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())

    minutes_url = f"{live_server.url}/meetings/{meeting.pk}/minutes/"
    chair_page.goto(minutes_url)
    english = chair_page.content()
    assert "As originally moved" in english and "¥1100" in english
    zh_page = _page_for(browser, live_server, chair, language="zh-hans")
    zh_page.goto(minutes_url)
    assert re.search(r'lang="zh-Hans"', zh_page.content())
    assert "¥1100" in zh_page.content()
