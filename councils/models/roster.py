"""The council itself: its rule settings and their history, terms and seats.

A seat row is held by one verified resident for a time; ended seats stay as
the roster's history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fundapp.choices import ChoiceLabels
from fundapp.history import track_changes
from fundapp.models import in_reader_language
from fundapp.money import CNYField


class SmallBoardRules(models.TextChoices):
    OFF = "off", _("off (the council runs as an assembly)")
    AUTO = "auto", _("automatic (while 12 or fewer are present)")
    ON = "on", _("on")


class CouncilKind(models.TextChoices):
    """What the community calls its decision body; the procedure is the same."""

    RESIDENT_COUNCIL = "resident_council", _("resident council")
    RESIDENTS_CONFERENCE = "residents_conference", _("residents' conference")


# The name a body of each kind takes by default: (Chinese, English), of the
# community's names (JMJY's 居民议事会, XWJ's 居民会议).
KIND_NAMES = {
    CouncilKind.RESIDENT_COUNCIL: ("%s居民议事会", "%s Resident Council"),
    CouncilKind.RESIDENTS_CONFERENCE: ("%s居民会议", "%s Residents' Conference"),
}


@track_changes(model_name="CouncilHistory")
class Council(ChoiceLabels, models.Model):
    """The decision body of one community (a resident council or a residents'
    conference), with its rule settings (§0)."""

    Kind = CouncilKind

    community = models.OneToOneField(
        "fundapp.Community", models.PROTECT, related_name="council"
    )
    kind = models.CharField(
        _("kind"),
        max_length=24,
        choices=CouncilKind.choices,
        default=CouncilKind.RESIDENT_COUNCIL,
        db_default=CouncilKind.RESIDENT_COUNCIL,
    )
    name = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    quorum = models.PositiveSmallIntegerField(
        _("fixed quorum"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a majority of the voting members."),
    )
    small_board_rules = models.CharField(
        _("small-board rules"),
        max_length=8,
        choices=SmallBoardRules.choices,
        default=SmallBoardRules.OFF,
    )
    main_motion_two_thirds_above = CNYField(
        _("main motions to fund more than this need two-thirds"),
        null=True,
        blank=True,
    )
    consent_calendar = models.BooleanField(_("consent calendar used"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [
            models.CheckConstraint(
                condition=Q(small_board_rules__in=SmallBoardRules.values),
                name="council_small_board_rules_known",
            ),
            models.CheckConstraint(
                condition=Q(quorum__isnull=True) | Q(quorum__gt=0),
                name="council_quorum_positive",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CouncilKind.values), name="council_kind_known"
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("councils:council", kwargs={"code": self.community.code})

    @property
    def display_name(self) -> str:
        """The name in the reader's language: English where the data has it."""
        return in_reader_language(self.name, self.name_en)

    def rule_settings(self) -> dict:
        """The settings of ROBERTS_RULES §0 as plain data, for the log of changes."""
        above = self.main_motion_two_thirds_above
        return {
            "quorum": self.quorum,
            "small_board_rules": self.small_board_rules,
            "main_motion_two_thirds_above": None if above is None else str(above),
            "consent_calendar": self.consent_calendar,
        }


class CouncilSettingsChange(models.Model):
    """One recorded change of a council's rule settings."""

    council = models.ForeignKey(
        Council, models.CASCADE, related_name="settings_changes"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField()
    after = models.JSONField()
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.council} · {self.changed_at:%Y-%m-%d %H:%M}"


@track_changes(model_name="TermHistory")
class Term(models.Model):
    """One term of office of the council (phase 1, phase 2 ...)."""

    council = models.ForeignKey(Council, models.CASCADE, related_name="terms")
    name = models.CharField(_("name"), max_length=80)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    coordinator_seats = models.PositiveSmallIntegerField(
        _("coordinator seats"), default=0
    )
    councillor_seats = models.PositiveSmallIntegerField(_("councillor seats"))

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="term_ends_after_start",
            )
        ]

    def __str__(self):
        return self.name


class SeatRole(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    COUNCILLOR = "councillor", _("councillor")


@track_changes(model_name="SeatHistory")
class Seat(ChoiceLabels, models.Model):
    """A seat held by one verified resident for a time; rows are the history."""

    Role = SeatRole

    term = models.ForeignKey(Term, models.CASCADE, related_name="seats")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="council_seats"
    )
    role = models.CharField(_("role"), max_length=12, choices=SeatRole.choices)
    is_voting = models.BooleanField(_("votes"), default=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=120, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["term", "role", "starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "holder"],
                condition=Q(ends_on__isnull=True),
                name="seat_one_open_per_holder_per_term",
            ),
            models.CheckConstraint(
                condition=Q(role__in=SeatRole.values), name="seat_role_known"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="seat_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.holder} · {self.get_role_display()}"
