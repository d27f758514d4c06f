"""The demo gives JMJY its council, past meetings with minutes, and one today."""

import pytest
from django.utils import timezone

from councils import services
from councils.models import Council, Meeting, MeetingEvent, Minutes
from councils.selectors import meeting_outcome
from fundapp.demo import load_demo
from fundapp.models import User
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_council_and_is_idempotent():
    load_demo()
    events = MeetingEvent.objects.count()

    load_demo()

    council = Council.objects.get(community__code="JMJY")
    assert council.terms.count() == 2
    assert council.terms.get(name="第二届居民议事会").seats.count() == 23
    assert MeetingEvent.objects.count() == events > 0
    assert Minutes.objects.filter(status="approved").count() == 2
    assert Meeting.objects.filter(
        council=council, scheduled_at__date=timezone.localdate()
    ).exists()


def test_the_demo_meetings_decide_the_programs_of_the_proposals_demo():
    load_demo()

    mutual_aid = Proposal.objects.get(title="邻里互助金 (Mutual Aid)")
    initiator = Proposal.objects.get(title="环保倡导者 (Environmental Initiator)")
    assert mutual_aid.status == "approved"
    assert str(mutual_aid.approved_amount) == "36000.00"
    assert mutual_aid.commitment_id is not None
    assert mutual_aid.decision_reference == "JMJY-1#19"
    assert initiator.status == "rejected"


def test_a_newcomer_can_run_a_motion_at_todays_meeting_as_chair_and_member():
    load_demo()
    today = Meeting.objects.get(
        council__community__code="JMJY", scheduled_at__date=timezone.localdate()
    )
    chair = User.objects.get(username="coordinator")
    member = User.objects.get(username="councillor")
    seconder = User.objects.get(username="jmjy_council01")
    knitting = Proposal.objects.get(title="编织义卖 (Knitting)")
    assert today.chair == chair
    assert knitting.status == "on_agenda"
    assert today.agenda_items.filter(proposal_pk=knitting.pk).exists()

    for person in (chair, member, seconder):
        services.meeting_check_in(
            meeting=today, member=person, idempotency_key=f"t-{person.pk}"
        )
    services.meeting_call_to_order(meeting=today, chair=chair, idempotency_key="t-c")
    services.motion_move(
        meeting=today,
        member=member,
        motion="main",
        text="资助编织义卖",
        proposal_pk=knitting.pk,
        amount="2820",
        idempotency_key="t-m",
    )
    services.motion_second(meeting=today, member=seconder, idempotency_key="t-s")
    services.motion_state(meeting=today, chair=chair, idempotency_key="t-st")
    today.refresh_from_db()

    outcome = meeting_outcome(today)
    assert outcome["meeting"]["state"] == "IN_SESSION"
    assert [q["motion"] for q in outcome["pending"]] == ["main"]
