"""People and the roles they hold in each community (DESIGN §1)."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fundapp.choices import ChoiceLabels
from fundapp.history import track_changes

phone_validator = RegexValidator(
    r"^1\d{10}$", _("Enter a mainland mobile number: 11 digits starting with 1.")
)


class User(AbstractUser):
    """A person who logs in with a phone number (or username) and a password."""

    phone = models.CharField(
        _("mobile phone"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[phone_validator],
    )
    display_name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username


class Role(models.TextChoices):
    """The roles held in one community.

    The superior departments' viewers and the donor programs' officers are not
    here: they read the reports of many communities and are attached to their
    department or program (`reports.DepartmentViewer`, `reports.ProgramOfficer`).
    """

    RESIDENT = "resident", _("resident")
    COUNCILLOR = "councillor", _("councillor")
    COORDINATOR = "coordinator", _("coordinator")
    SOCIAL_WORKER = "social_worker", _("social worker")
    FUND_COMMITTEE = "fund_committee", _("fund committee member")
    EVALUATOR = "evaluator", _("evaluator")


@track_changes(model_name="MembershipHistory", exclude=["address", "roster_reference"])
class Membership(ChoiceLabels, models.Model):
    """One role that one person holds in one community.

    A resident's membership stays unverified until a social worker of the
    community checks it against the roster; staff roles are granted verified.
    """

    user = models.ForeignKey(User, models.CASCADE, related_name="memberships")
    community = models.ForeignKey(
        "fundapp.Community", models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    address = models.CharField(
        _("address in the community"),
        max_length=120,
        blank=True,
        help_text=_("Building, unit and room, as on the residents' roster."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+"
    )
    roster_reference = models.CharField(
        _("roster reference"), max_length=60, blank=True
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="membership_role_known"
            ),
        ]
        indexes = [models.Index(fields=["community", "role", "verified_at"])]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.community_id}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class LoginUnlock(models.Model):
    """A social worker let a person whose logins were paused log in again.

    Kept for the audit page beside the logins, failed logins and lockouts it
    answers; append-only, like the login records (`fundapp.services.people`).
    """

    user = models.ForeignKey(User, models.PROTECT, related_name="+")
    community = models.ForeignKey("fundapp.Community", models.PROTECT, related_name="+")
    unlocked_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    # How many wrong passwords of the account were forgotten.
    failures_forgotten = models.PositiveIntegerField()
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("login let again")
        verbose_name_plural = _("logins let again")
        indexes = [models.Index(fields=["community", "-at"])]

    def __str__(self):
        return f"{self.user} · {self.at:%Y-%m-%d %H:%M}"
