"""XWJ's residents' conference decides a proposal on phones: the chair and two
representatives adopt the grant; a third representative declares an interest
from a phone-sized page beforehand and is refused a vote, in words.

As in test_council_meeting.py, everything the test writes is written before
the first page loads; the representatives without a page act over HTTP,
through the endpoint the live page posts to.
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
    make_community,
    make_council,
    make_member,
    make_proposal,
    make_round,
    make_tranche,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


class Representative:
    """A representative acting over plain HTTP, as the live page's forms post."""

    def __init__(self, live_server, meeting, member):
        self.url = f"{live_server.url}/meetings/{meeting.pk}/act/"
        self.key = action_key(member, meeting)
        self.csrf = secrets.token_hex(16)
        self.cookie = (
            f"sessionid={_session_of(member)}; csrftoken={self.csrf}; "
            "django_language=zh-hans"
        )
        self.count = 0

    def act(self, action: str, **fields) -> str | None:
        """Post the action; the refusal's words, if refused."""
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
        return refused.group(1).strip() if refused else None


def test_the_conference_decides_and_a_representative_with_an_interest_cannot_vote(
    phone, live_server
):
    community = make_community(code="XWJT", name="XWJ社区", name_en="XWJ Community")
    keeper = make_member(community, Role.FUND_COMMITTEE)
    make_tranche(community.fund, amount="50000.00", recorded_by=keeper)
    conference, chair, representatives = make_council(
        community,
        seats=3,
        kind="residents_conference",
        name="XWJ社区居民会议",
        name_en="XWJ Community Residents' Conference",
    )
    first, second, interested = representatives
    worker = make_member(community, Role.SOCIAL_WORKER)
    proposal = make_proposal(make_round(community), status="eligible")
    meeting = services.meeting_schedule(
        council=conference,
        actor=worker,
        scheduled_at=proposal.submitted_at,
        place="XWJ社区活动中心",
        chair=chair,
        secretary=worker,
    )
    services.agenda_add_proposal(meeting=meeting, proposal=proposal, actor=worker)
    people = {
        person: Representative(live_server, meeting, person)
        for person in (chair, first, second, interested)
    }
    phone.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": _session_of(interested),
                "url": live_server.url,
            },
            {"name": "django_language", "value": "zh-hans", "url": live_server.url},
        ]
    )

    # The representative finds the conference, named by its kind, and
    # declares an interest in the proposal before the meeting, on a phone.
    phone.goto(f"{live_server.url}/c/{community.code}/council/")
    expect(phone.locator("h1")).to_have_text("XWJ社区居民会议")
    expect(phone.get_by_test_id("council-kind")).to_have_text("居民会议")
    phone.get_by_role("link", name="声明利益关系").click()
    phone.get_by_label("提案").select_option(str(proposal.pk))
    phone.get_by_label("你的利益关系（选填）").fill("我的儿子在项目团队里")
    width = phone.evaluate("document.documentElement.scrollWidth")
    phone.get_by_role("button", name="声明利益关系").click()
    expect(phone.get_by_text("已记录你声明的利益关系")).to_be_visible()

    # The chair and two representatives decide; the third is refused a second
    # and a vote, in words (the live console's buttons are tested with it).
    for person in (chair, first, second, interested):
        assert people[person].act("arrive") is None
    assert people[chair].act("call_to_order") is None
    assert (
        people[first].act(
            "move",
            motion="main",
            text="资助此提案 Fund it as requested",
            amount="1185.00",
            proposal=str(proposal.pk),
        )
        is None
    )
    refused_second = people[interested].act("second")
    assert people[second].act("second") is None
    assert people[chair].act("state") is None
    assert people[chair].act("put_question", method="counted") is None
    assert people[first].act("vote", choice="yes") is None
    assert people[second].act("vote", choice="yes") is None
    refused_vote = people[interested].act("vote", choice="yes")
    assert people[chair].act("announce") is None
    phone.context.close()

    proposal.refresh_from_db()
    assert width <= 390
    assert refused_second is not None and "回避" in refused_second
    assert refused_vote is not None and "回避" in refused_vote
    assert proposal.status == Proposal.Status.APPROVED
    assert meeting.events.filter(type="declare_interest").count() == 1
