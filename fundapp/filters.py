"""Filters of the public ledger, shared by the fund page, its CSV and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from fundapp.models import LedgerTransaction, Source


class FreshFilters:
    """Filters whose form fields are built for this filter set only.

    django-filter deep-copies the class's filters into each filter set, with
    the form field a filter caches once it has built one. drf-spectacular
    builds them on the class when it writes `/api/schema/`; every later
    request then got that first build's choices, in that request's language,
    and its querysets. Dropping the copies' cached fields shares nothing
    between requests.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            filter_.__dict__.pop("_field", None)


class FreshFilterSet(FreshFilters, django_filters.FilterSet):
    """A `FilterSet` that shares no state between requests (`FreshFilters`)."""


class LedgerFilter(FreshFilterSet):
    """Year, source and kind of movement; the fund is fixed by the caller."""

    year = django_filters.NumberFilter(field_name="fiscal_year", label=_("Year"))
    source = django_filters.ModelChoiceFilter(
        # The path names the type for the open data schema; `filter_source`
        # does the filtering.
        field_name="entries__account__source",
        queryset=Source.objects.none(),
        label=_("Source"),
        method="filter_source",
        empty_label=_("All sources"),
    )
    kind = django_filters.ChoiceFilter(
        choices=LedgerTransaction.Kind.choices,
        label=_("Kind of movement"),
        empty_label=_("All movements"),
    )

    class Meta:
        model = LedgerTransaction
        fields = ["year", "source", "kind"]

    def __init__(self, data=None, queryset=None, *, fund=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        sources = Source.objects.all() if fund is None else fund.sources.all()
        self.filters["source"].queryset = sources

    def filter_source(self, queryset, name, value):
        # A movement belongs to a source when any of its entries sits on an
        # account of that source (a commitment may draw on several).
        if not value:
            return queryset
        return queryset.filter(entries__account__source=value).distinct()
