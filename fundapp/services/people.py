"""People: registering residents, verifying them, granting staff roles."""

from axes.models import AccessAttempt
from axes.utils import reset as login_failures_forget
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.models import Community, LoginUnlock, Membership, Role, User
from fundapp.models.people import phone_validator
from fundapp.permissions import forget_roles, require_perm


def resident_register(
    *,
    community: Community,
    phone: str,
    password: str,
    display_name: str,
    address: str,
) -> User:
    """Create a login and an unverified resident membership of the community.

    The resident can read at once and act once a social worker verifies them.
    """
    with transaction.atomic():
        phone = phone.strip()
        errors = {}
        try:
            phone_validator(phone)
        except ValidationError as error:
            errors["phone"] = error.messages
        if not errors and User.objects.filter(phone=phone).exists():
            errors["phone"] = [
                _("This phone number is already registered; log in instead.")
            ]
        if not display_name.strip():
            errors["display_name"] = [_("Give the name your neighbours know you by.")]
        if not address.strip():
            errors["address"] = [_("Give your building, unit and room.")]
        candidate = User(username=phone, phone=phone, display_name=display_name.strip())
        try:
            validate_password(password, candidate)
        except ValidationError as error:
            errors["password"] = error.messages
        if errors:
            raise ValidationError(errors)
        candidate.set_password(password)
        candidate.save()
        Membership.objects.create(
            user=candidate,
            community=community,
            role=Role.RESIDENT,
            address=address.strip(),
        )
        return candidate


def resident_verify(
    *, membership: Membership, verified_by: User, roster_reference: str = ""
) -> Membership:
    """Mark a resident as checked against the community's roster.

    Needs `fundapp.verify_residents` in the resident's community. Verifying
    twice changes nothing.
    """
    with transaction.atomic():
        require_perm(verified_by, "fundapp.verify_residents", membership.community)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role != Role.RESIDENT:
            raise ValidationError(_("Only resident registrations are verified here."))
        if membership.verified_at is not None:
            return membership
        membership.verified_at = timezone.now()
        membership.verified_by = verified_by
        membership.roster_reference = roster_reference.strip()[:60]
        membership.save(
            update_fields=["verified_at", "verified_by", "roster_reference"]
        )
        return membership


def role_grant(
    *,
    user: User,
    community: Community,
    role: str,
    granted_by: User | None,
    address: str = "",
) -> Membership:
    """Give a person a verified role in a community (idempotent).

    Staff roles are granted by a superuser (the admin or `load_demo` passes
    None); a resident role granted this way counts as verified.
    """
    with transaction.atomic():
        if granted_by is not None and not granted_by.is_superuser:
            require_perm(granted_by, "fundapp.verify_residents", community)
            if role not in (Role.RESIDENT, Role.COUNCILLOR, Role.COORDINATOR):
                raise ValidationError(_("Only an administrator grants staff roles."))
        membership, created = Membership.objects.get_or_create(
            user=user,
            community=community,
            role=role,
            defaults={
                "verified_at": timezone.now(),
                "verified_by": granted_by,
                "address": address,
            },
        )
        if not created and membership.verified_at is None:
            membership.verified_at = timezone.now()
            membership.verified_by = granted_by
            membership.save(update_fields=["verified_at", "verified_by"])
        forget_roles(user)
        return membership


def login_unlock(*, actor: User, community: Community, user: User) -> int:
    """Let a resident whose logins are paused log in again now.

    Needs `fundapp.verify_residents` in the community, of which the user must
    be a member; forgets the account's failed logins (the record of them in
    the failure log stays) and records who let them in again, for the audit
    page. Returns how many wrong passwords were forgotten.
    """
    require_perm(actor, "fundapp.verify_residents", community)
    if not Membership.objects.filter(community=community, user=user).exists():
        raise ValidationError(_("This person is not a member of the community."))
    with transaction.atomic():
        forgotten = (
            AccessAttempt.objects.filter(username=user.username).aggregate(
                failures=Sum("failures_since_start")
            )["failures"]
            or 0
        )
        login_failures_forget(username=user.username)
        LoginUnlock.objects.create(
            user=user,
            community=community,
            unlocked_by=actor,
            failures_forgotten=forgotten,
            at=timezone.now(),
        )
    return forgotten
