"""The open data API: read-only JSON of what the public fund pages show."""

import hashlib

from django.core.cache import cache
from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, routers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from fundapp import selectors
from fundapp.filters import FreshFilters, IdFilter, LedgerFilter, YearFilter
from fundapp.models import (
    Community,
    Fund,
    LedgerEntry,
    LedgerTransaction,
    Source,
    Tranche,
)


class CommunitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Community
        fields = ["code", "name", "name_en", "city", "district", "subdistrict"]


class FundSerializer(serializers.ModelSerializer):
    community = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Fund
        fields = ["id", "community", "name", "name_en", "currency"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "fund", "name", "name_en", "kind"]


class TrancheSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tranche
        fields = [
            "id",
            "fund",
            "source",
            "fiscal_year",
            "reference",
            "amount",
            "received_on",
            "allowed_categories",
            "spend_by",
            "matches",
            "match_ratio",
            "match_cap",
        ]


class EntrySerializer(serializers.ModelSerializer):
    account_kind = serializers.CharField(source="account.kind")
    tranche = serializers.IntegerField(source="account.tranche_id", allow_null=True)
    source = serializers.IntegerField(source="account.source_id")
    commitment = serializers.IntegerField(
        source="account.commitment_id", allow_null=True
    )

    class Meta:
        model = LedgerEntry
        fields = [
            "account",
            "account_kind",
            "source",
            "tranche",
            "commitment",
            "amount",
        ]


class MovementSerializer(serializers.ModelSerializer):
    entries = EntrySerializer(many=True, read_only=True)
    reversed_by = serializers.IntegerField(
        source="reversed_by.pk", allow_null=True, default=None
    )

    class Meta:
        model = LedgerTransaction
        fields = [
            "id",
            "fund",
            "kind",
            "amount",
            "effective_on",
            "fiscal_year",
            "memo",
            "tranche",
            "commitment",
            "reverses",
            "reversed_by",
            "entries",
        ]


def _money(value) -> str:
    """An amount as the serializers' DecimalField writes it ("1234.50")."""
    return f"{value:.2f}"


# The columns of a movement the API writes (`MovementSerializer`'s fields).
MOVEMENT_COLUMNS = (
    "id",
    "fund_id",
    "kind",
    "amount",
    "effective_on",
    "fiscal_year",
    "memo",
    "tranche_id",
    "commitment_id",
    "reverses_id",
    "reversed_by__id",
)


def movements_as_served(movements: list[dict]) -> list[dict]:
    """Movements read as rows (`MOVEMENT_COLUMNS`), as `MovementSerializer`
    writes them, with their entries (one query).

    The list is the API's busiest answer: read as rows instead of model
    instances walked by the serializers, it costs half the time;
    `tests/fundapp/test_api.py` checks both write the same JSON.
    """
    movement_ids = [row["id"] for row in movements]
    entries = {pk: [] for pk in movement_ids}
    for entry in (
        LedgerEntry.objects.filter(transaction_id__in=movement_ids)
        .order_by("id")
        .values_list(
            "transaction_id",
            "account_id",
            "account__kind",
            "account__source_id",
            "account__tranche_id",
            "account__commitment_id",
            "amount",
        )
    ):
        entries[entry[0]].append(
            {
                "account": entry[1],
                "account_kind": entry[2],
                "source": entry[3],
                "tranche": entry[4],
                "commitment": entry[5],
                "amount": _money(entry[6]),
            }
        )
    return [
        {
            "id": row["id"],
            "fund": row["fund_id"],
            "kind": row["kind"],
            "amount": _money(row["amount"]),
            "effective_on": row["effective_on"].isoformat(),
            "fiscal_year": row["fiscal_year"],
            "memo": row["memo"],
            "tranche": row["tranche_id"],
            "commitment": row["commitment_id"],
            "reverses": row["reverses_id"],
            "reversed_by": row["reversed_by__id"],
            "entries": entries[row["id"]],
        }
        for row in movements
    ]


class BalancesSerializer(serializers.Serializer):
    fund = serializers.IntegerField()
    raised = serializers.DecimalField(max_digits=14, decimal_places=2)
    available = serializers.DecimalField(max_digits=14, decimal_places=2)
    committed = serializers.DecimalField(max_digits=14, decimal_places=2)
    disbursed = serializers.DecimalField(max_digits=14, decimal_places=2)
    returned = serializers.DecimalField(max_digits=14, decimal_places=2)


class FundFilter(FreshFilters, filters.FilterSet):
    # Codes are capitals (Community.code); `jmjy` asks for JMJY.
    community = filters.CharFilter(field_name="community__code", method="filter_code")

    class Meta:
        model = Fund
        fields = ["community"]

    def filter_code(self, queryset, name, value):
        return queryset.filter(community__code=value.upper())


class OfOneFund(filters.FilterSet):
    """Rows of one fund, asked for by the fund's id or its community's code."""

    community = filters.CharFilter(
        field_name="fund__community__code", method="filter_community"
    )
    fund = IdFilter(field_name="fund_id")

    def filter_community(self, queryset, name, value):
        # By the fund's id, read first. Joined through the community's code,
        # PostgreSQL sorted every movement of the fund to give a page of the
        # newest 50 (26 ms for the largest); with the id it reads them from
        # the fund's index, in order.
        fund_id = (
            Fund.objects.filter(community__code=value.upper())
            .values_list("pk", flat=True)
            .first()
        )
        return queryset.filter(fund_id=fund_id) if fund_id else queryset.none()


class SourceFilter(FreshFilters, OfOneFund):
    class Meta:
        model = Source
        fields = ["fund", "kind", "community"]


class TrancheFilter(FreshFilters, OfOneFund):
    source = IdFilter(field_name="source_id")
    year = YearFilter(field_name="fiscal_year")

    class Meta:
        model = Tranche
        fields = ["fund", "source", "year", "community"]


class MovementFilter(OfOneFund, LedgerFilter):
    """The fund page's filters (year, source, kind), plus which fund."""

    # An id that no source has finds nothing (the page offers a list instead).
    source = IdFilter(field_name="entries__account__source", method="filter_source")

    class Meta(LedgerFilter.Meta):
        fields = ["fund", "community", "year", "source", "kind"]


class CommunityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Community.objects.order_by("code")
    serializer_class = CommunitySerializer
    lookup_field = "code"


class FundViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Fund.objects.select_related("community").order_by("id")
    serializer_class = FundSerializer
    filterset_class = FundFilter

    @extend_schema(responses=BalancesSerializer)
    @action(detail=True)
    def balances(self, request, pk=None):
        fund = self.get_object()
        balances = selectors.fund_balances(fund=fund)
        data = {
            "fund": fund.pk,
            **{
                key: getattr(balances, key)
                for key in ("raised", "available", "committed", "disbursed", "returned")
            },
        }
        return Response(BalancesSerializer(data).data)


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Source.objects.order_by("id")
    serializer_class = SourceSerializer
    filterset_class = SourceFilter


class TrancheViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Tranche.objects.order_by("id")
    serializer_class = TrancheSerializer
    filterset_class = TrancheFilter


class MovementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Ledger movements with their entries.

    A page of the list is cached under the ledger's version (the newest
    movement id of the fund asked for, or of all funds): a new movement
    changes the key, so a cached page is never stale.
    """

    queryset = (
        LedgerTransaction.objects.select_related("reversed_by")
        .prefetch_related(
            Prefetch(
                "entries", LedgerEntry.objects.select_related("account").order_by("id")
            )
        )
        .order_by("-effective_on", "-id")
    )
    serializer_class = MovementSerializer
    filterset_class = MovementFilter

    def list(self, request, *args, **kwargs):
        fund = None
        code = request.query_params.get("community")
        fund_id = request.query_params.get("fund")
        if code:
            fund = Fund.objects.filter(community__code=code.upper()).first()
        elif fund_id and fund_id.isascii() and fund_id.isdigit():
            # str.isdigit() also says yes to "²", which int() refuses: the
            # filter answers such an id with a 400.
            fund = Fund.objects.filter(pk=fund_id).first()
        version = selectors.fund_version(fund=fund)
        address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"api-ledger:{version}:{request.get_host()}:{address}"
        data = cache.get(key)
        if data is None:
            queryset = self.filter_queryset(self.get_queryset())
            page = self.paginate_queryset(queryset.values(*MOVEMENT_COLUMNS))
            data = self.get_paginated_response(movements_as_served(list(page))).data
            cache.set(key, data, 600)
        return Response(data)


router = routers.DefaultRouter()
router.register("communities", CommunityViewSet)
router.register("funds", FundViewSet)
router.register("sources", SourceViewSet)
router.register("tranches", TrancheViewSet)
router.register("ledger", MovementViewSet, basename="ledger")
