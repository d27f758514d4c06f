"""The councils' part of the demo: JMJY's resident council, its two terms,
its meetings of 2014–2016 (which decided the programs the projects' demo
delivers) and today's, and XWJ's residents' conference, its term of resident
representatives and its meetings of 2015.

Idempotent: people, terms and seats are looked up by natural keys, meetings
by number, and every event goes through the services with a fixed
idempotency key, so a second run stores nothing new.
"""

import datetime
from decimal import Decimal
from functools import partial

from django.utils import timezone

from fundapp import clock
from fundapp import services as fund_services
from fundapp.demo import (
    DemoLogin,
    DemoStep,
    demo_on,
    demo_user,
    register_demo_step,
)
from fundapp.models import Role, User
from proposals import services as proposal_services
from proposals.models import Proposal

from . import services
from .models import Council, Meeting, Minutes, Seat, Term

# XWJ's residents' conference (居民会议): the use of the granted fund "should
# be determined through the deliberation of residents' conference" (paper
# §2.2). Its first term began when XWJ became the pilot community, early in
# 2015; its representatives are XWJ's residents.
XWJ_TERM = ("第一届居民会议", datetime.date(2015, 3, 1))
XWJ_PLACE = "XWJ社区活动中心"
JMJY_PLACE = "JMJY社区议事厅"
PLACES_EN = {
    XWJ_PLACE: "XWJ Community Activity Centre",
    JMJY_PLACE: "JMJY Community Council Hall",
}
# Representatives beside the chair (xwj_chair) and the demo's XWJ residents:
# (username, phone, name).
XWJ_REPRESENTATIVES = [
    ("xwj_rep01", "13900000401", "钱秀兰"),
    ("xwj_rep02", "13900000402", "孙德明"),
    ("xwj_rep03", "13900000403", "李淑珍"),
    ("xwj_rep04", "13900000404", "吴国强"),
    ("xwj_rep05", "13900000405", "郑玉梅"),
]
# The conference's meetings of 2015, each (scheduled at, business): the
# first decides the three programs of XWJ's call of 2015 (after-school
# care, vocational skill training, remodelling the community park); the
# second approves its minutes.
XWJ_MEETINGS = [
    (
        datetime.date(2015, 4, 18),
        [
            (
                "四点半课堂 (After-school care)",
                "资助四点半课堂 Fund the after-school care as requested",
                None,
                None,
                "adopted",
            ),
            (
                "职业技能培训 (Vocational skill training)",
                "资助职业技能培训 Fund the vocational skill training as requested",
                None,
                None,
                "adopted",
            ),
            (
                "社区公园改造 (Remodelling the community park)",
                "资助社区公园改造 Fund the remodelling of the community park",
                Decimal("43600.00"),
                Decimal("40000.00"),
                "adopted",
            ),
        ],
    ),
    (datetime.date(2015, 5, 16), []),
]

PHASE_1 = ("第一届居民议事会", datetime.date(2014, 3, 1), datetime.date(2015, 12, 31))
PHASE_2 = ("第二届居民议事会", datetime.date(2016, 1, 1), None)
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"

# The past meetings, on the programs of proposals/demo.py (found by title):
# each (day, business), its business as (proposal title or None, motion
# text, amount (None: as requested), amended amount, outcome). Approvals
# commit the money through the proposals' services, on the meeting's day.
# The first two are phase 1's (13 councillors), the third phase 2's; the
# last lays a program on the table, so that today's meeting can take it
# from the table (unfinished business).
PAST_MEETINGS = [
    (
        datetime.date(2014, 3, 25),
        [
            (
                "夜间110巡逻 (Night 110)",
                "资助夜间110巡逻 Fund the Night 110 patrol as requested",
                None,
                None,
                "adopted",
            ),
            (
                None,
                "每周召开三次议事会 Meet three times a week",
                None,
                None,
                "lost",
            ),
        ],
    ),
    (
        datetime.date(2015, 12, 15),
        [
            (
                "邻里互助金 (Mutual Aid)",
                "资助邻里互助金 Fund the Mutual Aid program",
                Decimal("45000.00"),
                Decimal("36000.00"),
                "adopted",
            ),
            (
                None,
                "每季度公开基金账目 Publish the fund accounts every quarter",
                None,
                None,
                "adopted",
            ),
        ],
    ),
    (
        datetime.date(2016, 2, 23),
        [
            (
                "编织义卖 (Knitting)",
                "资助编织义卖 Fund the Knitting program as requested",
                None,
                None,
                "adopted",
            ),
            (
                "平安JM巡逻 (Safe JM Patrol)",
                "资助平安JM巡逻 Fund the Safe JM Patrol as requested",
                None,
                None,
                "adopted",
            ),
            (
                "爱心陪伴 (Love Accompany)",
                "资助爱心陪伴 Fund the Love Accompany program",
                Decimal("9600.00"),
                None,
                "tabled",
            ),
        ],
    ),
]
# Eligible programs on today's agenda, for a newcomer to take up. (The
# granted programs are delivered by the projects' demo.)
TODAY_BUSINESS = ["环保倡导者 (Environmental Initiator)"]
# Councillors already checked in at today's meeting, so that a newcomer as
# the chair (`coordinator`) and members (`councillor`, `jmjy_council01`)
# makes a quorum (12 of 23) by checking in and can run a motion.
TODAY_ALREADY_PRESENT = slice(2, 13)
# Members arrive at a past meeting one by one, this far apart.
ARRIVAL_GAP = datetime.timedelta(seconds=30)


def _program(community, title, worker):
    """A program of the proposals demo, made eligible if it was only submitted."""
    proposal = Proposal.objects.filter(community=community, title=title).first()
    if proposal is not None and proposal.status == Proposal.Status.SUBMITTED:
        proposal = proposal_services.proposal_mark_eligible(
            proposal=proposal, actor=worker
        )
    return proposal


def _resident(community, number: int, role: str):
    login = DemoLogin(
        f"jmjy_council{number:02d}",
        f"1390001{number:04d}",
        SURNAMES[number % len(SURNAMES)] + "议事员" + str(number),
        "JMJY",
        role,
    )
    user = demo_user(login)
    for held in (Role.RESIDENT, role):
        fund_services.role_grant(
            user=user, community=community, role=held, granted_by=None
        )
    return user


def _seat(term, holder, role, starts_on, ends_on=None, reason=""):
    seat, _created = Seat.objects.get_or_create(
        term=term,
        holder=holder,
        role=role,
        defaults={"starts_on": starts_on, "ends_on": ends_on, "end_reason": reason},
    )
    return seat


def _terms(council, community, users):
    name, starts, ends = PHASE_1
    phase_1, _created = Term.objects.get_or_create(
        council=council,
        name=name,
        defaults={"starts_on": starts, "ends_on": ends, "councillor_seats": 13},
    )
    phase_1_councillors = [
        _resident(community, number, Role.COUNCILLOR) for number in range(1, 14)
    ]
    for person in phase_1_councillors:
        _seat(phase_1, person, "councillor", starts, ends, "任期届满 end of term")
    name, starts, _ends = PHASE_2
    phase_2, _created = Term.objects.get_or_create(
        council=council,
        name=name,
        defaults={"starts_on": starts, "councillor_seats": 20, "coordinator_seats": 3},
    )
    coordinators = [
        users["coordinator"],
        *(_resident(community, n, Role.COORDINATOR) for n in (21, 22)),
    ]
    for person in coordinators:
        fund_services.role_grant(
            user=person, community=community, role=Role.RESIDENT, granted_by=None
        )
        _seat(phase_2, person, "coordinator", starts)
    councillors = [
        users["councillor"],
        *(_resident(community, n, Role.COUNCILLOR) for n in range(1, 20)),
    ]
    fund_services.role_grant(
        user=users["councillor"],
        community=community,
        role=Role.RESIDENT,
        granted_by=None,
    )
    for person in councillors:
        _seat(phase_2, person, "councillor", starts)
    return phase_1_councillors, coordinators, councillors


def _meeting(council, number, when, chair, worker, place=JMJY_PLACE):
    meeting = Meeting.objects.filter(council=council, number=number).first()
    if meeting is None:
        meeting = services.meeting_schedule(
            council=council,
            actor=worker,
            scheduled_at=when,
            place=place,
            place_en=PLACES_EN.get(place, ""),
            chair=chair,
            secretary=worker,
        )
    return meeting


def _run_past_meeting(meeting, chair, worker, councillors, business, approve=None):
    """Hold a past meeting through the services, as if on its own day.

    The clock is set, so that the log, the votes, the attendance and the
    minutes carry the meeting's times: the members arrive in the minutes
    before it, the chair calls it to order at its scheduled time, and each
    later event comes a little after the one before.
    """
    present = councillors[:16]
    voters = present
    code = meeting.council.community.code
    arrivals = [chair, *present]
    step = iter(range(1000))
    opens_at = meeting.scheduled_at - ARRIVAL_GAP * (len(arrivals) + 1)
    with clock.clock_set(opens_at) as held:

        def key(seconds):
            """The next event's key, with the clock moved on `seconds` first."""
            held.advance(seconds=seconds)
            return f"demo:{code}:m{meeting.number}:{next(step)}"

        for person in arrivals:
            services.meeting_check_in(
                meeting=meeting,
                member=person,
                idempotency_key=key(ARRIVAL_GAP.seconds),
            )
        services.meeting_call_to_order(
            meeting=meeting, chair=chair, idempotency_key=key(ARRIVAL_GAP.seconds)
        )
        if approve is not None and approve.status == Minutes.Status.DRAFT:
            meeting.refresh_from_db()
            held.advance(minutes=1)
            services.minutes_approve(minutes=approve, actor=chair, at_meeting=meeting)

        def move(member, seconder, **motion):
            services.motion_move(
                meeting=meeting, member=member, idempotency_key=key(60), **motion
            )
            services.motion_second(
                meeting=meeting, member=seconder, idempotency_key=key(10)
            )
            services.motion_state(meeting=meeting, chair=chair, idempotency_key=key(20))

        def vote(method, yes, no=(), debate=300):
            services.question_put(
                meeting=meeting, chair=chair, method=method, idempotency_key=key(debate)
            )
            for person in yes:
                services.vote_cast(
                    meeting=meeting, member=person, choice="yes", idempotency_key=key(5)
                )
            for person in no:
                services.vote_cast(
                    meeting=meeting, member=person, choice="no", idempotency_key=key(5)
                )
            services.vote_announce(
                meeting=meeting, chair=chair, idempotency_key=key(30)
            )

        for title, text, amount, amended, result in business:
            proposal = (
                _program(meeting.council.community, title, worker) if title else None
            )
            if proposal is not None and not meeting.agenda_items.filter(
                proposal=proposal
            ):
                services.agenda_add_proposal(
                    meeting=meeting, proposal=proposal, actor=worker
                )
            voters = [
                p for p in present if str(p.pk) not in _recused(meeting, proposal)
            ]
            move(
                voters[0],
                voters[1],
                motion="main",
                text=text,
                amount=amount,
                proposal=proposal,
            )
            if amended:
                move(
                    voters[2],
                    voters[3],
                    motion="amend",
                    text=f"{text} ¥{amended}",
                    amount=amended,
                )
                vote("counted", voters[:10], voters[10:14])
            if result == "tabled":
                # Laid aside for a report from the elderly volunteers.
                move(voters[6], voters[7], motion="lay_on_table")
                vote("voice", voters[:9], voters[9:12], debate=20)
            elif result == "adopted":
                vote("counted", voters[:12], voters[12:15])
            else:
                vote("counted", voters[:5], voters[5:14])
        move(voters[4], voters[5], motion="adjourn")
        # To adjourn is undebatable: the question is put at once.
        vote("voice", voters[:8], debate=20)


def _recused(meeting, proposal) -> list[str]:
    if proposal is None:
        return []
    meeting.refresh_from_db()
    setup = meeting.setup or {}
    return setup.get("recusals", {}).get(str(proposal.pk), [])


def _hold_past_meeting(council, number, when, presiding, members, business, worker):
    """Schedule a past meeting (a week before, with its notice) and hold it
    on its day, approving the minutes of the meeting before (idempotent)."""
    meeting = Meeting.objects.filter(council=council, number=number).first()
    if meeting is None:
        with clock.clock_set(when - datetime.timedelta(days=7)):
            place = XWJ_PLACE if council.community.code == "XWJ" else JMJY_PLACE
            meeting = _meeting(council, number, when, presiding, worker, place)
    if meeting.event_count == 0:
        previous = Minutes.objects.filter(
            meeting__council=council, meeting__number=number - 1
        ).first()
        _run_past_meeting(
            meeting, presiding, worker, members, business, approve=previous
        )


def load_jmjy_council(communities, users) -> None:
    """JMJY's resident council: two terms, its meetings of 2014–2016 and
    today's, which a newcomer may run; each on the demo's timeline."""
    community = communities["JMJY"]
    worker = users["socialworker"]
    council = services.council_create(
        community=community, actor=worker, kind=Council.Kind.RESIDENT_COUNCIL
    )
    phase_1, coordinators, councillors = _terms(council, community, users)
    chair = coordinators[0]
    zone = timezone.get_current_timezone()
    for number, (day, business) in enumerate(PAST_MEETINGS, start=1):
        when = datetime.datetime.combine(day, datetime.time(19, 0), tzinfo=zone)
        # Phase 1 had no coordinators: one of its councillors presided.
        if day < PHASE_2[1]:
            presiding, members = phase_1[0], phase_1[1:]
        else:
            presiding, members = chair, councillors
        demo_on(
            when,
            partial(
                _hold_past_meeting,
                council, number, when, presiding, members, business, worker,
            ),
        )  # fmt: skip
    demo_on(
        timezone.now(),
        partial(_set_up_todays_meeting, council, chair, councillors, worker),
    )


def _set_up_todays_meeting(council, chair, councillors, worker) -> None:
    """Today's meeting: its agenda, and enough members checked in for a
    newcomer to make a quorum."""
    zone = timezone.get_current_timezone()
    today_meeting = _meeting(
        council,
        len(PAST_MEETINGS) + 1,
        datetime.datetime.combine(
            timezone.localdate(), datetime.time(19, 0), tzinfo=zone
        ),
        chair,
        worker,
    )
    for title in TODAY_BUSINESS:
        proposal = _program(council.community, title, worker)
        if proposal is None or today_meeting.agenda_items.filter(proposal=proposal):
            continue
        services.agenda_add_proposal(
            meeting=today_meeting, proposal=proposal, actor=worker
        )
    for person in councillors[TODAY_ALREADY_PRESENT]:
        services.meeting_check_in(
            meeting=today_meeting,
            member=person,
            idempotency_key=f"demo:JMJY:m4:arrive:{person.username}",
        )


def _xwj_representatives(community, users) -> list:
    """XWJ's residents who sit in its conference beside the chair."""
    people = []
    for username, phone, name in XWJ_REPRESENTATIVES:
        user = demo_user(DemoLogin(username, phone, name, "XWJ", Role.RESIDENT))
        fund_services.role_grant(
            user=user, community=community, role=Role.RESIDENT, granted_by=None
        )
        people.append(user)
    # The demo's XWJ residents who proposed programs sit in it too, and are
    # recused from their own programs.
    named = ["xwj_resident", "xwj_neighbour1", "xwj_neighbour2"]
    found = {user.username: user for user in User.objects.filter(username__in=named)}
    return [found[name] for name in named if name in found] + people


def _xwj_term(council, community, users, worker):
    """The conference's first term and its seats, through the roster's services."""
    name, starts = XWJ_TERM
    representatives = _xwj_representatives(community, users)
    chair = users["xwj_chair"]
    fund_services.role_grant(
        user=chair, community=community, role=Role.RESIDENT, granted_by=None
    )
    term = Term.objects.filter(council=council, name=name).first()
    if term is None:
        term = services.term_create(
            council=council,
            actor=worker,
            name=name,
            starts_on=starts,
            councillor_seats=len(representatives),
            coordinator_seats=1,
        )
    seated = set(term.seats.values_list("holder_id", flat=True))
    for person, role in [
        (chair, Seat.Role.COORDINATOR),
        *((person, Seat.Role.COUNCILLOR) for person in representatives),
    ]:
        if person.pk not in seated:
            services.seat_assign(
                term=term, holder=person, role=role, starts_on=starts, actor=worker
            )
    return chair, representatives


def load_xwj_conference(communities, users) -> None:
    """XWJ's residents' conference: its term, its seats of resident
    representatives, the meeting of April 2015 that decided XWJ's three
    programs of 2015 and the meeting of May 2015 that approved its minutes,
    each held through the services on its own day (idempotent)."""
    community = communities["XWJ"]
    worker = users["xwj_socialworker"]
    council = services.council_create(
        community=community,
        actor=worker,
        kind=Council.Kind.RESIDENTS_CONFERENCE,
    )
    chair, representatives = _xwj_term(council, community, users, worker)
    zone = timezone.get_current_timezone()
    for number, (day, business) in enumerate(XWJ_MEETINGS, start=1):
        when = datetime.datetime.combine(day, datetime.time(19, 0), tzinfo=zone)
        demo_on(
            when,
            partial(
                _hold_past_meeting,
                council, number, when, chair, representatives, business, worker,
            ),
        )  # fmt: skip


def load_councils_demo(communities, users) -> None:
    """JMJY's resident council and XWJ's residents' conference (idempotent)."""
    load_jmjy_council(communities, users)
    load_xwj_conference(communities, users)


# Its meetings decide the demo proposals, found by title.
register_demo_step(DemoStep("councils", load_councils_demo, after=("proposals",)))
