# ruff: noqa: E501  (bilingual demo sentences read better unbroken)
"""The demo's proposals: the programs of the paper, at different stages.

JMJY's programs (Night 110, Safe JM Patrol, Mutual Aid, Knitting, Love
Accompany, Environmental Initiator) and XWJ's (after-school care, vocational
skill training, remodelling the community park), written, supported and
screened through the services, and some placed on an agenda. Only a meeting
decides a proposal: the council's demo decides JMJY's at its meetings of
2014–2016, and XWJ's residents' conference decides XWJ's at its meeting of
April 2015. Each program is written on its own day, on the clock of
`fundapp.clock`: JMJY's in the HSBC program's calls of 2014–2015 and 2016, XWJ's in
spring 2015 (when XWJ became the pilot community); the Environmental
Initiator is written today, in the call open now, for today's meeting.
Idempotent: a call is found by (community, title) and a proposal by (call,
title); one that exists is left as it is.
"""

import contextlib
from datetime import date, datetime, timedelta

from django.utils import timezone

from fundapp import clock
from fundapp import services as fund_services
from fundapp.demo import DemoStep, register_demo_step
from fundapp.models import Role, User

from . import services
from .models import Proposal, Round

NEIGHBOURS = {
    "JMJY": [
        ("jmjy_neighbour1", "13900000201", "孙桂芳"),
        ("jmjy_neighbour2", "13900000202", "周明"),
        ("jmjy_neighbour3", "13900000203", "吴秀珍"),
        ("jmjy_neighbour4", "13900000204", "郑海"),
    ],
    "XWJ": [
        ("xwj_neighbour1", "13900000301", "冯丽"),
        ("xwj_neighbour2", "13900000302", "陈军"),
        ("xwj_neighbour3", "13900000303", "褚小红"),
    ],
}

# Each community's calls, by key (a proposal's "call", its community's code
# by default). Dates of None: open from a month ago for two months more, so
# that a newcomer can write a proposal in the demo today.
CALLS = {
    # The HSBC Community Partnership Program's two phases in JMJY: phase 1
    # (2014–2015, 13 councillors) and phase 2 (from 2016).
    "JMJY": {
        "community": "JMJY",
        "title": "汇丰社区伙伴计划第一期JMJY社区基金项目征集 (HSBC Community Partnership Program, phase 1: JMJY community fund call)",
        "description": "所有提案由居民提出。All proposals are put forward by residents.",
        "budget_amount": "600000.00",
        "ceiling_amount": "80000.00",
        "minimum_supports": 2,
        "opens_on": date(2014, 3, 1),
        "closes_on": date(2015, 12, 31),
    },
    "JMJY-2016": {
        "community": "JMJY",
        "title": "汇丰社区伙伴计划第二期JMJY社区基金项目征集 (HSBC Community Partnership Program, phase 2: JMJY community fund call)",
        "description": "所有提案由居民提出。All proposals are put forward by residents.",
        "budget_amount": "320000.00",
        "ceiling_amount": "80000.00",
        "minimum_supports": 2,
        "opens_on": date(2016, 1, 1),
        "closes_on": date(2016, 6, 30),
    },
    # The call open today, whose first proposal today's meeting takes up.
    "JMJY-now": {
        "community": "JMJY",
        "title": "JMJY社区基金项目征集 (JMJY community fund call)",
        "description": "所有提案由居民提出。All proposals are put forward by residents.",
        "budget_amount": "600000.00",
        "ceiling_amount": "80000.00",
        "minimum_supports": 2,
        "opens_on": None,
        "closes_on": None,
    },
    # XWJ was chosen as the pilot community at the beginning of 2015.
    "XWJ": {
        "community": "XWJ",
        "title": "XWJ社区专项资金项目征集 (XWJ granted fund call)",
        "description": "专项资金每年20万元。The granted fund: ¥200,000 a year.",
        "budget_amount": "200000.00",
        "ceiling_amount": "60000.00",
        "minimum_supports": 2,
        "opens_on": date(2015, 2, 7),
        "closes_on": date(2015, 5, 8),
    },
}

# (community, proposer, co-proposers, stage, text, category, budget lines),
# each written on its own day ("written": (year, month, day); none: the day
# the demo is loaded), so that JMJY's programs come before the meetings of
# 2014–2016 that decided them and XWJ's before its conference of April 2015.
# A returned proposal is resubmitted a week after it was returned, which is a
# week after it was written.
PROPOSALS = [
    {
        "community": "JMJY",
        "proposer": "resident",
        "team": ["resident2"],
        "stage": "eligible",
        "written": (2014, 3, 10),
        "title": "夜间110巡逻 (Night 110)",
        "category": "security",
        "problem": "晚上小区治安差,盗窃时有发生。\nAt night the estate is unsafe; thefts happen.",
        "affected": "全体居民,特别是独居老人。All residents, above all elderly people living alone.",
        "evidence": "2014年派出所登记盗窃案12起。12 thefts reported to the police in 2014.",
        "activities": "享受低保的居民每晚20:00–23:00巡逻。\n"
        "Residents on low-living allowances patrol 20:00–23:00.",
        "schedule": "全年,每晚。Every night, all year.",
        "place": "JMJY社区各楼栋 (every building)",
        "volunteers": "低保居民轮班,每班4人。Four residents per shift.",
        "lines": [
            ("巡逻补贴 (patrol allowance)", 365, "晚", "80.00"),
            ("手电筒 (torches)", 20, "个", "45.00"),
            ("反光背心 (reflective vests)", 20, "件", "30.00"),
        ],
    },
    {
        "community": "JMJY",
        "proposer": "resident2",
        "team": [],
        "stage": "eligible",
        "written": (2016, 1, 11),
        "call": "JMJY-2016",
        "title": "平安JM巡逻 (Safe JM Patrol)",
        "category": "security",
        "problem": "白天老人和孩子在家,缺少照看。Elderly people and children are home alone "
        "by day.",
        "affected": "白天在家的老人和儿童。Elderly people and children at home by day.",
        "evidence": "居民议事会走访记录。The council's visits to households.",
        "activities": "志愿者08:00–17:00巡逻。Volunteers patrol 08:00–17:00.",
        "schedule": "工作日。Working days.",
        "place": "JMJY社区",
        "volunteers": "30名志愿者轮班。30 volunteers in shifts.",
        "lines": [
            ("志愿者午餐补贴 (volunteers' lunches)", 250, "天", "60.00"),
            ("袖标和帽子 (armbands and caps)", 30, "套", "25.00"),
        ],
    },
    {
        "community": "JMJY",
        "proposer": "resident3",
        "team": [],
        "stage": "on_agenda",
        "written": (2015, 11, 2),
        "title": "邻里互助金 (Mutual Aid)",
        "category": "mutual_aid",
        "problem": "重病家庭负担沉重。Families hit by severe disease carry heavy costs.",
        "affected": "约15户重病家庭。About 15 families with a severely ill member.",
        "evidence": "社区居委会困难家庭名册。The residents' committee's hardship roster.",
        "activities": "设立互助基金,按评议发放。A fund paid out after a residents' review.",
        "schedule": "每季度评议一次。A review every quarter.",
        "place": "社区服务中心",
        "volunteers": "居民代表参与评议。Resident representatives take part in reviews.",
        "lines": [("互助金 (aid grants)", 15, "户", "3000.00")],
    },
    {
        "community": "JMJY",
        "proposer": "resident",
        "team": ["resident3"],
        "stage": "eligible",
        "written": (2016, 1, 18),
        "call": "JMJY-2016",
        "title": "编织义卖 (Knitting)",
        "category": "elderly_care",
        "problem": "社区养老院经费不足。The community elderly home is short of money.",
        "affected": "养老院60位老人。60 residents of the elderly home.",
        "evidence": "养老院年度账目。The home's annual accounts.",
        "activities": "编织义卖,所得捐给社区养老院。Knitting sold; proceeds go to the home.",
        "schedule": "每周三下午。Wednesday afternoons.",
        "place": "社区活动室",
        "volunteers": "20位编织阿姨。20 knitters.",
        "lines": [
            ("毛线 (wool)", 200, "团", "12.50"),
            ("编织针 (needles)", 40, "副", "8.00"),
        ],
    },
    {
        "community": "JMJY",
        "proposer": "resident2",
        "team": [],
        "stage": "resubmitted",
        "written": (2016, 1, 4),
        "call": "JMJY-2016",
        "title": "爱心陪伴 (Love Accompany)",
        "category": "disability",
        "problem": "残疾居民缺少陪伴和就业技能。Disabled residents lack company and job skills.",
        "affected": "社区28位残疾居民。28 disabled residents.",
        "evidence": "残联登记。The disabled persons' federation register.",
        "activities": "陪伴和职业培训。Company and vocational training.",
        "schedule": "每周两次。Twice a week.",
        "place": "社区服务中心",
        "volunteers": "大学生和居民志愿者。Students and resident volunteers.",
        "lines": [("培训课时 (training hours)", 48, "课时", "200.00")],
        "revised_lines": [
            ("培训课时 (training hours)", 40, "课时", "200.00"),
            ("交通补贴 (travel allowance)", 28, "人", "50.00"),
        ],
        "return_reason": "请说明培训老师的来源和交通安排。Say who teaches and how people get there.",
    },
    {
        "community": "JMJY",
        "proposer": "resident3",
        "team": [],
        "stage": "submitted",
        "call": "JMJY-now",
        "title": "环保倡导者 (Environmental Initiator)",
        "category": "environment",
        "problem": "垃圾分类做得不好。Waste is poorly sorted.",
        "affected": "全体居民。All residents.",
        "evidence": "物业统计的混装垃圾量。The property manager's counts of mixed waste.",
        "activities": "培训楼栋环保倡导者,入户宣传。Train a waste champion per building.",
        "schedule": "三个月。Three months.",
        "place": "各楼栋",
        "volunteers": "每栋一名倡导者。One champion per building.",
        "lines": [
            ("宣传材料 (leaflets)", 2000, "份", "1.50"),
            ("分类垃圾桶 (bins)", 30, "个", "260.00"),
        ],
    },
    {
        "community": "XWJ",
        "proposer": "xwj_resident",
        "team": [],
        "stage": "on_agenda",
        "written": (2015, 3, 10),
        "title": "四点半课堂 (After-school care)",
        "category": "education",
        "problem": "双职工家庭孩子放学后无人照看。Children of working parents have no care after school.",
        "affected": "约40名小学生。About 40 pupils.",
        "evidence": "家长问卷。A survey of parents.",
        "activities": "放学后作业辅导和游戏。Homework help and games after school.",
        "schedule": "上学日16:30–18:00。School days 16:30–18:00.",
        "place": "社区活动中心",
        "volunteers": "退休教师志愿者。Retired teachers volunteer.",
        "lines": [
            ("辅导员补贴 (tutors)", 180, "天", "150.00"),
            ("文具 (stationery)", 40, "套", "35.00"),
        ],
    },
    {
        "community": "XWJ",
        "proposer": "xwj_neighbour1",
        "team": [],
        "stage": "eligible",
        "written": (2015, 3, 11),
        "title": "职业技能培训 (Vocational skill training)",
        "category": "education",
        "problem": "失业居民缺少技能。Unemployed residents lack skills.",
        "affected": "约25名待业居民。About 25 residents out of work.",
        "evidence": "社区就业登记。The community's employment register.",
        "activities": "家政、电工培训。Housekeeping and electrician courses.",
        "schedule": "两期,每期六周。Two six-week courses.",
        "place": "社区服务中心",
        "volunteers": "结业学员带新学员。Graduates mentor new trainees.",
        "lines": [("培训费 (course fees)", 25, "人", "800.00")],
    },
    {
        "community": "XWJ",
        "proposer": "xwj_neighbour2",
        "team": ["xwj_resident"],
        "stage": "submitted",
        "written": (2015, 3, 12),
        "title": "社区公园改造 (Remodelling the community park)",
        "category": "environment",
        "problem": "公园设施老旧,夜间照明不足。The park is run down and dark at night.",
        "affected": "每天在公园活动的居民。Residents who use the park every day.",
        "evidence": "居民议事会现场踏勘照片。The council's site visit photos.",
        "activities": "更换座椅、增加照明、居民共同种植。New benches, lights, planting together.",
        "schedule": "春季施工两个月。Two months in spring.",
        "place": "社区公园",
        "volunteers": "居民参与设计和种植。Residents help design and plant.",
        "lines": [
            ("座椅 (benches)", 12, "张", "1800.00"),
            ("太阳能路灯 (solar lights)", 10, "盏", "2200.00"),
        ],
    },
]

COMMENTS = {
    "夜间110巡逻 (Night 110)": [
        "晚上有人巡逻,我们睡得踏实了。We sleep better with the patrol."
    ],
    "环保倡导者 (Environmental Initiator)": [
        "建议每个楼栋都有一名倡导者。One champion per building, please.",
        "可以请物业一起参与。Ask the property manager to join.",
    ],
    "社区公园改造 (Remodelling the community park)": [
        "希望增加儿童游乐设施。Please add play equipment for children."
    ],
}


def _neighbours(communities, users) -> dict[str, User]:
    found = dict(users)
    for code, people in NEIGHBOURS.items():
        for username, phone, name in people:
            user, created = User.objects.get_or_create(
                username=username, defaults={"phone": phone, "display_name": name}
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            fund_services.role_grant(
                user=user,
                community=communities[code],
                role=Role.RESIDENT,
                granted_by=None,
            )
            found[username] = user
    return found


def _call(community, key, worker) -> Round:
    spec = dict(CALLS[key])
    del spec["community"]
    existing = Round.objects.filter(community=community, title=spec["title"]).first()
    if existing is not None:
        return existing
    today = clock.today()
    if spec["opens_on"] is None:
        spec["opens_on"] = today - timedelta(days=30)
        spec["closes_on"] = today + timedelta(days=60)
    return services.round_open(community=community, actor=worker, **spec)


def _lines(rows):
    return [
        {"item": item, "quantity": str(quantity), "unit": unit, "unit_cost": cost}
        for item, quantity, unit, cost in rows
    ]


def _write(call, spec, people) -> Proposal:
    proposer = people[spec["proposer"]]
    proposal = services.proposal_create(round=call, actor=proposer, title=spec["title"])
    services.proposal_save_problem(
        proposal=proposal,
        actor=proposer,
        title=spec["title"],
        category=spec["category"],
        problem=spec["problem"],
        affected=spec["affected"],
        evidence=spec["evidence"],
    )
    services.proposal_save_plan(
        proposal=proposal,
        actor=proposer,
        activities=spec["activities"],
        schedule=spec["schedule"],
        place=spec["place"],
        volunteers=spec["volunteers"],
    )
    services.proposal_save_budget(
        proposal=proposal, actor=proposer, lines=_lines(spec["lines"])
    )
    if spec["team"]:
        services.proposal_save_team(
            proposal=proposal,
            actor=proposer,
            co_proposer_phones=[people[name].phone for name in spec["team"]],
        )
        for name in spec["team"]:
            services.invitation_accept(
                invitation=proposal.invitations.get(
                    phone=people[name].phone, answered_at=None
                ),
                actor=people[name],
            )
    return services.proposal_submit(proposal=proposal, actor=proposer)


def _supporters(proposal, people, code):
    team = {proposal.proposer_id, *proposal.co_proposers.values_list("pk", flat=True)}
    names = (
        ["resident", "resident2", "resident3"] if code == "JMJY" else ["xwj_resident"]
    )
    names += [username for username, _phone, _name in NEIGHBOURS[code]]
    return [people[name] for name in names if people[name].pk not in team]


def _written_at(spec):
    """The clock of a program's writing: its own day, if it has one."""
    if "written" not in spec:
        return contextlib.nullcontext()
    at = datetime(*spec["written"], 9, 30, tzinfo=timezone.get_default_timezone())
    return clock.clock_set(at)


def load_proposals_demo(communities, users) -> None:
    """Add the paper's programs as proposals at different stages (idempotent)."""
    people = _neighbours(communities, users)
    staff = {
        "JMJY": (users["socialworker"], users["coordinator"]),
        "XWJ": (users["xwj_socialworker"], users["xwj_chair"]),
    }
    for spec in PROPOSALS:
        community = communities[spec["community"]]
        with _written_at(spec) as held:
            call = _call(
                community, spec.get("call", community.code), staff[community.code][0]
            )
            if Proposal.objects.filter(round=call, title=spec["title"]).exists():
                continue
            _load_program(call, spec, staff[community.code], people, held)


def _load_program(call, spec, staff, people, held) -> None:
    code = call.community.code
    agendas = {"JMJY": "JMJY居民议事会", "XWJ": "XWJ居民会议"}
    worker, agenda_setter = staff
    proposal = _write(call, spec, people)
    proposer = proposal.proposer
    for supporter in _supporters(proposal, people, code)[:3]:
        services.proposal_support(proposal=proposal, actor=supporter)
    for number, body in enumerate(COMMENTS.get(spec["title"], [])):
        author = _supporters(proposal, people, code)[number]
        services.comment_add(proposal=proposal, actor=author, body=body)
    stage = spec["stage"]
    if stage == "submitted":
        return
    if stage == "resubmitted":
        if held is not None:
            held.advance(days=7)
        proposal = services.proposal_return(
            proposal=proposal, actor=worker, reason=spec["return_reason"]
        )
        if held is not None:
            held.advance(days=7)
        services.proposal_save_budget(
            proposal=proposal,
            actor=proposer,
            lines=_lines(spec["revised_lines"]),
        )
        services.proposal_submit(proposal=proposal, actor=proposer)
        return
    if held is not None:
        held.advance(days=2)
    proposal = services.proposal_mark_eligible(proposal=proposal, actor=worker)
    if stage == "eligible":
        return
    services.proposal_place_on_agenda(
        proposal=proposal, actor=agenda_setter, agenda=agendas[code]
    )


register_demo_step(DemoStep("proposals", load_proposals_demo))
