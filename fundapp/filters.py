"""Filters of the public ledger, shared by the fund page, its CSV and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelChoiceIterator
from drf_spectacular.utils import extend_schema_field

from fundapp.middleware import LARGEST_ROW_ID
from fundapp.models import LedgerTransaction, Source
from fundapp.money import MAXIMUM_AMOUNT

# The years a fund's records may name, in the open data filters.
FIRST_YEAR, LAST_YEAR = 1900, 2100


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": LARGEST_ROW_ID})
class IdFilter(django_filters.NumberFilter):
    """A row's id, as a whole number within a row id's range: an id no row has
    finds nothing, one out of range is a 400 (a 64-bit overflow before)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", LARGEST_ROW_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "number", "minimum": 0, "maximum": int(MAXIMUM_AMOUNT)})
class AmountFilter(django_filters.NumberFilter):
    """An amount in yuan, from 0 to the fund's maximum (django-filter's own
    bound, 1e50, was not in the schema)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAXIMUM_AMOUNT)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})
class YearFilter(django_filters.NumberFilter):
    """A year, as a whole number from 1900 to 2100."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


class ListedModelChoiceIterator(ModelChoiceIterator):
    """A menu's few rows read in one query. Django reads a model menu through
    `QuerySet.iterator()`, which on PostgreSQL is a server-side cursor:
    DECLARE, FETCH and CLOSE, three round trips for a handful of sources."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for row in self.queryset.all():
            yield self.choice(row)


class ListedModelChoiceField(ModelChoiceField):
    iterator = ListedModelChoiceIterator


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A `ModelChoiceFilter` whose menu is read in one query (a few rows)."""

    field_class = ListedModelChoiceField


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

    year = YearFilter(field_name="fiscal_year", label=_("Year"))
    source = ListedModelChoiceFilter(
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
        source = self.filters["source"]
        if isinstance(source, ListedModelChoiceFilter):  # not the API's
            source.queryset = fund.sources.all() if fund else Source.objects.all()

    def filter_source(self, queryset, name, value):
        # A movement belongs to a source when any of its entries sits on an
        # account of that source (a commitment may draw on several).
        if not value:
            return queryset
        return queryset.filter(entries__account__source=value).distinct()
