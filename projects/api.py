"""The open data API of funded projects: read-only, as the public pages show them.

Projects, their installments, progress reports and evaluation summaries.
Nothing here carries a bank reference, a receipt, a contact's phone or who
signed or filed what: those are for the fund committee, social workers and
evaluators (`projects.view_receipts`), not the public. Every list runs a
fixed number of queries per page, whatever the size of its projects.
"""

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import routers, serializers, viewsets
from rest_framework.response import Response

from fundapp.filters import FreshFilters, IdFilter, YearFilter
from fundapp.models import Category
from proposals.models import Proposal

from .models import (
    DeviationFlag,
    Disbursement,
    Installment,
    ProgressReport,
    Project,
)
from .selectors import summaries_of

# Money as the other endpoints give it: a string with two decimals.
MONEY = {"max_digits": 14, "decimal_places": 2}


# Filters ----------------------------------------------------------------


class ProjectFilter(FreshFilters, filters.FilterSet):
    """Community, the proposal's status and category, the grantee, the year."""

    community = filters.CharFilter(
        field_name="community__code", label=_("Community code")
    )
    status = filters.ChoiceFilter(
        field_name="proposal__status",
        choices=[
            (value, label)
            for value, label in Proposal.Status.choices
            if value in {"approved", "active", "completed", "evaluated", "closed"}
        ],
        label=_("Status"),
    )
    category = filters.ChoiceFilter(
        field_name="proposal__category", choices=Category.choices, label=_("Category")
    )
    grantee_kind = filters.ChoiceFilter(
        choices=Project.GranteeKind.choices, label=_("grantee")
    )
    year = YearFilter(method="filter_year", label=_("Running in the year"))

    class Meta:
        model = Project
        fields = ["community", "status", "category", "grantee_kind", "year"]

    def filter_year(self, queryset, name, value):
        return queryset.annotate(
            last_year=ExtractYear(Coalesce("completed_on", "ends_on"))
        ).filter(starts_on__year__lte=value, last_year__gte=value)


class InstallmentFilter(FreshFilters, filters.FilterSet):
    """The project, its community, the installment's trigger and state."""

    STATES = [
        ("scheduled", _("scheduled")),
        ("requested", _("requested")),
        ("paid", _("paid")),
        ("on_hold", _("on hold")),
        ("cancelled", _("cancelled")),
    ]

    project = IdFilter(field_name="project_id", label=_("Project"))
    community = filters.CharFilter(
        field_name="project__community__code", label=_("Community code")
    )
    trigger = filters.ChoiceFilter(
        choices=Installment.Trigger.choices, label=_("paid when")
    )
    state = filters.ChoiceFilter(
        choices=STATES, method="filter_state", label=_("State")
    )

    class Meta:
        model = Installment
        fields = ["project", "community", "trigger", "state"]

    def filter_state(self, queryset, name, value):
        live = Q(cancelled_at__isnull=True, paid_on__isnull=True)
        return queryset.filter(
            {
                "cancelled": Q(cancelled_at__isnull=False),
                "paid": Q(cancelled_at__isnull=True, paid_on__isnull=False),
                "on_hold": live & Q(held=True),
                "requested": live & Q(held=False, requested=True),
                "scheduled": live & Q(held=False, requested=False),
            }[value]
        )


class ProgressReportFilter(FreshFilters, filters.FilterSet):
    """The project, its community, the kind and review of the report, the year."""

    project = IdFilter(field_name="project_id", label=_("Project"))
    community = filters.CharFilter(
        field_name="project__community__code", label=_("Community code")
    )
    kind = filters.ChoiceFilter(choices=ProgressReport.Kind.choices, label=_("Kind"))
    status = filters.ChoiceFilter(
        choices=ProgressReport.Status.choices, label=_("Status")
    )
    year = YearFilter(field_name="happened_on", lookup_expr="year", label=_("Year"))

    class Meta:
        model = ProgressReport
        fields = ["project", "community", "kind", "status", "year"]


# Serializers ------------------------------------------------------------


class ProjectSerializer(serializers.ModelSerializer):
    community = serializers.SlugRelatedField(slug_field="code", read_only=True)
    reference = serializers.CharField(source="proposal.decision_reference")
    title = serializers.CharField(source="proposal.title")
    category = serializers.CharField(source="proposal.category")
    status = serializers.CharField(source="proposal.status")
    approved_amount = serializers.DecimalField(
        source="proposal.approved_amount", allow_null=True, **MONEY
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "proposal",
            "community",
            "reference",
            "title",
            "category",
            "status",
            "grantee_kind",
            "grantee_name",
            "approved_amount",
            "starts_on",
            "ends_on",
            "completed_on",
        ]


class InstallmentSerializer(serializers.ModelSerializer):
    """One part of the schedule and whether it was paid (never how)."""

    state = serializers.SerializerMethodField()
    paid_on = serializers.DateField(allow_null=True)
    paid_amount = serializers.DecimalField(allow_null=True, **MONEY)

    class Meta:
        model = Installment
        fields = [
            "id",
            "project",
            "position",
            "percent",
            "amount",
            "trigger",
            "due_on",
            "state",
            "paid_on",
            "paid_amount",
        ]

    def get_state(self, installment) -> str:
        """scheduled, requested, paid, on_hold or cancelled (as the project page)."""
        if installment.cancelled_at is not None:
            return "cancelled"
        if installment.paid_on is not None:
            return "paid"
        if installment.held:
            return "on_hold"
        return "requested" if installment.requested else "scheduled"


class ProgressReportSerializer(serializers.ModelSerializer):
    milestone = serializers.CharField(source="milestone.title", allow_null=True)
    photos = serializers.IntegerField(source="photo_count")

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "project",
            "kind",
            "milestone",
            "summary",
            "happened_on",
            "place",
            "participants",
            "status",
            "photos",
        ]


class SatisfactionSerializer(serializers.Serializer):
    mean = serializers.DecimalField(
        max_digits=3, decimal_places=1, allow_null=True, source="satisfaction_mean"
    )
    count = serializers.IntegerField(source="rating_count")
    distribution = serializers.DictField(
        child=serializers.IntegerField(),
        source="rating_distribution",
        help_text="How many residents gave each score, 1 to 5.",
    )


class FlagSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DeviationFlag.Kind.choices)
    state = serializers.ChoiceField(choices=DeviationFlag.State.choices)


class SummarySerializer(serializers.Serializer):
    """A project's evaluation summary: satisfaction, delivery, money, flags."""

    project = serializers.IntegerField(source="project.pk")
    community = serializers.CharField(source="project.community.code")
    reference = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    status = serializers.CharField(source="proposal.status")
    satisfaction = SatisfactionSerializer(source="*")
    participants = serializers.IntegerField()
    volunteer_count = serializers.IntegerField()
    volunteer_hours = serializers.DecimalField(max_digits=9, decimal_places=1)
    approved_amount = serializers.DecimalField(**MONEY)
    paid_amount = serializers.DecimalField(**MONEY)
    spent_amount = serializers.DecimalField(**MONEY)
    returned_amount = serializers.DecimalField(**MONEY)
    flags = serializers.SerializerMethodField()

    def get_flags(self, summary) -> FlagSerializer(many=True):
        return [{"kind": kind, "state": state} for kind, state in summary.flags]


# Views ------------------------------------------------------------------


def public_projects():
    return Project.objects.select_related("proposal", "community").order_by(
        "-starts_on", "-id"
    )


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Funded projects with their grant: who delivers it, when, for how much."""

    queryset = public_projects()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter


class InstallmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The installments of the projects' schedules, paid or not, and when."""

    serializer_class = InstallmentSerializer
    filterset_class = InstallmentFilter

    def get_queryset(self):
        paid = Disbursement.objects.filter(
            installment=OuterRef("pk"), status=Disbursement.Status.PAID
        )
        return Installment.objects.annotate(
            paid_on=Subquery(paid.values("paid_on")[:1]),
            paid_amount=Subquery(paid.values("amount")[:1]),
            requested=Exists(
                Disbursement.objects.filter(
                    installment=OuterRef("pk"), status=Disbursement.Status.REQUESTED
                )
            ),
            held=Exists(
                DeviationFlag.objects.filter(
                    project=OuterRef("project"), state__in=DeviationFlag.HOLDING
                )
            ),
        ).order_by(F("project__starts_on").desc(), "-project_id", "position")


class ProgressReportViewSet(viewsets.ReadOnlyModelViewSet):
    """What the grantees did, when, where and with how many residents."""

    queryset = (
        ProgressReport.objects.select_related("milestone")
        .annotate(photo_count=Count("photos"))
        .order_by("-happened_on", "-id")
    )
    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilter


class SummaryViewSet(viewsets.ReadOnlyModelViewSet):
    """Each project's evaluation summary, by the project's id: residents'
    satisfaction (mean, count, distribution), participants, volunteers and
    their hours, budget against spend, and the deviation flags' outcomes.
    Filtered as the projects are."""

    queryset = public_projects()
    serializer_class = SummarySerializer
    filterset_class = ProjectFilter

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        data = SummarySerializer(summaries_of(list(page)), many=True).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        (summary,) = summaries_of([self.get_object()])
        return Response(SummarySerializer(summary).data)


# A SimpleRouter: no API root view of its own, so fundapp's stays at /api/.
router = routers.SimpleRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("installments", InstallmentViewSet, basename="installment")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("evaluation-summaries", SummaryViewSet, basename="evaluation-summary")
