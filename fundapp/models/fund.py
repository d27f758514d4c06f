"""Communities, their funds, who gives to them, and each contribution (DESIGN §2)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fundapp.choices import ChoiceLabels
from fundapp.history import track_changes
from fundapp.money import CNYField, cny


class Category(models.TextChoices):
    """What a proposal is about; tranches may be restricted to some of these."""

    CULTURE = "culture", _("culture")
    ENVIRONMENT = "environment", _("environment")
    HEALTH = "health", _("health")
    ELDERLY_CARE = "elderly_care", _("elderly care")
    EDUCATION = "education", _("education")
    SECURITY = "security", _("security")
    MUTUAL_AID = "mutual_aid", _("mutual aid")
    SELF_GOVERNANCE = "self_governance", _("self-governance")
    DISABILITY = "disability", _("disability support")
    OTHER = "other", _("other")


def in_reader_language(chinese: str, english: str) -> str:
    """The English form for an English reader where the data has one."""
    if english and (get_language() or "").startswith("en"):
        return english
    return chinese


class BilingualNameMixin(models.Model):
    """A Chinese name and an English one; pages show the reader's."""

    name = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_reader_language(self.name, self.name_en)


@track_changes(model_name="CommunityHistory")
class Community(BilingualNameMixin):
    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9]{1,11}$")],
        help_text=_("Short capital letters used in addresses, such as JMJY."),
    )
    city = models.CharField(_("city"), max_length=60)
    district = models.CharField(_("district"), max_length=60)
    subdistrict = models.CharField(_("subdistrict"), max_length=60, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=60, blank=True)
    district_en = models.CharField(_("district (English)"), max_length=60, blank=True)
    subdistrict_en = models.CharField(
        _("subdistrict (English)"), max_length=60, blank=True
    )
    rating_window_days = models.PositiveSmallIntegerField(
        _("days residents may rate a completed project"),
        default=60,
        db_default=60,
        help_text=_(
            "Residents rate a funded project while it runs and for this many days "
            "after it is completed."
        ),
    )

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating_window_days__gte=7, rating_window_days__lte=366),
                name="community_rating_window_plausible",
            )
        ]

    def get_absolute_url(self):
        return reverse("fund:fund", kwargs={"code": self.code})

    @property
    def city_name(self) -> str:
        return in_reader_language(self.city, self.city_en)

    @property
    def district_name(self) -> str:
        return in_reader_language(self.district, self.district_en)

    @property
    def subdistrict_name(self) -> str:
        return in_reader_language(self.subdistrict, self.subdistrict_en)


@track_changes(model_name="FundHistory")
class Fund(BilingualNameMixin):
    community = models.OneToOneField(Community, models.PROTECT, related_name="fund")
    currency = models.CharField(max_length=3, default="CNY", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("community fund")
        verbose_name_plural = _("community funds")
        constraints = [
            models.CheckConstraint(
                condition=Q(currency="CNY"), name="fund_currency_cny"
            )
        ]

    def get_absolute_url(self):
        return reverse("fund:fund", kwargs={"code": self.community.code})


class SourceKind(models.TextChoices):
    CORPORATE_DONOR = "corporate_donor", _("corporate donor")
    GOVERNMENT_MATCHING = "government_matching", _("government matching")
    GOVERNMENT_GRANTED = "government_granted", _("government granted fund")
    ENTERPRISE = "enterprise", _("enterprise")
    INDIVIDUAL = "individual", _("individual")
    CROWDFUNDING = "crowdfunding", _("resident crowdfunding")
    FOUNDATION = "foundation", _("foundation")


@track_changes(model_name="SourceHistory")
class Source(ChoiceLabels, BilingualNameMixin):
    """Who gives money to a fund."""

    Kind = SourceKind

    fund = models.ForeignKey(Fund, models.PROTECT, related_name="sources")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["fund_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "name"], name="source_unique_name"),
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_known"
            ),
        ]


@track_changes(model_name="TrancheHistory")
class Tranche(models.Model):
    """One contribution from one source for one fiscal (calendar) year.

    Its money lives in the ledger: receiving it posts the amount to the
    tranche's available account. A tranche may match another one (the
    district matches the donor 1:1 up to a cap); the service checks that it
    stays within ratio × matched amount and the cap.
    """

    fund = models.ForeignKey(Fund, models.PROTECT, related_name="tranches")
    source = models.ForeignKey(Source, models.PROTECT, related_name="tranches")
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    reference = models.CharField(
        _("reference"),
        max_length=60,
        help_text=_("The agreement or bank slip number that identifies this money."),
    )
    amount = CNYField(_("amount"))
    received_on = models.DateField(_("received on"))
    allowed_categories = models.JSONField(
        _("allowed categories"),
        default=list,
        blank=True,
        help_text=_("Leave empty when the money may pay for any category."),
    )
    spend_by = models.DateField(_("spend by"), null=True, blank=True)
    matches = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="matched_by",
        verbose_name=_("matches tranche"),
    )
    match_ratio = models.DecimalField(
        _("match ratio"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    match_cap = CNYField(_("match cap"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "fundapp.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["fiscal_year", "received_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "fiscal_year", "reference"],
                name="tranche_unique_reference",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="tranche_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(matches__isnull=True)
                | Q(match_ratio__isnull=False, match_ratio__gt=0),
                name="tranche_match_has_ratio",
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.fiscal_year} {self.reference}"

    @property
    def allowed_category_labels(self) -> list[str]:
        return [Category(value).label for value in self.allowed_categories]

    def allows(self, category: str) -> bool:
        return not self.allowed_categories or category in self.allowed_categories

    @property
    def match_limit(self) -> Decimal | None:
        """The most this tranche may be, given what it matches (None: no match)."""
        if self.matches_id is None:
            return None
        limit = cny(self.matches.amount * self.match_ratio)
        if self.match_cap is not None:
            limit = min(limit, self.match_cap)
        return limit
