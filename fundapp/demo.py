"""The demo: the two communities of the paper, their funds and one login per role.

Every step is idempotent (lookups by natural keys, money through the services
with fixed idempotency keys), so `load_demo` run twice leaves the same data.
Other apps add their part in their own `demo.py` with `register_demo_step`,
naming the apps whose part theirs builds on; `load_demo` imports those modules
and runs the steps in that order, whatever the order of INSTALLED_APPS.

What happened on a day (a council's meeting, a program's delivery, a report)
a step puts on the demo's timeline (`demo_on`) instead of doing it at once;
once every step has run, the timeline runs in order of time. So the apps'
stories interleave as they did: a grant's first payment, which tells the
council its decision is carried out, comes after the meeting that decided
it and before the next one.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from fundapp import services
from fundapp.dependencies import GROUND, in_dependency_order
from fundapp.models import Community, Fund, Role, Source, User

DEMO_PASSWORD = "linli-demo"  # noqa: S105  (printed by load_demo on purpose)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    phone: str
    name: str
    community: str
    role: str


DEMO_LOGINS = [
    DemoLogin("resident", "13900000001", "王秀兰", "JMJY", Role.RESIDENT),
    DemoLogin("resident2", "13900000002", "李建国", "JMJY", Role.RESIDENT),
    DemoLogin("resident3", "13900000003", "赵玉梅", "JMJY", Role.RESIDENT),
    DemoLogin("councillor", "13900000011", "陈志强", "JMJY", Role.COUNCILLOR),
    DemoLogin("coordinator", "13900000012", "刘芳", "JMJY", Role.COORDINATOR),
    DemoLogin("socialworker", "13900000021", "周静", "JMJY", Role.SOCIAL_WORKER),
    DemoLogin("fundcommittee", "13900000031", "孙立", "JMJY", Role.FUND_COMMITTEE),
    DemoLogin("evaluator", "13900000041", "吴敏", "JMJY", Role.EVALUATOR),
    DemoLogin("xwj_socialworker", "13900000121", "何琳", "XWJ", Role.SOCIAL_WORKER),
    DemoLogin("xwj_fundcommittee", "13900000131", "许刚", "XWJ", Role.FUND_COMMITTEE),
    DemoLogin("xwj_resident", "13900000101", "马桂英", "XWJ", Role.RESIDENT),
    # Chairs XWJ's residents' conference, which decides the granted fund's use.
    DemoLogin("xwj_chair", "13900000141", "周建华", "XWJ", Role.COORDINATOR),
]

COMMUNITIES = [
    {
        "code": "JMJY",
        "name": "JMJY社区",
        "name_en": "JMJY Community",
        "city": "南京市",
        "city_en": "Nanjing",
        "district": "雨花台区",
        "district_en": "Yuhuatai District",
        "subdistrict": "",
        "fund": ("JMJY社区基金", "JMJY Community Fund"),
    },
    {
        "code": "XWJ",
        "name": "XWJ社区",
        "name_en": "XWJ Community",
        "city": "南京市",
        "city_en": "Nanjing",
        "district": "玄武区",
        "district_en": "Xuanwu District",
        "subdistrict": "",
        "fund": ("XWJ社区基金(专项资金)", "XWJ Community Fund (granted fund)"),
    },
]


def demo_user(login: DemoLogin) -> User:
    user, created = User.objects.get_or_create(
        username=login.username,
        defaults={"phone": login.phone, "display_name": login.name},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def load_communities() -> dict[str, Community]:
    communities = {}
    for spec in COMMUNITIES:
        fields = {k: v for k, v in spec.items() if k not in ("code", "fund")}
        community, _created = Community.objects.update_or_create(
            code=spec["code"], defaults=fields
        )
        Fund.objects.update_or_create(
            community=community,
            defaults={"name": spec["fund"][0], "name_en": spec["fund"][1]},
        )
        communities[community.code] = community
    return communities


def load_people(communities) -> dict[str, User]:
    users = {}
    for login in DEMO_LOGINS:
        if login.role not in Role.values:
            # A login an app above adds (a department's viewer) holds no role
            # in a community: that app's step attaches it.
            continue
        user = demo_user(login)
        services.role_grant(
            user=user,
            community=communities[login.community],
            role=login.role,
            granted_by=None,
            address="3栋2单元501" if login.role == Role.RESIDENT else "",
        )
        users[login.username] = user
    # A registration waiting for the social worker, to show verification.
    waiting, created = User.objects.get_or_create(
        username="13900000009",
        defaults={"phone": "13900000009", "display_name": "张大爷"},
    )
    if created:
        waiting.set_password(DEMO_PASSWORD)
        waiting.save(update_fields=["password"])
    communities["JMJY"].memberships.get_or_create(
        user=waiting, role=Role.RESIDENT, defaults={"address": "12栋1单元302"}
    )
    return users


def source(fund, name, name_en, kind) -> Source:
    found, _created = Source.objects.get_or_create(
        fund=fund, name=name, defaults={"name_en": name_en, "kind": kind}
    )
    return found


def load_money(communities, users) -> None:
    jmjy = communities["JMJY"].fund
    hsbc = source(jmjy, "汇丰银行(中国)", "HSBC (China)", Source.Kind.CORPORATE_DONOR)
    district = source(
        jmjy,
        "雨花台区人民政府",
        "YHT District Government",
        Source.Kind.GOVERNMENT_MATCHING,
    )
    keeper = users["fundcommittee"]
    for year in (2014, 2015):
        donor = services.tranche_receive(
            fund=jmjy,
            source=hsbc,
            fiscal_year=year,
            reference=f"HSBC-CPP-{year}",
            amount=Decimal("300000.00"),
            received_on=date(year, 3, 18),
            actor=keeper,
            idempotency_key=f"demo:JMJY:hsbc:{year}",
        )
        services.tranche_receive(
            fund=jmjy,
            source=district,
            fiscal_year=year,
            reference=f"YHT-MATCH-{year}",
            amount=Decimal("300000.00"),
            received_on=date(year, 4, 25),
            matches=donor,
            match_ratio=Decimal("1"),
            match_cap=Decimal("300000.00"),
            actor=keeper,
            idempotency_key=f"demo:JMJY:district:{year}",
        )
    services.tranche_receive(
        fund=jmjy,
        source=district,
        fiscal_year=2016,
        reference="YHT-FUND-2016",
        amount=Decimal("320000.00"),
        received_on=date(2016, 4, 12),
        actor=keeper,
        idempotency_key="demo:JMJY:district:2016",
    )

    xwj = communities["XWJ"].fund
    organization = source(
        xwj,
        "玄武区委组织部",
        "XW District Organization Department",
        Source.Kind.GOVERNMENT_GRANTED,
    )
    for year in range(2014, 2027):
        services.tranche_receive(
            fund=xwj,
            source=organization,
            fiscal_year=year,
            reference=f"ZZB-{year}",
            amount=Decimal("200000.00" if year <= 2016 else "300000.00"),
            received_on=date(year, 2, 28),
            actor=users["xwj_fundcommittee"],
            idempotency_key=f"demo:XWJ:organization:{year}",
        )


@dataclass(frozen=True)
class DemoStep:
    """An app's part of the demo, run after the parts of the apps in `after`.

    `load(communities, users)` gets fundapp's demo communities and people by
    code and username, and must be idempotent.
    """

    app: str
    load: Callable[[dict[str, Community], dict[str, User]], None]
    after: tuple[str, ...] = ()


# fundapp's own part (communities, people, money) is the ground every step
# builds on: it runs first, and other steps may name it in `after`.
DEMO_STEPS: dict[str, DemoStep] = {}


@dataclass(order=True)
class _Happening:
    at: datetime.datetime
    number: int
    action: Callable[[], None] = field(compare=False)


# What the steps of the load under way put on the timeline.
_TIMELINE: list[_Happening] = []


def demo_on(at: datetime.datetime, action: Callable[[], None]) -> None:
    """Run `action` once every step has run, in order of `at` (things put
    on at the same time, in the order they were put on). `action` sets the
    clock itself if it records at `at`, and must be idempotent."""
    _TIMELINE.append(_Happening(at, len(_TIMELINE), action))


def register_demo_step(step: DemoStep) -> DemoStep:
    """Add an app's part of the demo (a step of the same app is replaced)."""
    DEMO_STEPS[step.app] = step
    return step


def demo_steps() -> list[DemoStep]:
    """The registered steps, each after the steps of the apps it names."""
    order = in_dependency_order(
        {GROUND: (), **{app: step.after for app, step in DEMO_STEPS.items()}},
        what="demo step",
    )
    return [DEMO_STEPS[app] for app in order if app != GROUND]


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    autodiscover_modules("demo")
    communities = load_communities()
    users = load_people(communities)
    load_money(communities, users)
    _TIMELINE.clear()
    try:
        for step in demo_steps():
            step.load(communities, users)
        for happening in sorted(_TIMELINE):
            happening.action()
    finally:
        _TIMELINE.clear()
    return DEMO_LOGINS
