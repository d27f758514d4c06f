"""The people and the business of a load run, made with the app's services.

`python -m tests.load.setup SPEC.json [--residents N]` runs in a child process
on the load database (DATABASE_URL, after migrate and load_demo) with the
secret key gunicorn will use, and writes the spec that the locustfile reads:

- a community (`LOAD`) with its fund, money received last year and this year
  (so that last year's annual report has figures), and a social worker;
- `residents` verified residents with a known password, and an open call
  with `PROPOSALS` submitted proposals for them to support and comment on;
- a council of `COUNCILLORS` councillors and a coordinator chair, all checked
  in to a meeting called to order: the live meeting they vote in;
- a session for each person (Django's session engine, as a login leaves it),
  so that the run measures the pages and not 225 password hashes at once.

Nothing here uses tests/factories.py: the run's data is made like the
bench's, through the services, on a database of its own.
"""

import datetime
import json
import sys

COMMUNITY = "LOAD"
COUNCILLORS = 23
PROPOSALS = 30
# Passes the validators; the same for every load account (`make load` prints it).
PASSWORD = "Linli-load-resident-7Q"  # noqa: S105
RESIDENT_PREFIX = "1370077"  # 11 digits with a four-digit number
COUNCIL_PREFIX = "1370088"


def _user(phone: str, name: str, password_hash: str):
    from fundapp.models import User

    user, _created = User.objects.get_or_create(
        username=phone,
        defaults={"phone": phone, "display_name": name, "password": password_hash},
    )
    return user


def _member(community, phone: str, name: str, roles, password_hash: str):
    """A person holding verified roles in the community (granted by the system)."""
    from fundapp import services as fund_services

    user = _user(phone, name, password_hash)
    for role in roles:
        fund_services.role_grant(
            user=user,
            community=community,
            role=role,
            granted_by=None,
            address=f"Load building, room {phone[-4:]}",
        )
    return user


def _community():
    from fundapp.models import Community, Fund

    community, _created = Community.objects.get_or_create(
        code=COMMUNITY,
        defaults={
            "name": "负载测试社区",
            "name_en": "Load test community",
            "city": "南京市",
            "district": "雨花台区",
        },
    )
    Fund.objects.get_or_create(
        community=community,
        defaults={"name": "负载测试社区基金", "name_en": "Load test community fund"},
    )
    return community


def _money(community, keeper) -> None:
    """Money received last year and this year: last year's report has figures."""
    from django.utils import timezone

    from fundapp import services as fund_services
    from fundapp.models import Source

    fund = community.fund
    source, _created = Source.objects.get_or_create(
        fund=fund,
        name="负载测试基金会",
        defaults={"kind": Source.Kind.CORPORATE_DONOR, "name_en": "Load foundation"},
    )
    this_year = timezone.localdate().year
    for year, amount in ((this_year - 1, "120000.00"), (this_year, "80000.00")):
        if fund.tranches.filter(fiscal_year=year, reference=f"LOAD-{year}").exists():
            continue
        fund_services.tranche_receive(
            fund=fund,
            source=source,
            fiscal_year=year,
            reference=f"LOAD-{year}",
            amount=amount,
            received_on=datetime.date(year, 3, 1),
            actor=keeper,
            idempotency_key=f"load-tranche-{year}",
        )


def _proposals(community, worker, proposers) -> list:
    """An open call and one submitted proposal by each proposer."""
    from django.utils import timezone

    from proposals import services
    from proposals.models import Proposal, Round

    today = timezone.localdate()
    round_ = Round.objects.filter(community=community, title="负载测试征集").first()
    if round_ is None:
        round_ = services.round_open(
            community=community,
            actor=worker,
            title="负载测试征集",
            opens_on=today - datetime.timedelta(days=10),
            closes_on=today + datetime.timedelta(days=30),
            budget_amount="100000.00",
            ceiling_amount="20000.00",
        )
    made = []
    for number, proposer in enumerate(proposers):
        proposal = Proposal.objects.filter(round=round_, proposer=proposer).first()
        if proposal is None:
            proposal = services.proposal_create(
                round=round_, actor=proposer, title=f"楼道照明 {number + 1}"
            )
            proposal = services.proposal_save_problem(
                proposal=proposal,
                actor=proposer,
                title=proposal.title,
                category="security",
                problem="楼道晚上没有灯，老人上下楼不安全。",
                affected="120 户居民",
                evidence="去年冬天有 3 位老人在楼道摔倒。",
            )
            proposal = services.proposal_save_plan(
                proposal=proposal,
                actor=proposer,
                activities="每个楼道装感应灯",
                schedule="两个月内",
                place=f"{number + 1} 号楼",
                volunteers="楼长和志愿者",
            )
            proposal = services.proposal_save_budget(
                proposal=proposal,
                actor=proposer,
                lines=[
                    {
                        "item": "感应灯",
                        "quantity": "12",
                        "unit": "个",
                        "unit_cost": "45.00",
                    }
                ],
            )
        if proposal.status == Proposal.Status.DRAFT:
            proposal = services.proposal_submit(proposal=proposal, actor=proposer)
        made.append(proposal)
    return made


def _council(community, worker, chair, members):
    """The council's term and seats (as the bench makes its council)."""
    from councils import services
    from councils.models import Council, Seat, Term

    council, _created = Council.objects.get_or_create(
        community=community, defaults={"name": "负载测试居民议事会"}
    )
    starts = datetime.date(2020, 1, 1)
    term = Term.objects.filter(council=council, name="Load term").first()
    if term is None:
        term = services.term_create(
            council=council,
            actor=worker,
            name="Load term",
            starts_on=starts,
            councillor_seats=len(members),
            coordinator_seats=1,
        )
    seated = set(Seat.objects.filter(term=term).values_list("holder_id", flat=True))
    for person, role in [(chair, "coordinator"), *((m, "councillor") for m in members)]:
        if person.pk not in seated:
            services.seat_assign(
                term=term, holder=person, role=role, starts_on=starts, actor=worker
            )
    return council


def _meeting(council, worker, chair, members):
    """A new meeting with everyone checked in and called to order."""
    from django.utils import timezone

    from councils import services

    meeting = services.meeting_schedule(
        council=council,
        actor=worker,
        scheduled_at=timezone.now(),
        place="负载测试议事厅",
        chair=chair,
    )
    tag = f"load-{meeting.pk}"
    for person in [chair, *members]:
        services.meeting_check_in(
            meeting=meeting, member=person, idempotency_key=f"{tag}-in-{person.pk}"
        )
    services.meeting_call_to_order(
        meeting=meeting, chair=chair, idempotency_key=f"{tag}-call"
    )
    return meeting


def session_cookie(user) -> str:
    """The key of a new session signed in as `user` (what a login leaves)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "fundapp.backends.PhoneOrUsernameBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def prepare(
    *,
    residents: int,
    councillors: int = COUNCILLORS,
    proposals: int = PROPOSALS,
    tag: str = "run",
) -> dict:
    """Make (or find) the run's people and business; the spec as a dict."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from fundapp.models import Role

    # One hash for every account: 250 password hashes would take minutes.
    password_hash = make_password(PASSWORD)
    community = _community()
    worker = _member(
        community, "13700660001", "负载社工", [Role.SOCIAL_WORKER], password_hash
    )
    keeper = _member(
        community, "13700660002", "负载基金管理", [Role.FUND_COMMITTEE], password_hash
    )
    _money(community, keeper)
    people = [
        _member(
            community,
            f"{RESIDENT_PREFIX}{number:04d}",
            f"居民{number}",
            [Role.RESIDENT],
            password_hash,
        )
        for number in range(residents)
    ]
    made = _proposals(community, worker, people[: min(proposals, residents)])
    chair = _member(
        community,
        f"{COUNCIL_PREFIX}0000",
        "议事会主持人",
        [Role.RESIDENT, Role.COORDINATOR],
        password_hash,
    )
    members = [
        _member(
            community,
            f"{COUNCIL_PREFIX}{number + 1:04d}",
            f"议事会成员{number + 1}",
            [Role.RESIDENT, Role.COUNCILLOR],
            password_hash,
        )
        for number in range(councillors)
    ]
    council = _council(community, worker, chair, members)
    meeting = _meeting(council, worker, chair, members)
    cookie = settings.SESSION_COOKIE_NAME

    def person(user) -> dict:
        return {"phone": user.phone, "pk": user.pk, "session": session_cookie(user)}

    return {
        "tag": tag,
        "community": community.code,
        "password": PASSWORD,
        "session_cookie_name": cookie,
        "report_year": timezone.localdate().year - 1,
        "proposals": [
            {"pk": proposal.pk, "proposer": proposal.proposer.phone}
            for proposal in made
        ],
        "residents": [person(user) for user in people],
        "meeting": meeting.pk,
        "chair": person(chair),
        "councillors": [person(user) for user in members],
        "reporter": person(worker),
    }


def main(argv: list[str]) -> None:
    import argparse
    import os

    import django

    parser = argparse.ArgumentParser(prog="python -m tests.load.setup")
    parser.add_argument("spec")
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--tag", default="run")
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundapp.settings")
    django.setup()
    spec = prepare(residents=options.residents, tag=options.tag)
    with open(options.spec, "w") as handle:
        json.dump(spec, handle)


if __name__ == "__main__":
    main(sys.argv[1:])
