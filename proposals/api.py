"""The open data API of proposals: public ones only (submitted at least once)."""

from django.db.models import Prefetch
from rest_framework import routers, serializers, viewsets

from fundapp.filters import IdFilter

from .filters import ProposalFilter
from .models import BudgetLine, Proposal, Round
from .selectors import proposal_public_queryset


class RoundSerializer(serializers.ModelSerializer):
    community = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "community",
            "title",
            "description",
            "opens_on",
            "closes_on",
            "budget_amount",
            "ceiling_amount",
            "eligible_categories",
            "minimum_supports",
        ]


class BudgetLineSerializer(serializers.ModelSerializer):
    total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = BudgetLine
        fields = ["item", "quantity", "unit", "unit_cost", "total"]


class ProposalSerializer(serializers.ModelSerializer):
    community = serializers.SlugRelatedField(slug_field="code", read_only=True)
    budget_lines = BudgetLineSerializer(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "community",
            "round",
            "title",
            "category",
            "status",
            "problem",
            "affected",
            "evidence",
            "activities",
            "schedule",
            "place",
            "volunteers",
            "requested_amount",
            "approved_amount",
            "support_count",
            "comment_count",
            "version_number",
            "submitted_at",
            "decided_at",
            "budget_lines",
        ]


class ProposalApiFilter(ProposalFilter):
    """The list pages' filters; a call's id that no call has finds nothing."""

    round = IdFilter(field_name="round_id")


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Round.objects.select_related("community").order_by("-opens_on", "-id")
    serializer_class = RoundSerializer
    filterset_fields = {"community__code": ["exact"]}


class ProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """Public proposals with the list pages' filters: round, category, status,
    community, amount_min/amount_max, q (title and problem), sort."""

    queryset = proposal_public_queryset().prefetch_related(
        Prefetch("budget_lines", BudgetLine.objects.order_by("position", "id"))
    )
    serializer_class = ProposalSerializer
    filterset_class = ProposalApiFilter


# A SimpleRouter: no API root view of its own, so fundapp's stays at /api/.
router = routers.SimpleRouter()
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("rounds", RoundViewSet, basename="round")
