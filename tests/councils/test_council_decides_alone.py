"""Only a meeting decides a proposal (DESIGN §4, issue 12 §1).

No role approves, rejects, postpones or refers a proposal through any page of
the site, nor through the proposals' services without a meeting's decision;
a meeting's record of events does.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    reverse,
)

from councils import services
from fundapp.models import Role
from proposals import services as proposal_services
from proposals.models import Proposal, ProposalEvent
from tests.factories import (
    make_council,
    make_funded_community,
    make_meeting,
    make_member,
    make_proposal,
    make_round,
)

pytestmark = pytest.mark.django_db
Status = Proposal.Status
DECISIONS = {
    ProposalEvent.Action.APPROVED,
    ProposalEvent.Action.REJECTED,
    ProposalEvent.Action.POSTPONED,
    ProposalEvent.Action.REFERRED,
}
DECISION_SERVICES = [
    proposal_services.proposal_approve,
    proposal_services.proposal_reject,
    proposal_services.proposal_postpone,
    proposal_services.proposal_refer,
]
# What a form deciding a proposal would send, were there one.
DECIDING_POST = {
    "outcome": "approved",
    "status": "approved",
    "decision": "approved",
    "action": "approve",
    "amount": "1000.00",
    "reason": "决定",
    "idempotency_key": "k",
}


def _site_urls(resolver=None, namespace=""):
    """Every named page of the site outside the admin, by name and pattern."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _site_urls(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern


def _arguments(pattern, proposal: Proposal) -> dict:
    names = getattr(pattern, "converters", None) or pattern.regex.groupindex
    values = {"code": proposal.community.code, "step": "problem", "format": "json"}
    return {name: values.get(name, proposal.pk) for name in names}


@pytest.fixture
def before_the_council():
    community, _keeper, _tranche = make_funded_community(amount="50000.00")
    proposal = make_proposal(make_round(community), status="on_agenda")
    return proposal


@pytest.mark.parametrize("role", Role.values)
def test_no_role_decides_a_proposal_through_any_page(client, before_the_council, role):
    proposal = before_the_council
    person = make_member(proposal.community, role)
    posted = []

    for name, pattern in _site_urls():
        client.force_login(person)
        try:
            url = reverse(name, kwargs=_arguments(pattern, proposal))
        except NoReverseMatch:  # a page that takes other arguments
            continue
        posted.append(client.post(url, DECIDING_POST).status_code)

    proposal.refresh_from_db()
    assert len(posted) > 40
    assert proposal.status == Status.ON_AGENDA
    assert not proposal.events.filter(action__in=DECISIONS).exists()


@pytest.mark.parametrize("decide", DECISION_SERVICES)
@pytest.mark.parametrize(
    "role", sorted(set(Role.values) - {Role.COUNCILLOR, Role.COORDINATOR})
)
def test_no_staff_or_resident_role_carries_out_a_decision(
    before_the_council, decide, role
):
    proposal = before_the_council

    with pytest.raises(PermissionDenied, match="right to do this"):
        decide(
            proposal=proposal,
            actor=make_member(proposal.community, role),
            decision="JMJY-1#1",
            idempotency_key="k",
        )


@pytest.mark.parametrize("decide", DECISION_SERVICES)
@pytest.mark.parametrize("role", [Role.COUNCILLOR, Role.COORDINATOR])
def test_a_member_of_the_council_decides_nothing_without_a_meetings_decision(
    before_the_council, decide, role
):
    proposal = before_the_council

    with pytest.raises(ValidationError, match="cites the meeting's decision") as error:
        decide(
            proposal=proposal,
            actor=make_member(proposal.community, role),
            decision="",
            idempotency_key="k",
        )

    assert error.value.code == "decision_required"


def test_a_meetings_decision_approves_the_proposal(key):
    community, _keeper, _tranche = make_funded_community(amount="50000.00")
    council, chair, members = make_council(community, seats=5)
    proposal = make_proposal(make_round(community), status="eligible")
    meeting = make_meeting(council, chair=chair)
    worker = make_member(community, Role.SOCIAL_WORKER)
    services.agenda_add_proposal(meeting=meeting, proposal=proposal, actor=worker)
    for person in (chair, *members):
        services.meeting_check_in(meeting=meeting, member=person, idempotency_key=key())
    services.meeting_call_to_order(meeting=meeting, chair=chair, idempotency_key=key())
    services.motion_move(
        meeting=meeting,
        member=members[0],
        motion="main",
        text=f"That the council fund {proposal.title}",
        proposal=proposal,
        amount=Decimal("1000.00"),
        idempotency_key=key(),
    )
    services.motion_second(meeting=meeting, member=members[1], idempotency_key=key())
    services.motion_state(meeting=meeting, chair=chair, idempotency_key=key())
    services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=key()
    )
    for member in members[:3]:
        services.vote_cast(
            meeting=meeting, member=member, choice="yes", idempotency_key=key()
        )

    services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())

    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
    assert proposal.approved_amount == Decimal("1000.00")
    assert proposal.decision_reference == f"{community.code}-{meeting.number}#{8}"
    assert proposal.events.get(action="approved").actor == chair
