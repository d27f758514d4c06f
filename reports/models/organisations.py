"""Who reports to whom: the superior departments, the donor programs, and the
people who read their reports (issue 11, point 1)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    EmailValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fundapp.choices import ChoiceLabels
from fundapp.history import track_changes
from fundapp.models.fund import BilingualNameMixin

code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9-]{1,23}$",
    _("Use capital letters, digits and hyphens, such as YHT-MZJ."),
)


class ReaderRole(models.TextChoices):
    """The read-only people of the reports, attached to a department or a
    donor program rather than to a community (fundapp.Role holds those)."""

    DEPARTMENT_VIEWER = "department_viewer", _("department viewer")
    PROGRAM_OFFICER = "program_officer", _("program officer")


class DepartmentKind(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", _("civil affairs bureau")
    ORGANIZATION = "organization_department", _("Organization Department")
    SUBDISTRICT = "subdistrict_office", _("subdistrict office")
    DONOR_PROGRAM = "donor_program", _("donor program")


@track_changes(model_name="DepartmentHistory")
class Department(ChoiceLabels, BilingualNameMixin):
    """A superior department: supervises communities and receives their reports.

    A donor program's office that receives reports is a department of kind
    donor program (`DonorProgram.department`).
    """

    Kind = DepartmentKind

    code = models.CharField(
        _("code"), max_length=24, unique=True, validators=[code_validator]
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    emails = models.JSONField(
        _("contact email addresses"),
        default=list,
        blank=True,
        help_text=_("Submitted reports are emailed to each of these addresses."),
    )
    communities = models.ManyToManyField(
        "fundapp.Community",
        related_name="supervising_departments",
        blank=True,
        verbose_name=_("supervised communities"),
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DepartmentKind.values),
                name="department_kind_known",
            )
        ]

    def clean(self):
        super().clean()
        if not isinstance(self.emails, list):
            raise ValidationError({"emails": _("Give a list of email addresses.")})
        check = EmailValidator()
        for address in self.emails:
            try:
                check(address)
            except ValidationError:
                raise ValidationError(
                    {
                        "emails": _("%(address)s is not an email address.")
                        % {"address": address}
                    }
                ) from None


class RequirementKind(models.TextChoices):
    ANNUAL = "annual", _("annual report")
    SOURCE = "source", _("source statement")


@track_changes(model_name="RequirementHistory")
class Requirement(ChoiceLabels, models.Model):
    """A report a department requires of a community each year, and by when.

    The deadline falls in the year after the one reported on (the 2016 annual
    report is due by 31 March 2017, say). A source statement names the source
    it is about (the granted fund the Organization Department gives).
    """

    Kind = RequirementKind

    department = models.ForeignKey(
        Department, models.CASCADE, related_name="requirements"
    )
    community = models.ForeignKey(
        "fundapp.Community", models.CASCADE, related_name="report_requirements"
    )
    kind = models.CharField(_("report"), max_length=16, choices=Kind.choices)
    source = models.ForeignKey(
        "fundapp.Source",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="report_requirements",
        verbose_name=_("source"),
    )
    due_month = models.PositiveSmallIntegerField(
        _("due month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    due_day = models.PositiveSmallIntegerField(
        _("due day"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )

    class Meta:
        verbose_name = _("required report")
        verbose_name_plural = _("required reports")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "community", "kind"],
                condition=Q(source__isnull=True),
                name="requirement_once_per_kind",
            ),
            models.UniqueConstraint(
                fields=["department", "community", "kind", "source"],
                condition=Q(source__isnull=False),
                name="requirement_once_per_source",
            ),
            models.CheckConstraint(
                condition=Q(kind="source", source__isnull=False)
                | Q(kind="annual", source__isnull=True),
                name="requirement_source_iff_source_statement",
            ),
            models.CheckConstraint(
                condition=Q(due_month__gte=1, due_month__lte=12)
                & Q(due_day__gte=1, due_day__lte=31),
                name="requirement_due_date_valid",
            ),
        ]

    def __str__(self):
        return f"{self.department} · {self.community} · {self.get_kind_display()}"


class DonorProgram(BilingualNameMixin):
    """A donor's program across many communities (the HSBC Community
    Partnership Program): the sources of their funds that it groups."""

    code = models.CharField(
        _("code"), max_length=24, unique=True, validators=[code_validator]
    )
    sources = models.ManyToManyField(
        "fundapp.Source",
        related_name="programs",
        blank=True,
        verbose_name=_("sources"),
    )
    department = models.ForeignKey(
        Department,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name=_("receiving office"),
        help_text=_("The department, of kind donor program, that receives reports."),
    )

    class Meta:
        verbose_name = _("donor program")
        verbose_name_plural = _("donor programs")
        ordering = ["code"]


@track_changes(model_name="DepartmentViewerHistory")
class DepartmentViewer(models.Model):
    """A person who reads what is submitted to one department (read-only)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="department_seats"
    )
    department = models.ForeignKey(Department, models.CASCADE, related_name="viewers")

    class Meta:
        verbose_name = _("department viewer")
        verbose_name_plural = _("department viewers")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department"], name="department_viewer_once"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.department}"


class ProgramOfficer(models.Model):
    """A person who reads one donor program's reports (read-only)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="program_seats"
    )
    program = models.ForeignKey(DonorProgram, models.CASCADE, related_name="officers")

    class Meta:
        verbose_name = _("program officer")
        verbose_name_plural = _("program officers")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program"], name="program_officer_once"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.program}"
