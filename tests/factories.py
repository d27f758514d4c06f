"""Plain factory functions. Money goes through the services, so every factory
respects the ledger's rules."""

import itertools
import uuid
from datetime import date
from decimal import Decimal

from fundapp import services
from fundapp.idempotency import form_key_issue
from fundapp.models import Community, Fund, Role, Source, User

_numbers = itertools.count(1)


def key() -> str:
    """A key for a service called directly, as server-side code does."""
    return uuid.uuid4().hex


def action_key(user, meeting) -> str:
    """The key the live page issues to this person for this meeting's actions."""
    return form_key_issue(user=user, form=f"meeting:{meeting.pk}")


def issued_key(client, url: str) -> str:
    """The idempotency key the server issues with the form at `url` (a GET)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.context["form"]["idempotency_key"].value()


def make_community(*, code: str | None = None, **fields) -> Community:
    number = next(_numbers)
    code = code or f"C{number:03d}"
    community = Community.objects.create(
        code=code,
        name=fields.pop("name", f"社区{number}"),
        name_en=fields.pop("name_en", f"Community {number}"),
        city=fields.pop("city", "南京市"),
        district=fields.pop("district", "雨花台区"),
        **fields,
    )
    Fund.objects.create(
        community=community,
        name=f"{community.name}基金",
        name_en=f"{community.name_en} Fund",
    )
    return community


def make_user(*, username: str | None = None, **fields) -> User:
    number = next(_numbers)
    user = User.objects.create(
        username=username or f"user{number}",
        phone=fields.pop("phone", f"139{number:08d}"),
        display_name=fields.pop("display_name", f"居民{number}"),
        **fields,
    )
    user.set_password("linli-test-pass")
    user.save(update_fields=["password"])
    return user


def make_member(community: Community, role: str = Role.RESIDENT, **fields) -> User:
    """A person holding a verified role in the community."""
    user = make_user(**fields)
    services.role_grant(user=user, community=community, role=role, granted_by=None)
    return user


def make_source(fund: Fund, *, kind: str = Source.Kind.CORPORATE_DONOR, name=None):
    return Source.objects.create(
        fund=fund, kind=kind, name=name or f"来源{next(_numbers)}", name_en="Source"
    )


def make_tranche(
    fund: Fund,
    *,
    amount="100000.00",
    source: Source | None = None,
    recorded_by: User | None = None,
    fiscal_year: int = 2026,
    **fields,
):
    source = source or make_source(fund)
    recorded_by = recorded_by or make_member(fund.community, Role.FUND_COMMITTEE)
    return services.tranche_receive(
        fund=fund,
        source=source,
        fiscal_year=fiscal_year,
        reference=fields.pop("reference", f"REF-{next(_numbers)}"),
        amount=amount,
        received_on=fields.pop("received_on", date(fiscal_year, 3, 1)),
        actor=recorded_by,
        idempotency_key=fields.pop("idempotency_key", key()),
        **fields,
    )


def make_funded_community(amount="100000.00", **fields):
    """A community whose fund holds one unrestricted tranche, and its keeper."""
    community = make_community(**fields)
    keeper = make_member(community, Role.FUND_COMMITTEE)
    tranche = make_tranche(community.fund, amount=amount, recorded_by=keeper)
    return community, keeper, tranche


# councils


def make_council(community: Community | None = None, *, seats: int = 5, **settings):
    """A council whose term has `seats` voting councillors and a coordinator chair.

    Returns (council, chair, members): the chair holds the coordinator seat,
    `members` the councillor seats, all verified residents.
    """
    from councils.models import Council, Seat, Term

    community = community or make_community()
    name = settings.pop("name", f"{community.name}居民议事会")
    council = Council.objects.create(community=community, name=name, **settings)
    term = Term.objects.create(
        council=council,
        name="第一届",
        starts_on=date(2020, 1, 1),
        councillor_seats=seats,
        coordinator_seats=1,
    )
    chair = make_member(community, Role.COORDINATOR)
    Seat.objects.create(
        term=term, holder=chair, role=Seat.Role.COORDINATOR, starts_on=date(2020, 1, 1)
    )
    members = []
    for _index in range(seats):
        member = make_member(community, Role.COUNCILLOR)
        services.role_grant(
            user=member, community=community, role=Role.RESIDENT, granted_by=None
        )
        Seat.objects.create(
            term=term,
            holder=member,
            role=Seat.Role.COUNCILLOR,
            starts_on=date(2020, 1, 1),
        )
        members.append(member)
    return council, chair, members


def make_meeting(council, *, chair=None, **fields):
    from django.utils import timezone

    from councils.models import Meeting

    number = fields.pop("number", None)
    if number is None:
        number = (council.meetings.count() or 0) + 1
    return Meeting.objects.create(
        council=council,
        number=number,
        chair=chair,
        scheduled_at=fields.pop("scheduled_at", timezone.now()),
        place=fields.pop("place", "社区议事厅"),
        **fields,
    )


# proposals


def make_round(community: Community | None = None, **fields):
    """An open call for proposals, opened by a social worker through the service."""
    from datetime import timedelta

    from django.utils import timezone

    from proposals.services import round_open

    community = community or make_community()
    today = timezone.localdate()
    opened_by = fields.pop("opened_by", None)
    opened_by = opened_by or make_member(community, Role.SOCIAL_WORKER)
    return round_open(
        community=community,
        actor=opened_by,
        title=fields.pop("title", f"征集{next(_numbers)}"),
        opens_on=fields.pop("opens_on", today - timedelta(days=10)),
        closes_on=fields.pop("closes_on", today + timedelta(days=20)),
        budget_amount=fields.pop("budget_amount", "100000.00"),
        ceiling_amount=fields.pop("ceiling_amount", "20000.00"),
        eligible_categories=fields.pop("eligible_categories", ()),
        minimum_supports=fields.pop("minimum_supports", 0),
        **fields,
    )


DEFAULT_BUDGET = [
    {"item": "巡逻背心", "quantity": "20", "unit": "件", "unit_cost": "35.00"},
    {"item": "手电筒", "quantity": "10", "unit": "个", "unit_cost": "48.50"},
]


def make_draft(
    round=None,
    *,
    proposer: User | None = None,
    complete: bool = True,
    budget: list[dict] | None = None,
    category: str = "security",
    **text,
):
    """A draft written through the drafting services; complete unless told not to."""
    from proposals import services

    round = round or make_round()
    proposer = proposer or make_member(round.community)
    proposal = services.proposal_create(
        round=round, actor=proposer, title=text.pop("title", "夜间巡逻 Night patrol")
    )
    if not complete:
        return proposal
    proposal = services.proposal_save_problem(
        proposal=proposal,
        actor=proposer,
        title=proposal.title,
        category=category,
        problem=text.pop("problem", "晚上小区里没有人巡逻。"),
        affected=text.pop("affected", "3000 户居民"),
        evidence=text.pop("evidence", "去年发生 5 起盗窃。"),
    )
    proposal = services.proposal_save_plan(
        proposal=proposal,
        actor=proposer,
        activities=text.pop("activities", "每晚 20:00–23:00 巡逻"),
        schedule=text.pop("schedule", "全年"),
        place=text.pop("place", "小区各楼栋"),
        volunteers=text.pop("volunteers", "低保居民轮流参加"),
    )
    return services.proposal_save_budget(
        proposal=proposal,
        actor=proposer,
        lines=DEFAULT_BUDGET if budget is None else budget,
    )


def make_team(proposal, *members: User):
    """The members invited by their numbers, each accepting: the proposal's team."""
    from proposals import services as proposal_services

    proposal_services.proposal_save_team(
        proposal=proposal,
        actor=proposal.proposer,
        co_proposer_phones=[member.phone for member in members],
    )
    for member in members:
        invitation = proposal.invitations.get(phone=member.phone, answered_at=None)
        proposal_services.invitation_accept(invitation=invitation, actor=member)
    return proposal


def make_proposal(round=None, *, status: str = "submitted", proposer=None, **fields):
    """A proposal brought to `status` through the lifecycle services."""
    from proposals import services

    proposal = make_draft(round, proposer=proposer, **fields)
    proposer = proposal.proposer
    if status == "draft":
        return proposal
    proposal = services.proposal_submit(proposal=proposal, actor=proposer)
    if status == "submitted":
        return proposal
    community = proposal.community
    worker = make_member(community, Role.SOCIAL_WORKER)
    if status == "returned":
        return services.proposal_return(
            proposal=proposal, actor=worker, reason="请补充预算依据"
        )
    proposal = services.proposal_mark_eligible(proposal=proposal, actor=worker)
    if status == "eligible":
        return proposal
    proposal = services.proposal_place_on_agenda(
        proposal=proposal, actor=worker, agenda="JMJY-1"
    )
    if status == "on_agenda":
        return proposal
    return decide(proposal, status)


def decide(proposal, status: str, **fields):
    """A meeting's decision on a proposal on the agenda, as the council's
    services record it: given by a councillor, citing the decision."""
    from proposals import services

    record = {
        "approved": services.proposal_approve,
        "rejected": services.proposal_reject,
        "postponed": services.proposal_postpone,
        "referred": services.proposal_refer,
        "tabled": services.proposal_lay_on_table,
    }[status]
    return record(
        proposal=proposal,
        actor=make_member(proposal.community, Role.COUNCILLOR),
        decision=fields.pop("decision", "JMJY-1#1"),
        idempotency_key=fields.pop("idempotency_key", key()),
        **fields,
    )


# projects


def make_approved_proposal(
    community: Community | None = None, *, fund_amount="10000.00", **fields
):
    """A proposal the council approved, its money committed from a funded tranche."""
    if community is None:
        community, _keeper, _tranche = make_funded_community(fund_amount)
    proposal = make_proposal(make_round(community), status="on_agenda", **fields)
    return decide(proposal, "approved", decision=f"{community.code}-1#{proposal.pk}")


def make_project(proposal=None, *, schedule=None, starts_on=None, **fields):
    """An open project: 50% on start, 30% on a progress report, 20% on the final."""
    from projects.services import SchedulePart, project_open

    proposal = proposal or make_approved_proposal()
    worker = fields.pop("worker", None) or make_member(
        proposal.community, Role.SOCIAL_WORKER
    )
    starts_on = starts_on or date(2026, 1, 1)
    return project_open(
        proposal=proposal,
        actor=worker,
        grantee_kind=fields.pop("grantee_kind", "team"),
        grantee_name=fields.pop("grantee_name", "夜巡队 Night patrol team"),
        contact_name=fields.pop("contact_name", "王秀兰"),
        contact_phone=fields.pop("contact_phone", "13900000001"),
        starts_on=starts_on,
        ends_on=fields.pop("ends_on", date(2026, 12, 31)),
        schedule=schedule
        or [
            SchedulePart(Decimal("50"), "start"),
            SchedulePart(Decimal("30"), "progress"),
            SchedulePart(Decimal("20"), "final"),
        ],
        milestones=fields.pop("milestones", [("巡逻队成立", date(2026, 3, 1))]),
    )
