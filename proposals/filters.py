"""Filters of the public proposal lists, shared by the pages and the open data API."""

import django_filters
from django.db.models import Q
from django.forms import ModelChoiceField
from django.utils.translation import gettext_lazy as _

from fundapp.filters import AmountFilter, FreshFilterSet
from fundapp.models import Category

from .models import Proposal, Round

PUBLIC_STATUSES = [
    (value, label) for value, label in Proposal.Status.choices if value != "draft"
]


class ProposalFilter(FreshFilterSet):
    """Round, category, status, amount range, words in the title or problem; sorting."""

    q = django_filters.CharFilter(
        method="filter_text", label=_("Words in the title or problem")
    )
    round = django_filters.ModelChoiceFilter(
        queryset=Round.objects.none(), label=_("Call"), empty_label=_("All calls")
    )
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("Category"), empty_label=_("All categories")
    )
    status = django_filters.ChoiceFilter(
        choices=PUBLIC_STATUSES, label=_("Status"), empty_label=_("Any status")
    )
    community = django_filters.CharFilter(
        field_name="community__code", label=_("Community code")
    )
    amount_min = AmountFilter(
        field_name="requested_amount", lookup_expr="gte", label=_("At least (yuan)")
    )
    amount_max = AmountFilter(
        field_name="requested_amount", lookup_expr="lte", label=_("At most (yuan)")
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Newest first"),
        fields=(
            ("submitted_at", "submitted"),
            ("requested_amount", "amount"),
            ("support_count", "supports"),
            ("title", "title"),
        ),
        field_labels={
            "-submitted": _("Newest first"),
            "submitted": _("Oldest first"),
            "-amount": _("Largest amount"),
            "amount": _("Smallest amount"),
            "-supports": _("Most supported"),
            "title": _("Title"),
        },
        # The sort choices offered on pages: the descending ones read naturally.
        choices=[
            ("-submitted", _("Newest first")),
            ("submitted", _("Oldest first")),
            ("-supports", _("Most supported")),
            ("-amount", _("Largest amount")),
            ("amount", _("Smallest amount")),
            ("title", _("Title")),
        ],
    )

    class Meta:
        model = Proposal
        fields = ["q", "round", "category", "status", "community"]

    def __init__(
        self, data=None, queryset=None, *, community=None, calls=None, **kwargs
    ):
        super().__init__(data, queryset, **kwargs)
        rounds = Round.objects.all()
        if community is not None:
            rounds = rounds.filter(community=community)
            del self.filters["community"]
        if not isinstance(self.filters["round"], django_filters.ModelChoiceFilter):
            return  # the API's, by a call's id
        if calls is None:
            self.filters["round"].queryset = rounds  # the pages' menu
            return
        # The calls the page read already: the same menu and the same check,
        # without a query of their own.
        menu = django_filters.ChoiceFilter(
            field_name="round",
            choices=[(call.pk, str(call)) for call in calls],
            label=_("Call"),
            empty_label=_("All calls"),
            error_messages={
                "invalid_choice": ModelChoiceField.default_error_messages[
                    "invalid_choice"
                ]
            },
        )
        menu.model, menu.parent = self.filters["round"].model, self
        self.filters["round"] = menu

    @property
    def qs(self):
        queryset = super().qs
        # A stable order for pagination whatever the sort key.
        if queryset.query.order_by:
            return queryset.order_by(*queryset.query.order_by, "-id")
        return queryset.order_by("-submitted_at", "-id")

    def filter_text(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(problem__icontains=value))
