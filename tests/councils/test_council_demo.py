"""The demo gives JMJY its council, past meetings with minutes, and one today;
and XWJ its residents' conference, which decided XWJ's programs in 2015."""

import datetime
import html
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from councils import services
from councils.models import Attendance, Council, Meeting, MeetingEvent, Minutes, Vote
from councils.selectors import meeting_outcome
from fundapp import clock
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
    assert (
        Minutes.objects.filter(meeting__council=council, status="approved").count() == 2
    )
    assert Meeting.objects.filter(
        council=council, scheduled_at__date=timezone.localdate()
    ).exists()


def test_the_demo_meetings_decide_the_programs_of_the_proposals_demo():
    load_demo()

    mutual_aid = Proposal.objects.get(title="邻里互助金 (Mutual Aid)")
    knitting = Proposal.objects.get(title="编织义卖 (Knitting)")
    # The projects' demo delivers what the meetings granted.
    assert mutual_aid.status == "completed"
    assert str(mutual_aid.approved_amount) == "36000.00"
    assert mutual_aid.commitment_id is not None
    assert mutual_aid.decision_reference.startswith("JMJY-2#")
    assert knitting.decision_reference.startswith("JMJY-3#")
    assert knitting.commitment_id is not None


def test_jmjy_decides_and_commits_each_program_in_its_own_year_before_paying_it():
    """The story of 2014–2016: a decision at its meeting, the money committed
    that day, the first payment after it, and the grant recorded as carried
    out in the log of the meeting that took it, before the council met again."""
    load_demo()

    granted = Proposal.objects.filter(
        community__code="JMJY", approved_amount__isnull=False
    )
    assert {p.title: timezone.localtime(p.decided_at).year for p in granted} == {
        "夜间110巡逻 (Night 110)": 2014,
        "邻里互助金 (Mutual Aid)": 2015,
        "编织义卖 (Knitting)": 2016,
        "平安JM巡逻 (Safe JM Patrol)": 2016,
    }
    for proposal in granted:
        decided = timezone.localtime(proposal.decided_at)
        meeting = Meeting.objects.get(
            council__community__code="JMJY", agenda_items__proposal=proposal
        )
        assert decided.date() == timezone.localtime(meeting.scheduled_at).date()
        assert proposal.submitted_at < proposal.decided_at
        committed = proposal.commitment.transactions.get(kind="commit")
        assert committed.effective_on == decided.date()
        paid = proposal.commitment.transactions.filter(kind="disburse")
        first_paid = min(paid.values_list("effective_on", flat=True))
        assert first_paid > decided.date()
        activated = proposal.events.get(to_status="active").at
        assert timezone.localtime(activated).date() == first_paid
        executed = meeting.events.filter(type="executed").values_list(
            "created_at", flat=True
        )
        assert first_paid in {timezone.localdate(at) for at in executed}
        later = meeting.council.meetings.get(number=meeting.number + 1)
        assert max(executed) < later.events.order_by("sequence")[0].created_at


def test_a_newcomer_can_run_a_motion_at_todays_meeting_as_chair_and_member():
    load_demo()
    today = Meeting.objects.get(
        council__community__code="JMJY", scheduled_at__date=timezone.localdate()
    )
    chair = User.objects.get(username="coordinator")
    member = User.objects.get(username="councillor")
    seconder = User.objects.get(username="jmjy_council01")
    initiator = Proposal.objects.get(title="环保倡导者 (Environmental Initiator)")
    assert today.chair == chair
    assert initiator.status == "on_agenda"
    assert today.agenda_items.filter(proposal=initiator).exists()

    for person in (chair, member, seconder):
        services.meeting_check_in(
            meeting=today, member=person, idempotency_key=f"t-{person.pk}"
        )
    services.meeting_call_to_order(meeting=today, chair=chair, idempotency_key="t-c")
    services.motion_move(
        meeting=today,
        member=member,
        motion="main",
        text="资助环保倡导者",
        proposal=initiator,
        amount=Decimal("8500"),
        idempotency_key="t-m",
    )
    services.motion_second(meeting=today, member=seconder, idempotency_key="t-s")
    services.motion_state(meeting=today, chair=chair, idempotency_key="t-st")
    today.refresh_from_db()

    outcome = meeting_outcome(today)
    assert outcome["meeting"]["state"] == "IN_SESSION"
    assert [q["motion"] for q in outcome["pending"]] == ["main"]


def test_todays_meeting_can_take_from_the_table_what_the_last_one_laid_there():
    load_demo()
    today = Meeting.objects.get(
        council__community__code="JMJY", scheduled_at__date=timezone.localdate()
    )
    chair = User.objects.get(username="coordinator")
    member = User.objects.get(username="councillor")
    seconder = User.objects.get(username="jmjy_council01")
    accompany = Proposal.objects.get(title="爱心陪伴 (Love Accompany)")
    item = today.agenda_items.get(proposal=accompany)
    for person in (chair, member, seconder):
        services.meeting_check_in(
            meeting=today, member=person, idempotency_key=f"t-{person.pk}"
        )
    services.meeting_call_to_order(meeting=today, chair=chair, idempotency_key="t-c")
    today.refresh_from_db()
    tabled = meeting_outcome(today)["unfinished"]

    services.motion_move(
        meeting=today,
        member=member,
        motion="take_from_table",
        applies_to=tabled[0]["id"],
        idempotency_key="t-m",
    )

    assert (item.section, item.origin) == ("unfinished", "tabled")
    assert accompany.tabled_at is not None
    assert [entry["kind"] for entry in tabled] == ["tabled"]
    assert today.log_from.number == 3


def _past_meetings():
    return Meeting.objects.filter(
        council__community__code="JMJY", scheduled_at__date__lt=timezone.localdate()
    ).order_by("number")


def test_the_demo_records_each_past_meeting_on_its_own_day_in_order():
    """Its events, votes and attendance; and the minutes it approved."""
    load_demo()

    meetings = list(_past_meetings())
    assert [m.number for m in meetings] == [1, 2, 3]
    assert [m.scheduled_at.year for m in meetings] == [2014, 2015, 2016]
    for meeting in meetings:
        day = timezone.localtime(meeting.scheduled_at).date()
        # Beside the grants later recorded as carried out, when paid.
        logged = (
            meeting.events.exclude(type="executed")
            .order_by("sequence")
            .values_list("created_at", flat=True)
        )
        times = [timezone.localtime(at) for at in logged]
        called = meeting.events.get(type="call_to_order").created_at
        assert {at.date() for at in times} == {day}
        assert times == sorted(set(times))
        assert called == meeting.scheduled_at
        assert times[0] >= meeting.scheduled_at - datetime.timedelta(minutes=15)
        assert times[-1] <= meeting.scheduled_at + datetime.timedelta(hours=1)
        side_times = [
            *Vote.objects.filter(question__meeting=meeting).values_list(
                "cast_at", flat=True
            ),
            *Attendance.objects.filter(meeting=meeting).values_list(
                "arrived_at", flat=True
            ),
        ]
        assert side_times
        assert {timezone.localtime(at).date() for at in side_times} == {day}
    for minutes in Minutes.objects.filter(status="approved"):
        approved_on = timezone.localtime(minutes.approved_at).date()
        at_meeting = minutes.approved_at_meeting
        assert approved_on == timezone.localtime(at_meeting.scheduled_at).date()


def test_the_minutes_of_a_past_meeting_show_its_date_and_times_not_today(client):
    load_demo()
    first = _past_meetings().first()
    day = timezone.localtime(first.scheduled_at)
    adjourned = timezone.localtime(first.events.order_by("-sequence")[0].created_at)
    approved = timezone.localtime(Minutes.objects.get(meeting=first).approved_at)

    page = client.get(
        reverse("councils:minutes", args=[first.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).text

    assert f"was held on {day:%Y-%m-%d}" in page
    assert "it was called to order at 19:00." in page
    assert f"The meeting adjourned at {adjourned:%H:%M}." in page
    assert f"Approved on {approved:%Y-%m-%d}." in page
    assert f"{timezone.localdate():%Y-%m-%d}" not in page


def test_todays_demo_meeting_records_at_the_real_time():
    loaded_from = timezone.now()

    load_demo()

    today = Meeting.objects.get(
        council__community__code="JMJY", scheduled_at__date=timezone.localdate()
    )
    arrivals = today.events.values_list("created_at", flat=True)
    assert arrivals
    assert all(loaded_from <= at <= timezone.now() for at in arrivals)
    assert abs(clock.now() - timezone.now()) < datetime.timedelta(seconds=5)


XWJ_PROGRAMS = [
    "四点半课堂 (After-school care)",
    "职业技能培训 (Vocational skill training)",
    "社区公园改造 (Remodelling the community park)",
]


def test_the_demo_gives_xwj_its_residents_conference_of_resident_representatives():
    load_demo()
    load_demo()

    conference = Council.objects.get(community__code="XWJ")
    assert conference.kind == Council.Kind.RESIDENTS_CONFERENCE
    assert (conference.name, conference.name_en) == (
        "XWJ社区居民会议",
        "XWJ Community Residents' Conference",
    )
    term = conference.terms.get()
    seats = term.seats.filter(ends_on__isnull=True)
    assert seats.count() == 9
    assert seats.get(role="coordinator").holder.username == "xwj_chair"
    assert all(
        seat.holder.memberships.filter(role="resident", community__code="XWJ")
        .exclude(verified_at=None)
        .exists()
        for seat in seats
    )


def test_the_xwj_conference_decided_its_three_programs_in_2015_with_minutes():
    load_demo()

    conference = Council.objects.get(community__code="XWJ")
    first, second = conference.meetings.order_by("number")
    programs = Proposal.objects.filter(title__in=XWJ_PROGRAMS)
    # Granted; the park's works began (the projects' demo delivers it).
    assert {p.status for p in programs} == {"approved", "active"}
    for program in programs:
        assert timezone.localtime(program.decided_at).date() == datetime.date(
            2015, 4, 18
        )
        assert program.decision_reference.startswith("XWJ-1#")
        assert program.submitted_at.year == 2015
        committed = program.commitment.transactions.get(kind="commit")
        assert committed.effective_on == datetime.date(2015, 4, 18)
    park = programs.get(title=XWJ_PROGRAMS[2])
    assert park.approved_amount == Decimal("40000.00")
    minutes = Minutes.objects.get(meeting=first)
    assert minutes.status == "approved"
    assert minutes.approved_at_meeting == second
    assert timezone.localtime(minutes.approved_at).date() == datetime.date(2015, 5, 16)


def test_the_xwj_minutes_name_the_conference_and_the_recused_proposers(client):
    load_demo()
    first = Meeting.objects.get(council__community__code="XWJ", number=1)

    page = html.unescape(client.get(reverse("councils:minutes", args=[first.pk])).text)

    assert "XWJ Community Residents' Conference" in page
    assert "2015-04-18" in page
    assert "马桂英" in page  # the after-school care's proposer, recused
