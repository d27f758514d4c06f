import pytest
from django.contrib.auth.models import AnonymousUser

from fundapp import services
from fundapp.models import Membership, Role, User
from tests.factories import make_community, make_member, make_user

pytestmark = pytest.mark.django_db


def test_an_unverified_resident_can_read_but_not_act():
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    resident = make_user()
    membership = Membership.objects.create(
        user=resident, community=community, role=Role.RESIDENT
    )

    assert resident.has_perm("fundapp.view_fund", community)
    assert not resident.has_perm("fundapp.act_in_community", community)

    services.resident_verify(membership=membership, verified_by=worker)

    # Roles are cached per request, on the user object: the next request reloads.
    resident = User.objects.get(pk=resident.pk)
    assert resident.has_perm("fundapp.act_in_community", community)


def test_roles_count_only_in_their_own_community():
    here = make_community()
    there = make_community()
    keeper = make_member(here, Role.FUND_COMMITTEE)

    assert keeper.has_perm("fundapp.record_tranche", here)
    assert not keeper.has_perm("fundapp.record_tranche", there)


@pytest.mark.parametrize(
    ("role", "may_record", "may_verify"),
    [
        (Role.RESIDENT, False, False),
        (Role.COUNCILLOR, False, False),
        (Role.SOCIAL_WORKER, False, True),
        (Role.FUND_COMMITTEE, True, False),
    ],
)
def test_each_role_may_do_its_own_part(role, may_record, may_verify):
    community = make_community()
    person = make_member(community, role)

    assert person.has_perm("fundapp.record_tranche", community) is may_record
    assert person.has_perm("fundapp.verify_residents", community) is may_verify


def test_only_the_communitys_staff_read_its_reports_by_their_role():
    community = make_community()

    for role, may_read in [
        (Role.SOCIAL_WORKER, True),
        (Role.FUND_COMMITTEE, True),
        (Role.RESIDENT, False),
        (Role.COUNCILLOR, False),
    ]:
        person = make_member(community, role)
        assert person.has_perm("fundapp.view_reports", community) is may_read


def test_no_community_role_is_reserved_for_departments_or_donor_programs():
    assert "department_viewer" not in Role.values
    assert "program_officer" not in Role.values


def test_anonymous_visitors_may_only_read():
    community = make_community()
    visitor = AnonymousUser()

    assert visitor.has_perm("fundapp.view_fund", community)
    assert not visitor.has_perm("fundapp.act_in_community", community)


def test_verifying_twice_changes_nothing():
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    membership = Membership.objects.create(
        user=make_user(), community=community, role=Role.RESIDENT
    )
    first = services.resident_verify(membership=membership, verified_by=worker)

    second = services.resident_verify(membership=membership, verified_by=worker)

    assert first.verified_at == second.verified_at
