"""Business carried between meetings goes through the engine's own rules.

A motion laid on the table is taken from it at the next meeting (B1), and one
postponed or pending at adjournment comes up there as a general order, each
exactly as it was left (with its amendments), because the next meeting's log
continues the previous one's (councils/logs.py).
"""

import html
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from councils import services
from councils.live import meeting_live
from councils.minutes import minutes_build
from councils.models import AgendaItem, MeetingEvent
from councils.selectors import carries_business, meeting_outcome, unfinished_at
from fundapp.models import Role
from fundapp.services import commitment_outstanding
from tests.councils.conftest import next_key
from tests.factories import (
    make_council,
    make_funded_community,
    make_meeting,
    make_member,
    make_proposal,
    make_round,
)

pytestmark = pytest.mark.django_db


class Council:
    """A funded community's council, a social worker and a proposal."""

    def __init__(self):
        community, _keeper, _tranche = make_funded_community(amount="50000.00")
        self.council, self.chair, self.members = make_council(community, seats=5)
        self.worker = make_member(community, Role.SOCIAL_WORKER)
        self.proposal = make_proposal(make_round(community), status="eligible")

    def meeting(self, kind="regular"):
        number = self.council.meetings.count() + 1
        meeting = make_meeting(self.council, chair=self.chair, number=number, kind=kind)
        services.agenda_build(meeting=meeting, actor=self.worker)
        return meeting

    def open(self, meeting):
        for person in [self.chair, *self.members]:
            services.meeting_check_in(
                meeting=meeting, member=person, idempotency_key=next_key()
            )
        services.meeting_call_to_order(
            meeting=meeting, chair=self.chair, idempotency_key=next_key()
        )
        meeting.refresh_from_db()

    def move(self, meeting, motion, mover=0, seconder=1, **fields):
        services.motion_move(
            meeting=meeting,
            member=self.members[mover],
            motion=motion,
            idempotency_key=next_key(),
            **fields,
        )
        services.motion_second(
            meeting=meeting, member=self.members[seconder], idempotency_key=next_key()
        )
        self.state(meeting)

    def state(self, meeting):
        services.motion_state(
            meeting=meeting, chair=self.chair, idempotency_key=next_key()
        )
        meeting.refresh_from_db()

    def vote(self, meeting, choice="yes"):
        services.question_put(
            meeting=meeting,
            chair=self.chair,
            method="counted",
            idempotency_key=next_key(),
        )
        for member in self.members[:4]:
            services.vote_cast(
                meeting=meeting,
                member=member,
                choice=choice,
                idempotency_key=next_key(),
            )
        services.vote_announce(
            meeting=meeting, chair=self.chair, idempotency_key=next_key()
        )
        meeting.refresh_from_db()

    def fund_motion(self, meeting, amount=Decimal("3000.00")):
        self.move(
            meeting,
            "main",
            text=f"That the council fund {self.proposal.title}",
            proposal=self.proposal,
            amount=amount,
        )

    def adjourn(self, meeting):
        self.move(meeting, "adjourn", mover=2, seconder=3)
        self.vote(meeting)
        meeting.refresh_from_db()


@pytest.fixture
def council():
    return Council()


def _first_meeting_with_the_motion(council):
    meeting = council.meeting()
    services.agenda_add_proposal(
        meeting=meeting, proposal=council.proposal, actor=council.worker
    )
    council.open(meeting)
    council.fund_motion(meeting)
    # A primary amendment, adopted: the motion carries it to the next meeting.
    council.move(
        meeting, "amend", mover=2, seconder=3, text="", amount=Decimal("2500.00")
    )
    council.vote(meeting)
    return meeting


def test_a_motion_tabled_at_one_meeting_is_taken_from_the_table_at_the_next(council):
    first = _first_meeting_with_the_motion(council)
    council.move(first, "lay_on_table", mover=2, seconder=3)
    council.vote(first)
    council.adjourn(first)
    second = council.meeting()

    carried = AgendaItem.objects.get(meeting=second, section="unfinished")
    council.open(second)
    live = meeting_live(second, council.members[0])
    tabled = [item for item in live["carried"] if item["kind"] == "tabled"]
    assert carried.origin == "tabled"
    assert carried.proposal == council.proposal
    assert tabled and tabled[0]["may_take"]

    council.move(second, "take_from_table", applies_to=tabled[0]["id"])
    council.vote(second)
    second.refresh_from_db()
    pending = meeting_outcome(second)["pending"]
    council.vote(second)

    council.proposal.refresh_from_db()
    subjects = minutes_build(second, None)["subjects"]
    assert [(s["label"], s["text"], s["made_at"]) for s in subjects] == [
        (
            "Take from the table",
            f"That the council fund {council.proposal.title}",
            None,
        ),
        (
            "Main motion",
            f"That the council fund {council.proposal.title}",
            first.number,
        ),
    ]
    assert [question["motion"] for question in pending] == ["main"]
    assert council.proposal.status == "approved"
    assert council.proposal.approved_amount == Decimal("2500.00")
    assert second.log_from_id == first.pk
    assert second.log_offset == first.event_count + 1


def test_a_postponed_motion_comes_up_as_a_general_order_at_the_next_meeting(council):
    first = _first_meeting_with_the_motion(council)
    council.move(
        first, "postpone_definitely", mover=2, seconder=3, until="next_meeting"
    )
    council.vote(first)
    council.proposal.refresh_from_db()
    assert council.proposal.status == "postponed"
    council.adjourn(first)
    second = council.meeting()
    council.open(second)

    # With nothing pending, the chair's "state" takes up the general order.
    council.state(second)
    council.proposal.refresh_from_db()
    taken_up = council.proposal.status
    council.vote(second)

    council.proposal.refresh_from_db()
    assert taken_up == "on_agenda"
    assert council.proposal.status == "approved"
    assert council.proposal.approved_amount == Decimal("2500.00")


def test_business_pending_at_adjournment_is_the_next_meetings_and_its_minutes(
    council,
):
    first = _first_meeting_with_the_motion(council)
    council.adjourn(first)
    second = council.meeting()
    council.open(second)
    council.state(second)
    council.vote(second, choice="no")
    council.adjourn(second)

    council.proposal.refresh_from_db()
    first_minutes = minutes_build(first, None)
    second_minutes = minutes_build(second, None)
    assert council.proposal.status == "rejected"
    assert [s["disposition"] for s in first_minutes["subjects"]] == ["pending"]
    assert [s["disposition"] for s in second_minutes["subjects"]] == ["lost"]
    assert second_minutes["subjects"][0]["amount"] == "2500.00"
    assert second_minutes["subjects"][0]["made_at"] == first.number
    # The second meeting's motions are numbered in their own meeting.
    assert AgendaItem.objects.get(meeting=second, section="unfinished").origin == (
        "pending"
    )


def test_a_meeting_after_one_that_finished_its_business_starts_a_fresh_log(council):
    first = _first_meeting_with_the_motion(council)
    council.vote(first)
    council.adjourn(first)
    second = council.meeting()
    council.open(second)

    assert (second.log_from_id, second.log_offset) == (None, 0)
    assert not AgendaItem.objects.filter(meeting=second, section="unfinished")


def test_an_earlier_meeting_takes_no_event_once_a_later_one_has_begun(council):
    first = council.meeting()
    second = council.meeting()
    council.open(second)

    with pytest.raises(ValidationError, match="later meeting"):
        services.meeting_check_in(
            meeting=first, member=council.chair, idempotency_key=next_key()
        )

    assert not MeetingEvent.objects.filter(meeting=first).exists()


def test_a_grant_paid_after_the_next_meeting_began_is_recorded_in_its_log(council):
    first = _first_meeting_with_the_motion(council)
    council.vote(first)
    # Pending at adjournment, so the next meeting's log continues this one's.
    council.move(first, "main", text="That the council thank the volunteers")
    council.adjourn(first)
    second = council.meeting()
    council.open(second)
    adopted = next(
        index
        for index, decision in enumerate(meeting_outcome(first)["decisions"])
        if decision["motion"] == "main" and decision["result"] == "adopted"
    )

    row = services.decision_mark_executed(
        meeting=first, decision_index=adopted, actor=council.worker
    )
    again = services.decision_mark_executed(
        meeting=first, decision_index=adopted, actor=council.worker
    )

    assert row.meeting_id == second.pk
    assert again.pk == row.pk
    with pytest.raises(ValidationError, match="already been carried out") as refused:
        council.move(second, "rescind", applies_to=adopted)
    assert refused.value.code == "IRREVERSIBLE"


def test_only_the_next_meeting_of_a_series_gets_the_unfinished_business(council):
    first = _first_meeting_with_the_motion(council)
    council.adjourn(first)
    second = council.meeting()
    third = council.meeting()

    assert AgendaItem.objects.filter(meeting=second, section="unfinished").count() == 1
    assert not AgendaItem.objects.filter(meeting=third, section="unfinished").exists()


def _adopted_at_an_earlier_meeting(council):
    first = _first_meeting_with_the_motion(council)
    council.vote(first)
    council.adjourn(first)
    council.proposal.refresh_from_db()
    assert council.proposal.status == "approved"
    second = council.meeting()
    council.open(second)
    decisions = meeting_outcome(second)["decisions"]
    earlier = [i for i, d in enumerate(decisions) if d.get("meeting") == 0]
    return first, second, earlier


def test_a_later_meeting_rescinds_an_unpaid_grant_adopted_at_an_earlier_one(council):
    first, second, earlier = _adopted_at_an_earlier_meeting(council)
    commitment = council.proposal.commitment

    council.move(second, "rescind", applies_to=earlier[0])
    council.vote(second)

    council.proposal.refresh_from_db()
    second.refresh_from_db()
    subjects = minutes_build(second, None)["subjects"]
    assert (second.log_from_id, len(earlier)) == (None, 1)
    assert council.proposal.status == "on_agenda"
    assert council.proposal.commitment_id is None
    assert commitment_outstanding(commitment) == 0
    assert [(s["label"], s["disposition"]) for s in subjects] == [
        ("Rescind", "adopted")
    ]
    assert subjects[0]["text"] == f"That the council fund {council.proposal.title}"


def test_a_later_meeting_amends_the_amount_of_an_unpaid_grant(council):
    _first, second, earlier = _adopted_at_an_earlier_meeting(council)

    council.move(
        second,
        "amend_previously_adopted",
        applies_to=earlier[0],
        text="",
        amount=Decimal("2000.00"),
    )
    council.vote(second)

    council.proposal.refresh_from_db()
    assert council.proposal.status == "approved"
    assert council.proposal.approved_amount == Decimal("2000.00")
    assert council.proposal.commitment.amount == Decimal("2000.00")


def test_what_is_before_a_meeting_and_what_keeps_the_log_going():
    def outcome(*unfinished):
        return {"meeting": {"number": 3}, "unfinished": list(unfinished)}

    order = {"id": 1, "kind": "order", "meeting": 3}
    due_next = {"id": 2, "kind": "postponed", "meeting": 4}
    due_later = {"id": 3, "kind": "postponed", "meeting": 5}
    tabled_here = {"id": 4, "kind": "tabled", "meeting": 3, "alive_next_meeting": True}
    tabled_before = {
        "id": 5,
        "kind": "tabled",
        "meeting": 2,
        "alive_next_meeting": False,
    }
    everything = outcome(order, due_next, due_later, tabled_here, tabled_before)

    assert unfinished_at(everything, 4) == [order, due_next, tabled_here]
    assert unfinished_at(everything, 3) == [order, tabled_here, tabled_before]
    assert carries_business(outcome(due_later))
    assert not carries_business(outcome(tabled_before))


def _tabled_then_an_adjourned_meeting(council):
    """Meeting 1 (regular) lays the motion on the table and fixes the time of
    its adjourned meeting; meeting 2 (that adjourned meeting) does not take it
    up; meeting 3 is the next regular meeting, a new session."""
    first = _first_meeting_with_the_motion(council)
    council.move(first, "lay_on_table", mover=2, seconder=3)
    council.vote(first)
    council.move(first, "fix_time_to_adjourn", mover=2, seconder=3)
    council.vote(first)
    council.adjourn(first)
    second = council.meeting(kind="adjourned_regular")
    council.open(second)
    council.adjourn(second)
    third = council.meeting()
    council.open(third)
    return first, second, third


def _tabled_items(meeting, member):
    return [
        item
        for item in meeting_live(meeting, member)["carried"]
        if item["kind"] == "tabled"
    ]


def test_a_question_tabled_a_session_before_may_be_taken_from_the_table(council):
    first, _second, third = _tabled_then_an_adjourned_meeting(council)

    tabled = _tabled_items(third, council.members[0])
    council.move(third, "take_from_table", applies_to=tabled[0]["id"])
    council.vote(third)
    council.vote(third)

    council.proposal.refresh_from_db()
    assert [(item["text"], item["may_take"]) for item in tabled] == [
        (f"That the council fund {council.proposal.title}", True)
    ]
    assert third.log_from_id == first.pk
    assert council.proposal.status == "approved"


def test_the_minutes_say_the_question_was_tabled_in_an_earlier_session(client, council):
    first, _second, third = _tabled_then_an_adjourned_meeting(council)
    tabled = _tabled_items(third, council.members[0])
    council.move(third, "take_from_table", applies_to=tabled[0]["id"])
    council.vote(third)
    council.vote(third)
    client.force_login(council.members[0])

    subjects = minutes_build(third, None)["subjects"]
    with translation.override("en"):
        page = client.get(reverse("councils:minutes", args=[third.pk])).text

    assert subjects[0]["label"] == "Take from the table"
    assert subjects[0]["tabled_at"] == {
        "number": first.number,
        "date": first.scheduled_at,
        "earlier_session": True,
    }
    assert (
        f"Laid on the table at meeting {first.number} "
        f"({timezone.localtime(first.scheduled_at):%Y-%m-%d}), in an earlier session, "
        "and taken from "
        "the table at this meeting."
    ) in page


def test_the_minutes_of_the_adjourned_meeting_say_the_question_was_tabled_this_session(
    council,
):
    first = _first_meeting_with_the_motion(council)
    council.move(first, "lay_on_table", mover=2, seconder=3)
    council.vote(first)
    council.move(first, "fix_time_to_adjourn", mover=2, seconder=3)
    council.vote(first)
    council.adjourn(first)
    second = council.meeting(kind="adjourned_regular")
    council.open(second)
    tabled = _tabled_items(second, council.members[0])

    council.move(second, "take_from_table", applies_to=tabled[0]["id"])
    council.vote(second)

    subjects = minutes_build(second, None)["subjects"]
    assert subjects[0]["tabled_at"]["earlier_session"] is False


def test_a_tabled_question_not_taken_up_by_the_next_regular_session_is_not_offered(
    council,
):
    _first, _second, third = _tabled_then_an_adjourned_meeting(council)
    offered_at_the_third = _tabled_items(third, council.members[0])
    council.adjourn(third)

    fourth = council.meeting()
    council.open(fourth)
    live = meeting_live(fourth, council.members[0])

    assert [item["may_take"] for item in offered_at_the_third] == [True]
    assert live["carried"] == []
    assert "take_from_table" not in {action["motion"] for action in live["moves"]}
    assert not AgendaItem.objects.filter(meeting=fourth, section="unfinished")
    assert fourth.log_from_id is None


def test_the_live_page_offers_the_orders_of_the_day_only_with_nothing_pending(
    council,
):
    first = _first_meeting_with_the_motion(council)
    council.adjourn(first)  # the motion is a general order at the next meeting
    second = council.meeting()
    council.open(second)
    services.motion_move(
        meeting=second,
        member=council.members[2],
        motion="main",
        text="That the council thank the volunteers",
        idempotency_key=next_key(),
    )
    services.motion_second(
        meeting=second, member=council.members[3], idempotency_key=next_key()
    )
    second.refresh_from_db()
    moved_not_stated = meeting_live(second, council.members[0])["move_names"]

    council.state(second)
    stated = meeting_live(second, council.members[0])["move_names"]

    assert "orders_of_the_day" in moved_not_stated
    assert "orders_of_the_day" not in stated
    with pytest.raises(ValidationError, match="not in order at this time") as refused:
        services.motion_move(
            meeting=second,
            member=council.members[0],
            motion="orders_of_the_day",
            idempotency_key=next_key(),
        )
    assert refused.value.code == "UNTIMELY"


def test_the_section_taking_a_grant_from_the_table_does_not_read_as_its_adoption(
    client, council
):
    first, _second, third = _tabled_then_an_adjourned_meeting(council)
    tabled = _tabled_items(third, council.members[0])
    council.move(third, "take_from_table", applies_to=tabled[0]["id"])
    council.vote(third)
    council.vote(third)
    client.force_login(council.members[0])
    wording = f"That the council fund {council.proposal.title}"

    with translation.override("en"):
        page = html.unescape(
            client.get(reverse("councils:minutes", args=[third.pk])).text
        )
    client.cookies["django_language"] = "zh-hans"
    chinese = html.unescape(
        client.get(reverse("councils:minutes", args=[third.pk])).text
    )

    assert f"to take “{wording}” from the table — " in page
    assert f"“{wording}” — <strong>" not in page.split("Take from the table")[1][:400]
    assert f"恢复审议“{wording}”" in chinese
    assert "出席人员：" in chinese
    assert "出席人员:" not in chinese
    assert "</strong>。" in chinese
    assert "</strong>." not in chinese
