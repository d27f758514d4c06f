"""The reports' forms: shapes only; the services decide."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fundapp.forms import IdempotentForm

from .models import ReportKind


class ReportRequestForm(IdempotentForm):
    kind = forms.ChoiceField(
        label=_("Report"),
        choices=[
            (ReportKind.ANNUAL, _("annual report")),
            (ReportKind.SOURCE, _("source statement")),
        ],
        initial=ReportKind.ANNUAL,
    )
    source = forms.ModelChoiceField(
        label=_("Source (for a source statement)"), queryset=None, required=False
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    narrative = forms.CharField(
        label=_("Narrative: what the fund did this year"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=8000,
    )
    plan = forms.CharField(
        label=_("Plan for next year"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=8000,
    )

    def __init__(self, *args, fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = fund.sources.order_by("pk")
        self.fields["year"].initial = timezone.localdate().year - 1


class ProgramReportForm(IdempotentForm):
    year = forms.IntegerField(label=_("Up to the year"), min_value=2000, max_value=2100)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class SubmitForm(IdempotentForm):
    department = forms.ModelChoiceField(label=_("Submit to"), queryset=None)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
