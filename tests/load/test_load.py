"""`make load`'s own parts, without locust: the setup, the record, the checker.

A run itself takes minutes and the whole machine; these keep its setup and its
checker working as the apps change (tests/load/run.py runs them for real).
"""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from councils import services as council_services
from proposals import services as proposal_services
from proposals.models import Proposal
from tests.load import check, records, run, setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec():
    return setup.prepare(residents=4, councillors=3, proposals=2, tag="t1")


def _user(phone):
    from fundapp.models import User

    return User.objects.get(phone=phone)


def _vote_on_one_question(spec, voters):
    from councils.models import Meeting

    meeting = Meeting.objects.get(pk=spec["meeting"])
    chair = _user(spec["chair"]["phone"])
    members = [_user(person["phone"]) for person in spec["councillors"]]

    def act(actor, action, key, **fields):
        council_services.meeting_act(
            meeting=meeting,
            actor=actor,
            action=action,
            idempotency_key=f"load-test-{key}",
            **fields,
        )

    act(members[0], "move", "move", motion="main", text="Light the stairs")
    act(members[1], "second", "second")
    act(chair, "state", "state")
    act(chair, "put_question", "put", method="counted")
    for number, member in enumerate(members[:voters]):
        act(member, "vote", f"vote-{number}", choice="yes")
    return members


def _supported_and_commented(spec):
    resident = spec["residents"][3]
    proposal = Proposal.objects.get(pk=spec["proposals"][0]["pk"])
    proposal_services.proposal_support(
        proposal=proposal, actor=_user(resident["phone"])
    )
    proposal_services.comment_add(
        proposal=proposal, actor=_user(resident["phone"]), body="load-t1-x-1 Good."
    )
    return resident["phone"], proposal.pk


def test_the_setup_makes_signed_in_people_and_an_open_meeting(spec, client):
    from councils.models import Meeting

    client.cookies["sessionid"] = spec["residents"][0]["session"]

    response = client.get(f"/proposals/{spec['proposals'][0]['pk']}/")

    assert response.status_code == 200
    assert response.wsgi_request.user.phone == spec["residents"][0]["phone"]
    assert len(spec["councillors"]) == 3
    assert (
        Meeting.objects.get(pk=spec["meeting"])
        .events.filter(type="call_to_order")
        .exists()
    )
    assert all(
        Proposal.objects.get(pk=p["pk"]).status in Proposal.OPEN_FOR_SUPPORT
        for p in spec["proposals"]
    )


def test_the_setup_run_twice_finds_its_people_again(spec):
    again = setup.prepare(residents=4, councillors=3, proposals=2, tag="t2")

    assert [p["pk"] for p in again["residents"]] == [p["pk"] for p in spec["residents"]]
    assert [p["pk"] for p in again["proposals"]] == [p["pk"] for p in spec["proposals"]]


def test_every_confirmed_action_found_once_passes_the_check(spec):
    phone, proposal = _supported_and_commented(spec)
    members = _vote_on_one_question(spec, voters=3)
    actions = [
        {"kind": "support", "resident": phone, "proposal": proposal},
        {
            "kind": "comment",
            "resident": phone,
            "proposal": proposal,
            "token": "load-t1-x-1",
        },
        *({"kind": "vote", "member": m.phone, "question": 1} for m in members),
    ]

    rows = {row["what"]: row for row in check.check(spec, actions)}

    assert rows["supports"]["problems"] == []
    assert rows["comments"]["problems"] == []
    assert rows["votes"]["problems"] == []
    assert rows["votes"]["stored"] == 3
    assert rows["reports made"]["problems"] == [
        "0 reports seen made by the social worker",
        "0 versions requested, 0 made (none)",
    ]


def test_an_action_saved_but_never_confirmed_fails_the_check(spec):
    _supported_and_commented(spec)
    members = _vote_on_one_question(spec, voters=2)
    actions = [{"kind": "vote", "member": members[0].phone, "question": 1}]

    rows = {row["what"]: row for row in check.check(spec, actions)}

    assert rows["supports"]["problems"] == [
        "1 in the database but never confirmed, e.g. "
        f"[('{spec['residents'][3]['phone']}', {spec['proposals'][0]['pk']})]"
    ]
    assert rows["comments"]["problems"][0].startswith("1 in the database but never")
    assert rows["votes"]["problems"][0].startswith("1 in the database but never")


def test_a_confirmed_action_missing_from_the_database_fails_the_check(spec):
    actions = [{"kind": "support", "resident": "13700770009", "proposal": 1}]

    rows = {row["what"]: row for row in check.check(spec, actions)}

    assert rows["supports"]["problems"] == [
        "1 confirmed but not in the database, e.g. [('13700770009', 1)]"
    ]


def test_the_message_levels_are_read_from_djangos_messages_cookie():
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    messages = [
        Message(constants.SUCCESS, "谢谢：你支持了这个提议。" * 10),
        Message(constants.ERROR, "Refused"),
    ]

    encoded = storage._encode(messages)

    assert records.message_levels(encoded) == [constants.SUCCESS, constants.ERROR]
    assert records.message_levels(None) == []


def test_the_summary_gives_each_kind_and_all_their_percentiles():
    timings = [("browse: fund page", float(ms), False) for ms in range(1, 101)]
    timings.append(("vote: POST", 500.0, True))

    found = records.summarise(timings)

    assert found["browse"] == {
        "requests": 100,
        "errors": 0,
        "p50": 50.0,
        "p95": 95.0,
        "p99": 99.0,
        "max": 100.0,
    }
    assert found["all"]["requests"] == 101
    assert found["all"]["errors"] == 1
    assert found["vote"]["p99"] == 500.0


def test_the_run_time_is_read_as_locust_reads_it():
    assert [run.parse_seconds(text) for text in ("45", "30s", "5m", "1m30s")] == [
        45,
        30,
        300,
        90,
    ]


# Committed for real: the versions move when an event commits, before the
# view reads the version its answer shows (no request-wide transaction).
@pytest.mark.django_db(transaction=True)
def test_after_a_vote_the_next_poll_with_the_version_shown_is_unchanged(spec, client):
    """The members poll with the version the fragment they are shown carries,
    as the browser does: the meeting page's, then each action's answer's (its
    fragment replaces the page's), so a poll after one's own vote is a 204."""
    member = spec["councillors"][0]
    meeting = spec["meeting"]
    client.cookies["sessionid"] = member["session"]
    page = client.get(f"/meetings/{meeting}/").content.decode()
    shown = records.shown_version(page)
    poll = {"HTTP_HX_REQUEST": "true"}

    assert shown
    assert (
        client.get(
            f"/meetings/{meeting}/live/", HTTP_IF_NONE_MATCH=shown, **poll
        ).status_code
        == 204
    )

    _vote_on_one_question(spec, voters=0)
    page = client.get(f"/meetings/{meeting}/").content.decode()
    key = re.search(r"f[0-9a-f]{16}\.[0-9a-f]{24}", page).group(0)
    answer = client.post(
        f"/meetings/{meeting}/act/",
        {"action": "vote", "idempotency_key": f"{key}-1", "choice": "yes"},
        **poll,
    )
    after_vote = records.shown_version(answer.content.decode())

    assert answer.status_code == 200 and 'role="alert"' not in answer.content.decode()
    assert after_vote and after_vote != shown
    poll_after = client.get(
        f"/meetings/{meeting}/live/", HTTP_IF_NONE_MATCH=after_vote, **poll
    )
    assert poll_after.status_code == 204
