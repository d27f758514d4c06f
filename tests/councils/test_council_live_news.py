"""The live page's updates: what changed is said once, the fragment alone is
a page, the state shown is the engine's (issue 15, issue 12 §2)."""

import re

import pytest
from django.urls import reverse

from councils import services
from councils.live import meeting_news, motion_phase

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _news(html: str) -> dict[str, str]:
    news = re.search(r'<ul hidden class="news">(.*?)</ul>', html, re.S).group(1)
    return dict(re.findall(r'<li data-key="([^"]+)">([^<]*)</li>', news))


def test_the_fragment_opened_alone_is_a_page_with_language_and_title(
    client, in_session
):
    meeting, chair, members = in_session
    client.force_login(members[0])
    client.cookies["django_language"] = "en"

    alone = client.get(reverse("councils:live", args=[meeting.pk]))
    for_htmx = client.get(reverse("councils:live", args=[meeting.pk]), headers=HTMX)

    assert '<html lang="en">' in alone.text
    assert f"<title>Meeting {meeting.number} · Linli</title>" in alone.text
    assert "<html" not in for_htmx.text
    assert 'class="council-live"' in for_htmx.text
    assert "HX-Request" in alone["Vary"]


def test_the_fragment_alone_speaks_chinese_to_a_chinese_reader(client, in_session):
    meeting, chair, members = in_session
    client.force_login(members[0])
    client.cookies["django_language"] = "zh-hans"

    alone = client.get(reverse("councils:live", args=[meeting.pk]))

    assert '<html lang="zh-Hans">' in alone.text
    assert f"<title>第 {meeting.number} 次会议 · 邻里</title>" in alone.text


def test_a_seconded_motion_reads_seconded_before_the_chair_states_it(
    client, in_session, key
):
    meeting, chair, members = in_session
    services.motion_move(
        meeting=meeting,
        member=members[0],
        motion="main",
        text="Buy chairs",
        idempotency_key=key(),
    )
    client.force_login(members[2])
    client.cookies["django_language"] = "en"
    url = reverse("councils:live", args=[meeting.pk])

    moved = client.get(url, headers=HTMX).text
    services.motion_second(meeting=meeting, member=members[1], idempotency_key=key())
    seconded = client.get(url, headers=HTMX).text

    assert "moved, awaiting a second" in moved
    assert "seconded, awaiting the chair" in seconded
    assert "Motion seconded: Main motion" in _news(seconded).values()
    assert "Motion seconded: Main motion" not in _news(moved).values()


def test_each_change_has_its_own_key_so_it_is_said_once():
    outcome = {
        "meeting": {"state": "IN_SESSION", "number": 1},
        "motions": {
            1: {"motion": "main", "state": "VOTING", "seconder": "2", "meeting": 1},
            2: {"motion": "amend", "state": "ADOPTED", "seconder": "3", "meeting": 1},
        },
    }
    decision = {"index": 0, "result": "adopted", "yes": 14, "no": 3, "label": "Amend"}

    news = dict(meeting_news(outcome, decision))

    assert news["m1:voting"] == "Voting is open: Main motion"
    assert news["d0"] == "Adopted 14–3: Amend"
    assert "s1:IN_SESSION" in news
    assert not any(key.startswith("m2") for key in news)


@pytest.mark.parametrize(
    ("state", "seconder", "phase"),
    [
        ("MOVED", None, "moved"),
        ("MOVED", "2", "seconded"),
        ("PENDING", "2", "stated"),
        ("VOTING", "2", "voting"),
        ("ADOPTED", "2", "decided"),
        ("LOST", "2", "decided"),
    ],
)
def test_the_phase_shown_is_the_engines_state(state, seconder, phase):
    assert motion_phase({"state": state, "seconder": seconder}) == phase


def test_leaving_is_a_separate_control_that_asks_first(client, in_session):
    meeting, chair, members = in_session
    client.force_login(members[0])
    client.cookies["django_language"] = "en"

    html = client.get(reverse("councils:live", args=[meeting.pk]), headers=HTMX).text

    actions = re.search(r'<div class="actions">(.*?)</div>', html, re.S).group(1)
    assert 'data-action="leave"' not in actions
    leave = re.search(r'<details class="leave">(.*?)</details>', html, re.S).group(1)
    assert "<summary>Leave the meeting</summary>" in leave
    assert 'data-action="leave">Yes, leave the meeting</button>' in leave


def test_after_adjournment_the_page_offers_only_the_minutes(client, in_session, key):
    meeting, chair, members = in_session
    services.motion_move(
        meeting=meeting, member=members[0], motion="adjourn", idempotency_key=key()
    )
    services.motion_second(meeting=meeting, member=members[1], idempotency_key=key())
    services.meeting_act(
        meeting=meeting, actor=chair, action="state", idempotency_key=key()
    )
    services.meeting_act(
        meeting=meeting,
        actor=chair,
        action="put_question",
        idempotency_key=key(),
        method="voice",
    )
    for member in members:
        services.meeting_act(
            meeting=meeting,
            actor=member,
            action="vote",
            idempotency_key=key(),
            choice="yes",
        )
    services.meeting_act(
        meeting=meeting, actor=chair, action="announce", idempotency_key=key()
    )
    client.force_login(members[0])
    client.cookies["django_language"] = "en"

    html = client.get(reverse("councils:live", args=[meeting.pk]), headers=HTMX).text

    assert "Read the minutes" in html
    assert "<form" not in html
