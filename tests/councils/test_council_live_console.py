"""The member's console on the live page: the motions in order now, each with
only its fields and the wording the meeting knows (issue 12 §2)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from councils import services
from councils.live import meeting_live
from councils.models import MeetingEvent
from fundapp.models import Role
from tests.factories import action_key, make_member, make_proposal, make_round

pytestmark = pytest.mark.django_db


def _adopt(meeting, chair, members, key, move_and_state, text):
    move_and_state(meeting, chair, members[0], members[1], motion="main", text=text)
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


def _menu(meeting, person) -> dict[str, dict]:
    meeting.refresh_from_db()
    return {entry["motion"]: entry for entry in meeting_live(meeting, person)["menu"]}


def test_each_earlier_decision_is_listed_once_by_its_wording(
    in_session, key, move_and_state
):
    meeting, chair, members = in_session
    _adopt(meeting, chair, members, key, move_and_state, "Buy chairs")
    _adopt(meeting, chair, members, key, move_and_state, "Paint the hall")

    menu = _menu(meeting, members[2])
    entries = [entry["motion"] for entry in meeting_live(meeting, members[2])["menu"]]

    assert entries.count("rescind") == 1
    labels = [target["label"] for target in menu["rescind"]["targets"]]
    assert len(labels) == 2
    assert any("Buy chairs" in label for label in labels)
    assert any("Paint the hall" in label for label in labels)
    assert "previous_notice" in menu["rescind"]["fields"]


def test_an_amendment_starts_from_the_wording_and_amount_it_amends(
    in_session, key, move_and_state
):
    meeting, chair, members = in_session
    move_and_state(
        meeting, chair, members[0], members[1], motion="main", text="Buy chairs"
    )

    menu = _menu(meeting, members[2])

    assert menu["amend"]["prefill"]["new_text"] == "Buy chairs"
    assert "new_text" in menu["amend"]["fields"]
    assert [name for name in menu][:2] == ["amend", "refer"]


def test_a_main_motion_starts_from_the_next_proposal_and_what_it_asks_now(
    in_session,
):
    meeting, chair, members = in_session
    community = meeting.council.community
    worker = make_member(community, Role.SOCIAL_WORKER)
    proposal = make_proposal(make_round(community), status="eligible")
    services.agenda_add_proposal(meeting=meeting, proposal=proposal, actor=worker)

    main = _menu(meeting, members[0])["main"]

    assert main["prefill"]["proposal"] == proposal.pk
    assert main["prefill"]["amount"] == proposal.requested_amount
    assert proposal.title in main["prefill"]["text"]


def test_the_council_is_warned_when_a_grant_exceeds_what_the_proposal_asks(
    client, in_session, move_and_state
):
    meeting, chair, members = in_session
    community = meeting.council.community
    worker = make_member(community, Role.SOCIAL_WORKER)
    proposal = make_proposal(make_round(community), status="eligible")
    services.agenda_add_proposal(meeting=meeting, proposal=proposal, actor=worker)
    more = proposal.requested_amount + Decimal("200.00")
    move_and_state(
        meeting,
        chair,
        members[0],
        members[1],
        motion="main",
        text="Fund it",
        proposal=proposal,
        amount=more,
    )
    client.force_login(chair)
    client.cookies["django_language"] = "en"

    html = client.get(
        reverse("councils:live", args=[meeting.pk]), headers={"HX-Request": "true"}
    ).text

    assert "more than the proposal now asks" in html
    assert 'data-action="state"' not in html  # stated; the chair may put it


def _post(client, meeting, member, **fields):
    client.force_login(member)
    return client.post(
        reverse("councils:act", args=[meeting.pk]),
        {"idempotency_key": action_key(member, meeting), **fields},
        headers={"HX-Request": "true"},
    )


def _last_event(meeting) -> dict:
    return MeetingEvent.objects.filter(meeting=meeting).order_by("-sequence")[0].payload


def test_a_member_orders_a_method_of_voting_from_its_short_form(
    client, in_session, move_and_state
):
    meeting, chair, members = in_session
    move_and_state(meeting, chair, members[0], members[1], motion="main", text="Buy")
    menu = _menu(meeting, members[2])
    assert [value for value, _label in menu["voting_method"]["methods"]] == [
        "counted",
        "roll_call",
        "ballot",
    ]

    response = _post(
        client,
        meeting,
        members[2],
        action="move",
        motion="voting_method",
        method="ballot",
    )

    assert 'role="alert"' not in response.text
    assert _last_event(meeting)["method"] == "ballot"


def test_an_amendment_carries_the_whole_new_wording(client, in_session, move_and_state):
    meeting, chair, members = in_session
    move_and_state(meeting, chair, members[0], members[1], motion="main", text="Buy")

    _post(
        client,
        meeting,
        members[2],
        action="move",
        motion="amend",
        text="insert “ten chairs”",
        new_text="Buy ten chairs",
    )

    event = _last_event(meeting)
    assert (event["motion"], event["new_text"]) == ("amend", "Buy ten chairs")


def test_a_division_carries_an_amount_per_part(client, in_session, move_and_state):
    meeting, chair, members = in_session
    move_and_state(
        meeting,
        chair,
        members[0],
        members[1],
        motion="main",
        text="Buy chairs and paint",
        amount=Decimal("300.00"),
    )

    _post(
        client,
        meeting,
        members[2],
        action="move",
        motion="division_of_question",
        parts="Buy chairs\nPaint",
        amounts="100\n200",
    )

    event = _last_event(meeting)
    assert (event["parts"], event["amounts"]) == (
        ["Buy chairs", "Paint"],
        ["100.00", "200.00"],
    )


def test_the_time_of_a_postponement_is_offered_only_on_a_postponement(
    in_session, key, move_and_state
):
    meeting, chair, members = in_session
    move_and_state(meeting, chair, members[0], members[1], motion="main", text="Buy")
    before = _menu(meeting, members[2])["amend"]["fields"]
    move_and_state(
        meeting,
        chair,
        members[0],
        members[1],
        motion="postpone_definitely",
        until="next_meeting",
    )

    on_postponement = _menu(meeting, members[2])["amend"]

    assert "until" not in before
    assert "until" in on_postponement["fields"]
    assert on_postponement["prefill"]["until"] == "next_meeting"


def test_amending_an_adopted_decision_starts_from_each_decisions_wording(
    client, in_session, key, move_and_state
):
    meeting, chair, members = in_session
    _adopt(meeting, chair, members, key, move_and_state, "Buy chairs")
    _adopt(meeting, chair, members, key, move_and_state, "Paint the hall")
    client.force_login(members[2])

    html = client.get(
        reverse("councils:live", args=[meeting.pk]), headers={"HX-Request": "true"}
    ).text

    form = html[html.index('id="move-amend_previously_adopted"') :]
    form = form[: form.index("</details>")]
    assert 'data-wording="Buy chairs"' in form
    assert 'data-wording="Paint the hall"' in form
    assert 'value="Buy chairs"' in form  # the first one's, until another is chosen


def test_a_postponement_may_be_to_later_in_this_meeting_or_to_the_next(
    client, in_session, move_and_state
):
    """Robert's Rules allow a certain time up to the next regular meeting."""
    meeting, chair, members = in_session
    move_and_state(meeting, chair, members[0], members[1], motion="main", text="Buy")
    client.force_login(members[2])
    client.cookies["django_language"] = "en"
    page = client.get(reverse("councils:live", args=[meeting.pk])).text

    response = _post(
        client,
        meeting,
        members[2],
        action="move",
        motion="postpone_definitely",
        until="1",
    )

    assert '<option value="next_meeting">the next meeting</option>' in page
    assert '<option value="1">later in this meeting</option>' in page
    assert 'role="alert"' not in response.text
    assert _last_event(meeting)["until"] == 1
