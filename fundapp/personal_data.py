"""What Linli stores about a person: a copy for them, and erasure on request
(China's Personal Information Protection Law, articles 45 and 47).

Each app declares what it keeps about a person with `register_personal_data`
from its `AppConfig.ready()`; this module never imports the apps above it. The
copy is every app's part, as JSON. Erasure anonymises the person: their name,
number, email, addresses and login records go, their account can no longer be
used; the ledger, the votes, the minutes and the public record keep the row
they point to, under a name that no longer says who it was.
"""

from collections.abc import Callable
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.utils import timezone

from fundapp.models import Membership, User


@dataclass(frozen=True)
class PersonalData:
    # The part's name in the copy, e.g. "proposals".
    name: str
    export: Callable[[User], object]
    # Removes what must not outlive the person's wish (None: the part is
    # public record, kept under the anonymised name).
    erase: Callable[[User], None] | None = None


_PARTS: dict[str, PersonalData] = {}


def register_personal_data(part: PersonalData) -> PersonalData:
    _PARTS[part.name] = part
    return part


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def _account(user: User) -> dict:
    logins = AccessLog.objects.filter(username=user.username).order_by("attempt_time")
    failures = AccessFailureLog.objects.filter(username=user.username)
    return {
        "username": user.username,
        "name": user.display_name,
        "mobile_phone": user.phone,
        "email": user.email,
        "joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "memberships": [
            {
                "community": membership.community.code,
                "role": membership.role,
                "address": membership.address,
                "roster_reference": membership.roster_reference,
                "registered": _when(membership.created_at),
                "verified": _when(membership.verified_at),
            }
            for membership in user.memberships.select_related("community").order_by(
                "pk"
            )
        ],
        "logins": [
            {
                "at": _when(login.attempt_time),
                "address": login.ip_address,
                "browser": login.user_agent,
            }
            for login in logins
        ],
        "failed_logins": [
            {"at": _when(failure.attempt_time), "address": failure.ip_address}
            for failure in failures.order_by("attempt_time")
        ],
    }


def personal_data_export(user: User) -> dict:
    """Everything stored about the person, by part, as JSON-ready data."""
    return {
        "exported_at": _when(timezone.now()),
        "account": _account(user),
        **{name: part.export(user) for name, part in sorted(_PARTS.items())},
    }


@transaction.atomic
def personal_data_erase(*, user: User) -> User:
    """Anonymise the person for good; the caller has checked it is their wish."""
    user = User.objects.select_for_update().get(pk=user.pk)
    for part in _PARTS.values():
        if part.erase is not None:
            part.erase(user)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=user.username).delete()
    Membership.objects.filter(user=user).update(address="", roster_reference="")
    user.username = f"erased-{user.pk}"
    user.display_name = f"已注销 {user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.phone = None
    user.is_active = False
    user.set_unusable_password()
    user.save()
    return user
