"""The reports' part of the demo: who JMJY and XWJ report to, the HSBC
program, and JMJY's 2016 annual report made and submitted to YHT civil
affairs.

Idempotent: departments and programs by code, people by username, the
version and the submission by fixed keys (a second run stores nothing new).
"""

from functools import partial

from django.utils import timezone

from fundapp.demo import (
    DEMO_LOGINS,
    DemoLogin,
    DemoStep,
    demo_on,
    demo_user,
    register_demo_step,
)
from fundapp.idempotency import derived_key
from fundapp.models import Source

from . import services
from .models import (
    Department,
    DepartmentViewer,
    DonorProgram,
    ProgramOfficer,
    ReaderRole,
    Requirement,
)

READERS = [
    DemoLogin(
        "department",
        "13900000051",
        "郑伟(区民政局)",
        "YHT-MZJ",
        ReaderRole.DEPARTMENT_VIEWER,
    ),
    DemoLogin(
        "njzzb",
        "13900000052",
        "孔磊(市委组织部)",
        "NJ-ZZB",
        ReaderRole.DEPARTMENT_VIEWER,
    ),
    DemoLogin(
        "programofficer",
        "13900000061",
        "钱红(NPI)",
        "HSBC-CPP",
        ReaderRole.PROGRAM_OFFICER,
    ),
]

NARRATIVE = (
    "2016年，JMJY社区基金获得雨花台区人民政府32万元资金。居民议事会全年按"
    "《罗伯特议事规则》审议居民提案，资助了邻里互助金等项目。\n"
    "In 2016 the JMJY community fund received ¥320,000 from the YHT district "
    "government; the resident council decided the residents' proposals under "
    "Robert's Rules and funded the Mutual Aid program among others."
)
PLAN = (
    "2017年：继续征集居民提案，推动项目共同评估，提高居民参与。\n"
    "2017: keep calling for residents' proposals, evaluate the projects with the "
    "residents, and widen participation."
)


def _department(code, name, name_en, kind, emails, communities) -> Department:
    department, _created = Department.objects.update_or_create(
        code=code,
        defaults={"name": name, "name_en": name_en, "kind": kind, "emails": emails},
    )
    department.communities.add(*communities)
    return department


def load(communities, users) -> None:
    jmjy, xwj = communities["JMJY"], communities["XWJ"]
    civil_affairs = _department(
        "YHT-MZJ", "雨花台区民政局", "YHT District Civil Affairs Bureau",
        Department.Kind.CIVIL_AFFAIRS, ["yht-minzheng@example.org"], [jmjy],
    )  # fmt: skip
    organization = _department(
        "NJ-ZZB", "南京市委组织部", "NJ Organization Department",
        Department.Kind.ORGANIZATION, ["nj-zuzhibu@example.org"], [xwj],
    )  # fmt: skip
    office = _department(
        "HSBC-NPI", "汇丰社区伙伴计划办公室(NPI)", "HSBC Community Partnership "
        "Program office (NPI)", Department.Kind.DONOR_PROGRAM,
        ["cpp@example.org"], [jmjy],
    )  # fmt: skip
    Requirement.objects.get_or_create(
        department=civil_affairs, community=jmjy, kind=Requirement.Kind.ANNUAL,
        source=None, defaults={"due_month": 3, "due_day": 31},
    )  # fmt: skip
    granted = Source.objects.filter(
        fund=xwj.fund, kind=Source.Kind.GOVERNMENT_GRANTED
    ).first()
    if granted is not None:
        Requirement.objects.get_or_create(
            department=organization, community=xwj, kind=Requirement.Kind.SOURCE,
            source=granted, defaults={"due_month": 1, "due_day": 31},
        )  # fmt: skip
    program, _created = DonorProgram.objects.update_or_create(
        code="HSBC-CPP",
        defaults={
            "name": "汇丰社区伙伴计划",
            "name_en": "HSBC Community Partnership Program",
            "department": office,
        },
    )
    program.sources.add(
        *Source.objects.filter(fund=jmjy.fund, kind=Source.Kind.CORPORATE_DONOR)
    )
    seats = {"YHT-MZJ": civil_affairs, "NJ-ZZB": organization}
    for login in READERS:
        user = demo_user(login)
        if login.role == ReaderRole.PROGRAM_OFFICER:
            ProgramOfficer.objects.get_or_create(user=user, program=program)
        else:
            DepartmentViewer.objects.get_or_create(
                user=user, department=seats[login.community]
            )
        if login not in DEMO_LOGINS:
            DEMO_LOGINS.append(login)

    demo_on(timezone.now(), partial(_report_2016, jmjy, civil_affairs, users))


def _report_2016(jmjy, civil_affairs, users) -> None:
    """JMJY's 2016 report, made and submitted once the year is delivered."""
    worker = users["socialworker"]
    version = services.report_request(
        kind="annual", fund=jmjy.fund, year=2016, language="zh-hans",
        requested_by=worker, idempotency_key=derived_key("demo.reports", "JMJY", 2016),
        narrative=NARRATIVE, plan=PLAN,
    )  # fmt: skip
    # Made here, not by the queue: the demo submits it at once.
    version = services.report_version_make(version_id=version.pk)
    services.report_submit(
        version=version, department=civil_affairs, submitted_by=worker,
        idempotency_key=derived_key("demo.reports.submit", "JMJY", 2016),
    )  # fmt: skip


# The annual report shows the projects' money and evaluation.
register_demo_step(DemoStep("reports", load, after=("councils", "projects")))
