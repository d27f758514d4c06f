"""The rules of people at their edges: registering, verifying, granting roles
and letting a paused login in again; whole messages under their fields, and
what each records (issue 17)."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fundapp import services
from fundapp.models import LoginUnlock, Membership, Role, User
from tests.factories import make_community, make_member, make_user

pytestmark = pytest.mark.django_db

NOT_ALLOWED = "You do not have the right to do this here."
PASSWORD = "linli-test-pass"


def register(community, **fields):
    return services.resident_register(
        community=community,
        phone=fields.pop("phone", "13712345678"),
        password=fields.pop("password", PASSWORD),
        display_name=fields.pop("display_name", "黄阿姨"),
        address=fields.pop("address", "3栋2单元301"),
    )


def refusal(call, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError, match=".") as refused:
        call(*args, **kwargs)
    return refused.value


def unverified_resident(community) -> Membership:
    return Membership.objects.create(
        user=make_user(), community=community, role=Role.RESIDENT
    )


# Registering: a login by phone and an unverified resident membership.


def test_a_resident_registers_by_phone_unverified_with_what_they_typed_trimmed():
    community = make_community()

    user = register(
        community, phone=" 13712345678 ", display_name=" 黄阿姨 ", address=" 3栋301 "
    )

    user.refresh_from_db()
    assert (user.username, user.phone, user.display_name) == (
        "13712345678",
        "13712345678",
        "黄阿姨",
    )
    assert user.check_password(PASSWORD)
    membership = user.memberships.get()
    assert (membership.community, membership.role, membership.address) == (
        community,
        Role.RESIDENT,
        "3栋301",
    )
    assert membership.verified_at is None


def test_a_registration_names_every_field_that_is_wrong_at_once():
    community = make_community()

    refused = refusal(
        register,
        community,
        phone="2371234567",
        display_name="  ",
        address=" ",
        password="1234",
    )

    assert refused.message_dict == {
        "phone": ["Enter a mainland mobile number: 11 digits starting with 1."],
        "display_name": ["Give the name your neighbours know you by."],
        "address": ["Give your building, unit and room."],
        "password": [
            "This password is too short. It must contain at least 8 characters.",
            "This password is too common.",
            "This password is entirely numeric.",
        ],
    }
    assert not User.objects.filter(username="2371234567").exists()


def test_a_phone_number_already_registered_is_refused_under_the_phone():
    community = make_community()
    make_user(phone="13712345678")

    refused = refusal(register, community, phone="13712345678")

    assert refused.message_dict == {
        "phone": ["This phone number is already registered; log in instead."]
    }
    assert not Membership.objects.filter(community=community).exists()


def test_a_password_like_the_phone_number_is_refused():
    community = make_community()

    refused = refusal(register, community, password="p13712345678")

    assert refused.message_dict == {
        "password": ["The password is too similar to the username."]
    }


# Verifying a resident against the roster.


def test_verifying_records_who_verified_and_the_roster_reference_trimmed():
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    membership = unverified_resident(community)
    before = timezone.now()

    verified = services.resident_verify(
        membership=membership, verified_by=worker, roster_reference=" R" * 40
    )

    verified.refresh_from_db()
    assert before <= verified.verified_at <= timezone.now()
    assert verified.verified_by == worker
    assert verified.roster_reference == ("R" + " R" * 39)[:60]


def test_a_verification_without_a_roster_reference_records_none():
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)

    verified = services.resident_verify(
        membership=unverified_resident(community), verified_by=worker
    )

    verified.refresh_from_db()
    assert verified.roster_reference == ""


def test_only_a_resident_registration_is_verified():
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    membership = Membership.objects.create(
        user=make_user(), community=community, role=Role.COUNCILLOR
    )

    refused = refusal(
        services.resident_verify, membership=membership, verified_by=worker
    )

    assert refused.messages == ["Only resident registrations are verified here."]
    membership.refresh_from_db()
    assert membership.verified_at is None


def test_a_social_worker_of_another_community_cannot_verify():
    community = make_community()
    stranger = make_member(make_community(), Role.SOCIAL_WORKER)
    membership = unverified_resident(community)

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.resident_verify(membership=membership, verified_by=stranger)

    membership.refresh_from_db()
    assert membership.verified_at is None


# Granting roles.


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.COUNCILLOR, Role.COORDINATOR])
def test_a_social_worker_grants_a_residents_or_councils_role_verified(role):
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    person = make_user()
    before = timezone.now()

    membership = services.role_grant(
        user=person, community=community, role=role, granted_by=worker
    )

    membership.refresh_from_db()
    assert (membership.user, membership.role, membership.verified_by) == (
        person,
        role,
        worker,
    )
    assert before <= membership.verified_at <= timezone.now()
    assert membership.address == ""


@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.FUND_COMMITTEE, Role.EVALUATOR]
)
def test_only_an_administrator_grants_a_staff_role(role):
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    person = make_user()
    administrator = make_user(is_superuser=True)

    refused = refusal(
        services.role_grant,
        user=person,
        community=community,
        role=role,
        granted_by=worker,
    )
    granted = services.role_grant(
        user=person, community=community, role=role, granted_by=administrator
    )

    assert refused.messages == ["Only an administrator grants staff roles."]
    assert (granted.role, granted.verified_by) == (role, administrator)


@pytest.mark.parametrize("where", ["elsewhere", "resident"])
def test_only_a_social_worker_of_the_community_grants_a_role(where):
    community = make_community()
    if where == "elsewhere":
        granter = make_member(make_community(), Role.SOCIAL_WORKER)
    else:
        granter = make_member(community, Role.RESIDENT)
    person = make_user()

    with pytest.raises(PermissionDenied, match="right to do this") as refused:
        services.role_grant(
            user=person, community=community, role=Role.RESIDENT, granted_by=granter
        )

    assert refused.value.args == (NOT_ALLOWED,)
    assert not person.memberships.exists()


def test_a_role_granted_again_keeps_its_first_verification():
    community = make_community()
    first_worker = make_member(community, Role.SOCIAL_WORKER)
    second_worker = make_member(community, Role.SOCIAL_WORKER)
    person = make_user()
    first = services.role_grant(
        user=person, community=community, role=Role.COUNCILLOR, granted_by=first_worker
    )

    again = services.role_grant(
        user=person,
        community=community,
        role=Role.COUNCILLOR,
        granted_by=second_worker,
    )

    again.refresh_from_db()
    assert again.pk == first.pk
    assert (again.verified_at, again.verified_by) == (
        first.verified_at,
        first_worker,
    )


def test_granting_a_registered_residents_role_verifies_the_registration():
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    membership = unverified_resident(community)
    before = timezone.now()

    granted = services.role_grant(
        user=membership.user,
        community=community,
        role=Role.RESIDENT,
        granted_by=worker,
    )

    granted.refresh_from_db()
    assert granted.pk == membership.pk
    assert granted.verified_by == worker
    assert before <= granted.verified_at <= timezone.now()


def test_a_role_granted_counts_at_once_for_the_person_granted():
    """Roles are cached on the user object for a request: the grant forgets
    them, so the same request sees the new role."""
    community = make_community()
    person = make_user()
    assert not person.has_perm("fundapp.record_tranche", community)

    services.role_grant(
        user=person, community=community, role=Role.FUND_COMMITTEE, granted_by=None
    )

    assert person.has_perm("fundapp.record_tranche", community)


# Letting a paused login in again.


def failed_logins(username, failures, ip_address="10.0.0.1"):
    AccessAttempt.objects.create(
        username=username,
        ip_address=ip_address,
        user_agent="Mozilla/5.0",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=failures,
    )


def test_an_unlock_forgets_the_persons_failed_logins_and_records_who_let_them_in():
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    resident = make_member(community)
    neighbour = make_member(community)
    failed_logins(resident.username, 3)
    failed_logins(resident.username, 2, ip_address="10.0.0.2")
    failed_logins(neighbour.username, 4)
    before = timezone.now()

    forgotten = services.login_unlock(actor=worker, community=community, user=resident)

    assert forgotten == 5
    assert not AccessAttempt.objects.filter(username=resident.username).exists()
    assert AccessAttempt.objects.filter(username=neighbour.username).count() == 1
    unlock = LoginUnlock.objects.get()
    assert (
        unlock.user,
        unlock.community,
        unlock.unlocked_by,
        unlock.failures_forgotten,
    ) == (resident, community, worker, 5)
    assert before <= unlock.at <= timezone.now()


def test_an_unlock_of_someone_with_no_failed_logins_forgets_none():
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    resident = make_member(community)

    forgotten = services.login_unlock(actor=worker, community=community, user=resident)

    assert forgotten == 0
    assert LoginUnlock.objects.get().failures_forgotten == 0


def test_only_a_member_of_the_community_is_let_in_again():
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    stranger = make_member(make_community())
    failed_logins(stranger.username, 3)

    refused = refusal(
        services.login_unlock, actor=worker, community=community, user=stranger
    )

    assert refused.messages == ["This person is not a member of the community."]
    assert AccessAttempt.objects.filter(username=stranger.username).exists()
    assert not LoginUnlock.objects.exists()


@pytest.mark.parametrize("who", ["resident", "worker elsewhere"])
def test_only_a_social_worker_of_the_community_lets_a_login_in_again(who):
    community = make_community()
    resident = make_member(community)
    if who == "resident":
        actor = make_member(community)
    else:
        actor = make_member(make_community(), Role.SOCIAL_WORKER)
    failed_logins(resident.username, 3)

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.login_unlock(actor=actor, community=community, user=resident)

    assert AccessAttempt.objects.filter(username=resident.username).exists()
    assert not LoginUnlock.objects.exists()
