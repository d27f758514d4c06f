"""A council meeting in three browsers: the chair and two members.

A main motion to fund a proposal, a primary and a secondary amendment, votes
from the page, the recused proposer offered no vote and told why in words,
and the minutes read in English and in Chinese through the header's language
switch.

Everything is set up before the first page loads. From then on the test
thread never touches the ORM until the browsers are closed: pytest-django's
live server shares the test's in-memory SQLite connection with its thread, so
a write from the test thread while a poll is reading gives "database table is
locked". The two councillors without a browser act over HTTP, through the
same endpoint the page posts to, like a phone would.
"""

import re
import secrets
import urllib.parse
import urllib.request

import pytest
from django.test import Client
from playwright.sync_api import expect

from councils import services
from fundapp.models import Role
from proposals.models import Proposal
from tests.factories import (
    action_key,
    make_council,
    make_funded_community,
    make_meeting,
    make_member,
    make_proposal,
    make_round,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAIN = "That the council fund the night patrol"
PRIMARY = "strike ¥1,185, insert ¥1,000"
SECONDARY = "strike ¥1,000, insert ¥1,100"


def _session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
def contexts(browser):
    """Browser contexts closed at the end, so no poll outlives the test."""
    opened = []

    def new_context():
        context = browser.new_context()
        opened.append(context)
        return context

    yield new_context
    for context in opened:
        context.close()


def _page_for(new_context, live_server, session):
    context = new_context()
    context.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


class Phone:
    """A councillor acting over plain HTTP, as the live page's forms post."""

    def __init__(self, live_server, meeting, member, session: str):
        self.url = f"{live_server.url}/meetings/{meeting.pk}/act/"
        # The key the live page issues this member (one per action here).
        self.key = action_key(member, meeting)
        self.csrf = secrets.token_hex(16)  # a 32-character unmasked secret
        self.cookie = f"sessionid={session}; csrftoken={self.csrf}; django_language=en"
        self.count = 0

    def act(self, action: str, **fields) -> None:
        self.count += 1
        data = {
            "action": action,
            "idempotency_key": f"{self.key}-{self.count}",
            "csrfmiddlewaretoken": self.csrf,
            **fields,
        }
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode(data).encode(),
            headers={"Cookie": self.cookie, "HX-Request": "true"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            body = response.read().decode()
        refused = re.search(r'role="alert"[^>]*>([^<]*)<', body)
        assert refused is None, f"{action} refused: {refused.group(1)}"


def _posted(page, locator, *, refused: str | None = None) -> None:
    """Click, and wait for the action's response to land on the page."""
    with page.expect_response(lambda r: r.url.endswith("/act/")) as response:
        locator.click()
    assert response.value.ok
    message = page.locator("#live-message")
    if refused is None:
        expect(message).to_be_empty()
    else:
        expect(message.get_by_role("alert")).to_contain_text(refused)


def _click(page, action):
    _posted(page, page.locator(f'button[data-action="{action}"]').first)


def _move(page, motion, text="", amount=""):
    """Open the motion's button in the console, fill its short form, move it."""
    entry = page.locator(f"#move-{motion}")
    if not entry.evaluate("details => details.open"):
        entry.locator("summary").click()
    if text:
        page.fill(f"#move-{motion}-text", text)
    if amount:
        page.fill(f"#move-{motion}-amount", amount)
    _posted(page, entry.locator("button[type=submit]"))


def _pending(page):
    return page.locator("ol.pending")


def _take_the_vote(chair_page, a_page, third, *, recused_page=None):
    _posted(chair_page, chair_page.get_by_role("button", name="Put the question"))
    _posted(a_page, a_page.locator("form.vote button.vote-yes"))
    third.act("vote", choice="yes")
    if recused_page is not None:
        # The recused member is not offered the vote, and is told why.
        expect(recused_page.get_by_test_id("recused-now")).to_be_visible()
        expect(recused_page.locator("form.vote button.vote-yes")).to_have_count(0)
    _click(chair_page, "announce")
    expect(chair_page.locator('button[data-action="announce"]')).to_have_count(0)


def test_a_meeting_amends_and_adopts_a_grant_in_three_browsers(contexts, live_server):
    community, _keeper, _tranche = make_funded_community(amount="5000.00")
    council, chair, members = make_council(community, seats=4)
    member_a, recused, third_member, fourth_member = members
    worker = make_member(community, Role.SOCIAL_WORKER)
    proposal = make_proposal(make_round(community), status="eligible", proposer=recused)
    meeting = make_meeting(council, chair=chair)
    services.agenda_add_proposal(meeting=meeting, proposal=proposal, actor=worker)
    sessions = {
        user.pk: _session_of(user)
        for user in (chair, member_a, recused, third_member, fourth_member)
    }
    meeting_url = f"{live_server.url}/meetings/{meeting.pk}/"
    minutes_url = f"{meeting_url}minutes/"
    proposal_pk = proposal.pk
    # From here on: only HTTP (see the module docstring).

    chair_page = _page_for(contexts, live_server, sessions[chair.pk])
    a_page = _page_for(contexts, live_server, sessions[member_a.pk])
    b_page = _page_for(contexts, live_server, sessions[recused.pk])
    third = Phone(live_server, meeting, third_member, sessions[third_member.pk])
    fourth = Phone(live_server, meeting, fourth_member, sessions[fourth_member.pk])
    for page in (chair_page, a_page, b_page):
        page.goto(meeting_url)
        _click(page, "arrive")
    expect(b_page.locator(".notice")).to_contain_text("recused")
    third.act("arrive")
    fourth.act("arrive")
    _click(chair_page, "call_to_order")
    expect(chair_page.locator(".status")).to_contain_text("5 present of 5")

    # The main motion, moved on member A's page.
    a_page.locator("#move-main summary").click()
    expect(a_page.locator("#move-main-proposal")).to_have_value(str(proposal_pk))
    _move(a_page, "main", MAIN, "1185")
    expect(b_page.locator(".awaiting")).to_contain_text(MAIN)
    third.act("second")
    _click(chair_page, "state")
    expect(_pending(chair_page)).to_contain_text(MAIN)
    expect(_pending(b_page)).to_contain_text(MAIN)

    # A primary amendment from a phone, seconded on member A's page.
    third.act("move", motion="amend", text=PRIMARY, amount="1000")
    _click(a_page, "second")
    _click(chair_page, "state")
    expect(_pending(chair_page)).to_contain_text(PRIMARY)

    # A secondary amendment moved on member A's page.
    _move(a_page, "amend", SECONDARY, "1100")
    expect(chair_page.locator(".awaiting")).to_contain_text(SECONDARY)
    fourth.act("second")
    _click(chair_page, "state")
    expect(_pending(chair_page)).to_contain_text(SECONDARY)
    expect(_pending(chair_page).locator("li")).to_have_count(3)

    # Secondary, then primary, then the main motion as amended.
    _take_the_vote(chair_page, a_page, third)
    expect(_pending(chair_page).locator("li")).to_have_count(2)
    _take_the_vote(chair_page, a_page, third)
    expect(_pending(chair_page).locator("li")).to_have_count(1)
    expect(_pending(chair_page)).to_contain_text("¥1,100.00")
    _take_the_vote(chair_page, a_page, third, recused_page=b_page)
    expect(chair_page.locator(".decision")).to_contain_text("adopted")
    expect(chair_page.locator(".decision")).to_contain_text("2–0")

    # Adjourn, so the minutes are complete.
    _move(a_page, "adjourn")
    fourth.act("second")
    _click(chair_page, "state")
    _take_the_vote(chair_page, a_page, third)
    expect(chair_page.locator(".status")).to_contain_text("adjourned")

    # The minutes, in English and then in Chinese through the header switch.
    chair_page.goto(minutes_url)
    minutes = chair_page.locator("article.minutes")
    expect(minutes).to_contain_text(MAIN)
    expect(minutes).to_contain_text("As originally moved")
    expect(minutes).to_contain_text("¥1,185.00")
    expect(minutes).to_contain_text("¥1,100.00")
    expect(minutes).to_contain_text("The meeting adjourned at")
    expect(chair_page.locator("html")).to_have_attribute("lang", "en")
    chair_page.get_by_role("button", name="中文").click()
    expect(chair_page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(chair_page.get_by_role("button", name="English")).to_be_visible()
    expect(chair_page.locator("article.minutes")).to_contain_text("¥1,100.00")
    expect(chair_page.locator("article.minutes")).to_contain_text(MAIN)
    chair_page.get_by_role("button", name="English").click()
    expect(chair_page.locator("html")).to_have_attribute("lang", "en")
    expect(chair_page.locator("article.minutes")).to_contain_text("adjourned")

    for page in (chair_page, a_page, b_page):
        page.context.close()

    proposal = Proposal.objects.get(pk=proposal_pk)
    assert proposal.status == "approved"
    assert str(proposal.approved_amount) == "1100.00"
    refused = [
        row.payload
        for row in meeting.events.filter(type="vote")
        if row.payload["member"] == str(recused.pk)
    ]
    assert refused == []
