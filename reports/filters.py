"""Filters of the audit page and its CSV (issue 14 §4)."""

import django_filters
from django.db.models import Q, TextChoices
from django.utils.translation import gettext_lazy as _

from fundapp.filters import FreshFilterSet
from fundapp.models import User


class AuditKind(TextChoices):
    """What a record of the audit page is: a change, or a login record.

    The changes' values are django-pghistory's labels of its events.
    """

    CREATED = "insert", _("created")
    CHANGED = "update", _("changed")
    DELETED = "delete", _("deleted")
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("wrong password")
    LOCKOUT = "lockout", _("login paused")
    UNLOCK = "unlock", _("login let again")


class AuditFilter(FreshFilterSet):
    """Kind of record, kind of thing changed, person, and dates.

    It filters each part of the audit list (`reports.selectors.audit_list`):
    querysets of history rows and login records, annotated alike with
    `audit_kind`, `audit_what`, `audit_at` and `audit_person` (who made the
    change, or who logged in).
    """

    kind = django_filters.ChoiceFilter(
        field_name="audit_kind",
        choices=AuditKind.choices,
        label=_("Kind"),
        empty_label=_("Everything"),
    )
    what = django_filters.ChoiceFilter(
        field_name="audit_what",
        choices=(),
        label=_("Record"),
        empty_label=_("All records"),
    )
    person = django_filters.CharFilter(
        method="filter_person",
        label=_("Person"),
        help_text=_("A name, a mobile number or a login name."),
    )
    since = django_filters.DateFilter(
        field_name="audit_at", lookup_expr="date__gte", label=_("From")
    )
    until = django_filters.DateFilter(
        field_name="audit_at", lookup_expr="date__lte", label=_("Until")
    )

    def __init__(self, data=None, queryset=None, *, records=(), **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["what"].extra["choices"] = list(records)
        for name in ("since", "until"):
            self.filters[name].extra["widget"] = django_filters.widgets.forms.DateInput(
                attrs={"type": "date"}
            )

    def filter_person(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        people = User.objects.filter(
            Q(username=value) | Q(phone=value) | Q(display_name__icontains=value)
        )
        return queryset.filter(audit_person__in=people.values("pk"))
