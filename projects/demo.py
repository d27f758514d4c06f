# ruff: noqa: E501  (bilingual demo sentences read better unbroken)
"""The projects' part of the demo: the paper's funded programs being delivered.

Every step goes through `projects.services`, with the clock set to the day
it happened (`fundapp.clock`), so that payments, reports, ratings and flags
carry their own dates:

- Night 110 (2014): paid in three installments, spent, a small return,
  rated by the residents and marked evaluated by the evaluation team.
- Mutual Aid (2016): completed and rated; the rating window has closed, so
  the evaluator (`evaluator`) may mark it evaluated.
- Knitting (2016): two installments paid, then the circle stopped meeting;
  the evaluator flagged it inactive, so its last installment is on hold
  until the fund committee confirms or lifts the hold.
- Safe JM Patrol (2016): volunteers patrol every day (its first four weeks
  recorded); its second installment waits for a second signature
  (`fundcommittee2`).
- XWJ's park remodelling, with its residents' volunteer hours, once XWJ's
  residents' conference has approved it.

Each delivery is on the demo's timeline (`fundapp.demo.demo_on`) from the
day after the meeting that approved it, so its first payment tells that
meeting's log the decision is carried out before the council meets again.
JMJY and XWJ get a second fund committee member, so that two can sign.
Idempotent: a program whose project exists is left as it is.
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal
from functools import partial
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from fundapp import clock
from fundapp import services as fund_services
from fundapp.demo import (
    DEMO_LOGINS,
    DemoLogin,
    DemoStep,
    demo_on,
    demo_user,
    register_demo_step,
)
from fundapp.models import Role, User
from proposals.models import Proposal

from . import services
from .models import Project
from .services import SchedulePart

date = datetime.date
SECOND_SIGNERS = [
    DemoLogin("fundcommittee2", "13900000032", "钱立新", "JMJY", Role.FUND_COMMITTEE),
    DemoLogin(
        "xwj_fundcommittee2", "13900000132", "顾晓梅", "XWJ", Role.FUND_COMMITTEE
    ),
]
NIGHT_110 = "夜间110巡逻 (Night 110)"
SAFE_PATROL = "平安JM巡逻 (Safe JM Patrol)"
MUTUAL_AID = "邻里互助金 (Mutual Aid)"
KNITTING = "编织义卖 (Knitting)"
PARK = "社区公园改造 (Remodelling the community park)"
# The day each program's delivery begins on the demo's timeline: the day
# after the meeting that approved it (councils/demo.py).
DELIVERED_FROM = {
    NIGHT_110: date(2014, 3, 26),
    MUTUAL_AID: date(2015, 12, 16),
    KNITTING: date(2016, 2, 24),
    SAFE_PATROL: date(2016, 2, 24),
    PARK: date(2015, 4, 19),
}
# Safe JM Patrol's daily shifts the demo records: its first four weeks.
PATROL_DAYS_RECORDED = 28
THIRDS = [
    SchedulePart(Decimal("50"), "start"),
    SchedulePart(Decimal("30"), "progress"),
    SchedulePart(Decimal("20"), "final"),
]


@contextmanager
def on(day: datetime.date, hour: int = 10):
    """Record what follows as if it happened on `day`, at `hour`."""
    at = datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )
    with clock.clock_set(at) as held:
        yield held


def _image(kind: str, name: str, color) -> SimpleUploadedFile:
    output = BytesIO()
    Image.new("RGB", (48, 32), color).save(output, kind)
    content_type = "image/png" if kind == "PNG" else "image/jpeg"
    return SimpleUploadedFile(name, output.getvalue(), content_type=content_type)


def receipt(name: str) -> SimpleUploadedFile:
    return _image("PNG", name, (240, 240, 230))


def photo(name: str) -> SimpleUploadedFile:
    return _image("JPEG", name, (60, 120, 80))


class Program:
    """One funded program's people and the steps the demo takes with them."""

    def __init__(self, project: Project, worker, signers, evaluator):
        self.project = project
        self.worker = worker
        self.signers = signers
        self.evaluator = evaluator
        self.team = project.proposal.proposer

    def line(self, starts: str):
        return self.project.proposal.budget_lines.get(item__startswith=starts)

    def installment(self, position: int):
        return self.project.installments.get(position=position)

    def request(self, position: int, day: datetime.date):
        with on(day, 9):
            return services.installment_request(
                installment=self.installment(position), actor=self.worker
            )

    def pay(self, position: int, day: datetime.date, *, signatures: int = 2):
        """Request the installment and sign it (twice: paid on `day`)."""
        disbursement = self.request(position, day)
        for number, signer in enumerate(self.signers[:signatures], start=1):
            with on(day, 10 + number):
                disbursement = services.disbursement_approve(
                    disbursement=disbursement,
                    actor=signer,
                    method="bank_transfer",
                    bank_reference=f"{self.project.community.code}-{day:%Y%m%d}-{position:02d}",
                    paid_on=day,
                )
        return disbursement

    def spend(self, line: str, amount: str, day: datetime.date, what: str):
        with on(day, 15):
            expense = services.expense_record(
                project=self.project,
                actor=self.team,
                budget_line=self.line(line),
                amount=Decimal(amount),
                spent_on=day,
                description=what,
                receipt=receipt(f"receipt-{day:%Y%m%d}.png"),
            )
        with on(day, 18):
            services.expense_review(expense=expense, actor=self.worker, accept=True)

    def report(self, kind, day, summary, place, participants, *, milestone=None):
        with on(day, 20):
            report = services.progress_report_file(
                project=self.project,
                actor=self.team,
                kind=kind,
                summary=summary,
                happened_on=day,
                place=place,
                participants=participants,
                milestone=self.project.milestones.filter(title=milestone).first()
                if milestone
                else None,
                photos=[photo(f"{kind}-{day:%Y%m%d}.jpg")],
            )
        with on(day + datetime.timedelta(days=1), 9):
            services.progress_report_review(
                report=report, actor=self.worker, accept=True
            )
        return report

    def volunteer(self, day, hours, activity, *, who=None, name=""):
        with on(day, 21):
            services.volunteer_shift_record(
                project=self.project,
                actor=self.worker,
                activity=activity,
                served_on=day,
                hours=Decimal(hours),
                volunteer=who,
                volunteer_name=name,
            )

    def rate(self, day, ratings):
        for person, score, comment in ratings:
            with on(day, 19):
                services.rating_set(
                    project=self.project, actor=person, score=score, comment=comment
                )

    def complete(self, day, completed_on):
        with on(day, 16):
            services.project_complete(
                project=self.project, actor=self.worker, completed_on=completed_on
            )


def _open(
    proposal, worker, *, opened, starts, ends, grantee, contact, schedule, milestones
):
    with on(opened):
        return services.project_open(
            proposal=proposal,
            actor=worker,
            grantee_kind="team",
            grantee_name=grantee,
            contact_name=contact[0],
            contact_phone=contact[1],
            starts_on=starts,
            ends_on=ends,
            schedule=schedule,
            milestones=milestones,
        )


def _decided_on(proposal) -> datetime.date:
    """The day of the meeting that decided the proposal."""
    return timezone.localdate(proposal.decided_at)


def _approved(community, title) -> Proposal | None:
    """The program, if the council approved it and it has no project yet."""
    return Proposal.objects.filter(
        community=community,
        title=title,
        status=Proposal.Status.APPROVED,
        project__isnull=True,
    ).first()


def _people(*usernames) -> list[User]:
    found = {u.username: u for u in User.objects.filter(username__in=usernames)}
    return [found[name] for name in usernames if name in found]


def night_110(proposal, staff) -> None:
    """2014: every night 20:00–23:00; completed, rated, a small return, evaluated."""
    worker, signers, evaluator = staff
    project = _open(
        proposal, worker,
        opened=date(2014, 3, 28), starts=date(2014, 4, 1), ends=date(2014, 12, 31),
        grantee="夜间110巡逻队 (Night 110 patrol team)",
        contact=("王秀兰", "13900000001"),
        schedule=THIRDS,
        milestones=[
            ("巡逻队成立 (The patrol team formed)", date(2014, 4, 15)),
            ("半年总结 (Half-year review)", date(2014, 9, 30)),
        ],
    )  # fmt: skip
    night = Program(project, worker, signers, evaluator)
    night.pay(1, date(2014, 4, 2))
    night.spend("手电筒", "900.00", date(2014, 4, 3), "手电筒20个 (20 torches)")
    night.spend("反光背心", "600.00", date(2014, 4, 3), "反光背心20件 (20 vests)")
    patrollers = [
        (proposal.proposer, ""),
        *((person, "") for person in proposal.co_proposers.all()),
        (None, "低保户 张德林 (Zhang Delin)"),
        (None, "低保户 刘凤英 (Liu Fengying)"),
    ]
    for month in range(4, 13):
        first = date(2014, month, 1)
        for who, name in patrollers:
            night.volunteer(
                first, "3", "夜间巡逻 20:00–23:00 (night patrol)", who=who, name=name
            )
        last = (first + datetime.timedelta(days=32)).replace(
            day=1
        ) - datetime.timedelta(days=1)
        night.spend(
            "巡逻补贴",
            "3100.00",
            last,
            f"{month}月巡逻补贴 (patrol allowance, month {month})",
        )
        if month == 9:
            night.report(
                "progress", last,
                "半年来每晚四人一班巡逻,小区盗窃案明显减少。\nFour residents patrolled every night for half a year; burglaries fell.",
                "JMJY社区各楼栋 (every building)", 48,
                milestone="半年总结 (Half-year review)",
            )  # fmt: skip
            night.pay(2, date(2014, 10, 8))
            with on(date(2014, 10, 20), 21):
                services.observation_record(
                    project=project, actor=evaluator, observed_on=date(2014, 10, 20),
                    notes="随21:00班巡逻:四人一班,按路线巡查,记录完整。\nWalked with the 21:00 shift: four residents on the route, the log kept.",
                    score=4,
                )  # fmt: skip
    night.report(
        "final", date(2014, 12, 31),
        "全年巡逻完成,派出所登记盗窃案由12起降至3起。\nThe year's patrols are done; thefts reported to the police fell from 12 to 3.",
        "JMJY社区 (the estate)", 60,
    )  # fmt: skip
    night.pay(3, date(2015, 1, 5))
    night.complete(date(2015, 1, 6), date(2014, 12, 31))
    night.rate(
        date(2015, 1, 12),
        zip(
            _people(
                "resident3",
                "jmjy_neighbour1",
                "jmjy_neighbour2",
                "jmjy_neighbour3",
                "jmjy_neighbour4",
            ),
            [5, 5, 4, 4, 3],
            [
                "晚上安心多了。We feel safe at night.",
                "",
                "巡逻队很负责。A dependable team.",
                "",
                "希望冬天也坚持。Keep it up in winter.",
            ],
            strict=False,
        ),
    )
    with on(date(2015, 1, 20)):
        services.return_record(
            project=project, actor=signers[0], amount=Decimal("1300.00"),
            returned_on=date(2015, 1, 20), bank_reference="JMJY-RET-20150120",
        )  # fmt: skip
    with on(date(2015, 3, 5)):
        services.project_mark_evaluated(project=project, actor=evaluator)


def mutual_aid(proposal, staff) -> None:
    """2016: aid reviewed every quarter; completed and rated, waiting for the
    evaluation team's mark."""
    worker, signers, evaluator = staff
    project = _open(
        proposal, worker,
        opened=date(2015, 12, 20), starts=date(2016, 1, 1), ends=date(2016, 12, 31),
        grantee="邻里互助小组 (Mutual Aid group)", contact=("赵玉梅", "13900000003"),
        schedule=THIRDS,
        milestones=[("第二季度评议 (Second quarter's review)", date(2016, 6, 30))],
    )  # fmt: skip
    aid = Program(project, worker, signers, evaluator)
    aid.pay(1, date(2016, 1, 4))
    reviewers = _people("jmjy_neighbour1", "jmjy_neighbour3", "resident")
    for quarter, (day, families) in enumerate(
        [
            (date(2016, 3, 31), 4),
            (date(2016, 6, 30), 3),
            (date(2016, 9, 30), 3),
            (date(2016, 12, 20), 2),
        ],
        start=1,
    ):
        for person in reviewers:
            aid.volunteer(day, "2.5", "居民代表评议 (residents' review)", who=person)
        aid.spend(
            "互助金", f"{3000 * families}.00", day,
            f"第{quarter}季度互助金 {families}户 (aid to {families} families, quarter {quarter})",
        )  # fmt: skip
        if quarter == 2:
            aid.report(
                "progress", day,
                "两次评议,7户重病家庭获得互助金。\nTwo reviews; seven families with a severely ill member received aid.",
                "社区服务中心 (community service centre)", 25,
                milestone="第二季度评议 (Second quarter's review)",
            )  # fmt: skip
            aid.pay(2, date(2016, 7, 4))
    aid.report(
        "final", date(2016, 12, 20),
        "全年12户获得互助金,居民捐款另筹8,600元。\nTwelve families received aid this year; residents gave ¥8,600 more.",
        "社区服务中心 (community service centre)", 40,
    )  # fmt: skip
    aid.pay(3, date(2016, 12, 28))
    aid.complete(date(2016, 12, 30), date(2016, 12, 30))
    aid.rate(
        date(2017, 1, 9),
        zip(
            _people(
                "resident2", "jmjy_neighbour2", "jmjy_neighbour4", "jmjy_council01"
            ),
            [5, 4, 5, 4],
            [
                "雪中送炭。Help when it was needed.",
                "",
                "",
                "评议公开透明。The reviews were open.",
            ],
            strict=False,
        ),
    )


def knitting(proposal, staff) -> None:
    """2016: the circle met on Wednesdays, then stopped; flagged inactive, so
    its last installment is on hold."""
    worker, signers, evaluator = staff
    project = _open(
        proposal, worker,
        opened=date(2016, 2, 25), starts=date(2016, 3, 2), ends=date(2016, 12, 28),
        grantee="编织兴趣小组 (Knitting circle)", contact=("王秀兰", "13900000001"),
        schedule=[
            SchedulePart(Decimal("40"), "start"),
            SchedulePart(Decimal("30"), "progress"),
            SchedulePart(Decimal("30"), "final"),
        ],
        milestones=[("第一次义卖 (First sale)", date(2016, 5, 25))],
    )  # fmt: skip
    circle = Program(project, worker, signers, evaluator)
    circle.pay(1, date(2016, 3, 3))
    circle.spend("毛线", "1250.00", date(2016, 3, 5), "毛线100团 (100 balls of wool)")
    circle.spend(
        "编织针", "320.00", date(2016, 3, 5), "编织针40副 (40 pairs of needles)"
    )
    for day in (
        date(2016, 3, 9),
        date(2016, 3, 16),
        date(2016, 4, 13),
        date(2016, 5, 11),
    ):
        for name in (
            "孙阿姨 (Auntie Sun)",
            "李阿姨 (Auntie Li)",
            "周阿姨 (Auntie Zhou)",
        ):
            circle.volunteer(day, "3", "教编织 (teaching knitting)", name=name)
    circle.report(
        "progress", date(2016, 5, 25),
        "第一次义卖,所得1,860元全部捐给社区养老院。\nThe first sale: all ¥1,860 went to the community elderly home.",
        "社区活动室 (activity room)", 20, milestone="第一次义卖 (First sale)",
    )  # fmt: skip
    circle.pay(2, date(2016, 6, 2))
    day = date(2016, 9, 14)
    with on(day, 15):
        services.observation_record(
            project=project, actor=evaluator, observed_on=day,
            notes="周三下午活动室无人;小组已两个月没有活动。\nNobody in the activity room on Wednesday afternoon; the circle has not met for two months.",
        )  # fmt: skip
    with on(day, 16):
        services.flag_raise(
            project=project, actor=evaluator, kind="inactive",
            reasons="七月以来没有活动,也没有进展报告。\nNo session and no progress report since July.",
        )  # fmt: skip


def safe_patrol(proposal, staff) -> None:
    """2016, from the council's decision of February: volunteers patrol
    08:00–17:00 every day (the demo records their first four weeks); the
    second installment waits for a second signature."""
    worker, signers, evaluator = staff
    decided = _decided_on(proposal)
    starts = decided + datetime.timedelta(days=2)
    recorded_until = starts + datetime.timedelta(days=PATROL_DAYS_RECORDED)
    project = _open(
        proposal, worker,
        opened=decided + datetime.timedelta(days=1), starts=starts,
        ends=starts + datetime.timedelta(days=364),
        grantee="平安JM志愿巡逻队 (Safe JM volunteer patrol)", contact=("李建国", "13900000002"),
        schedule=[
            SchedulePart(Decimal("40"), "start"),
            SchedulePart(Decimal("30"), "progress"),
            SchedulePart(Decimal("30"), "final"),
        ],
        milestones=[("第一周 (The first week)", starts + datetime.timedelta(days=6))],
    )  # fmt: skip
    patrol = Program(project, worker, signers, evaluator)
    patrol.pay(1, starts)
    patrol.spend(
        "袖标和帽子", "750.00", starts, "袖标和帽子30套 (30 armbands and caps)"
    )
    named = [
        "退休民警 高建平 (Gao Jianping)",
        "陈阿姨 (Auntie Chen)",
        "楼长 林海 (Lin Hai)",
    ]
    day = starts
    while day < recorded_until:
        number = (day - starts).days
        patrol.volunteer(
            day,
            "4.5",
            "白天巡逻 08:00–12:30 (morning patrol)",
            who=project.proposal.proposer,
        )
        patrol.volunteer(
            day,
            "4.5",
            "白天巡逻 12:30–17:00 (afternoon patrol)",
            name=named[number % 3],
        )
        day += datetime.timedelta(days=1)
    week = starts + datetime.timedelta(days=6)
    patrol.spend(
        "志愿者午餐补贴", "840.00", week, "第一周志愿者午餐 (the first week's lunches)"
    )
    patrol.report(
        "progress", week,
        "第一周每天两班巡逻,走访独居老人36户。\nTwo shifts every day in the first week; 36 elderly people living alone visited.",
        "JMJY社区 (the estate)", 30, milestone="第一周 (The first week)",
    )  # fmt: skip
    patrol.pay(2, recorded_until, signatures=1)
    patrol.rate(
        week + datetime.timedelta(days=1),
        zip(
            _people("resident3", "jmjy_neighbour1"),
            [5, 4],
            ["白天也有人照看老人了。Someone looks in on the elderly by day.", ""],
            strict=False,
        ),
    )


def park(proposal, staff) -> None:
    """XWJ's park, from its approval: residents plant and build together."""
    worker, signers, evaluator = staff
    today = timezone.localdate()
    decided = _decided_on(proposal)
    starts = decided + datetime.timedelta(days=1)
    if (today - starts).days < 2:
        return
    # The conference decided it in April 2015: the works ran for 90 days.
    ends = starts + datetime.timedelta(days=90)
    project = _open(
        proposal, worker,
        opened=decided, starts=starts, ends=ends,
        grantee="公园改造居民小组 (Residents' park group)", contact=("陈军", "13900000302"),
        schedule=THIRDS, milestones=[],
    )  # fmt: skip
    works = Program(project, worker, signers, evaluator)
    works.pay(1, starts)
    residents = _people(
        "xwj_neighbour2", "xwj_resident", "xwj_neighbour1", "xwj_neighbour3"
    )
    day = starts
    while day < min(today, ends):
        for person in residents:
            works.volunteer(
                day, "2", "共同种植和铺路 (planting and paving together)", who=person
            )
        day += datetime.timedelta(days=2)


def _signers(communities) -> dict[str, User]:
    found = {}
    for login in SECOND_SIGNERS:
        user = demo_user(login)
        fund_services.role_grant(
            user=user,
            community=communities[login.community],
            role=login.role,
            granted_by=None,
        )
        if login not in DEMO_LOGINS:
            DEMO_LOGINS.append(login)
        found[login.username] = user
    return found


def _deliver(title, deliver, community, staff) -> None:
    proposal = _approved(community, title)
    if proposal is not None:
        deliver(proposal, staff)


def load_projects_demo(communities, users) -> None:
    """Put each approved program's delivery on the demo's timeline, from the
    day after the meeting that approved it (each once)."""
    second = _signers(communities)
    jmjy = (
        users["socialworker"],
        (users["fundcommittee"], second["fundcommittee2"]),
        users["evaluator"],
    )
    xwj_evaluator = User.objects.filter(
        memberships__community=communities["XWJ"],
        memberships__role=Role.EVALUATOR,
    ).first()
    xwj = (
        users["xwj_socialworker"],
        (users["xwj_fundcommittee"], second["xwj_fundcommittee2"]),
        xwj_evaluator,
    )
    for title, deliver, code, staff in [
        (NIGHT_110, night_110, "JMJY", jmjy),
        (MUTUAL_AID, mutual_aid, "JMJY", jmjy),
        # Its first payment comes before the Knitting circle's.
        (SAFE_PATROL, safe_patrol, "JMJY", jmjy),
        (KNITTING, knitting, "JMJY", jmjy),
        (PARK, park, "XWJ", xwj),
    ]:
        at = datetime.datetime.combine(
            DELIVERED_FROM[title],
            datetime.time(),
            tzinfo=timezone.get_current_timezone(),
        )
        demo_on(at, partial(_deliver, title, deliver, communities[code], staff))


# The council's meetings approve the programs (and commit their money).
register_demo_step(DemoStep("projects", load_projects_demo, after=("councils",)))
