"""Forms of a funded project: they check the shape of what people type;
the services (projects.services) decide the rest.

Every form that writes carries an idempotency key (fundapp.forms.IdempotentForm)
so that sending it twice acts once (projects.services.forms).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fundapp.forms import IdempotentForm
from fundapp.money import AmountField
from projects.models import (
    MAX_FILE_BYTES,
    DeviationFlag,
    Installment,
    PaymentMethod,
    ProgressReport,
    Project,
)
from projects.services.agreement import MAX_INSTALLMENTS
from projects.services.delivery import MAX_PHOTOS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILE_TYPES = "image/jpeg,image/png,application/pdf"


def area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, **kwargs)


def _require_size(upload):
    if upload is not None and upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is 10 MB."),
            code="too_big",
            params={"size": round(upload.size / 1024 / 1024, 1)},
        )
    return upload


class ProjectOpenForm(IdempotentForm):
    grantee_kind = forms.ChoiceField(
        label=_("Who delivers the project?"),
        choices=Project.GranteeKind.choices,
        widget=forms.RadioSelect,
    )
    grantee_name = forms.CharField(
        label=_("Name of the team or organisation"), max_length=120
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=60)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    starts_on = _date(_("Starts on"))
    ends_on = _date(_("Ends on"))


class SchedulePartForm(forms.Form):
    percent = forms.DecimalField(
        label=_("Share (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    trigger = forms.ChoiceField(
        label=_("Paid when"), choices=Installment.Trigger.choices
    )
    due_on = _date(_("On the date"), required=False)

    def has_changed(self):
        # A row without a share is an unused row, whatever its trigger says.
        return bool((self.data.get(self.add_prefix("percent")) or "").strip())


class MilestoneRowForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=120)
    due_on = _date(_("Due on"))


SchedulePartFormSet = forms.formset_factory(
    SchedulePartForm, extra=0, max_num=MAX_INSTALLMENTS, absolute_max=MAX_INSTALLMENTS
)
MilestoneFormSet = forms.formset_factory(
    MilestoneRowForm, extra=0, max_num=20, absolute_max=20
)


class ConfirmForm(IdempotentForm):
    """A button that does one thing (request an installment, close...)."""


class ApproveForm(IdempotentForm):
    """A signature; the second one records the payment's details."""

    method = forms.ChoiceField(
        label=_("How was it paid?"),
        choices=[("", "—"), *PaymentMethod.choices],
        required=False,
    )
    bank_reference = forms.CharField(
        label=_("Bank reference"), max_length=60, required=False
    )
    paid_on = _date(_("Paid on"), required=False)

    def require_payment(self):
        """The second signature pays: how, when and the bank's reference."""
        self.fields["method"].required = True
        self.fields["method"].error_messages["required"] = _(
            "Say how the money was paid."
        )
        self.fields["paid_on"].required = True
        self.fields["paid_on"].error_messages["required"] = _(
            "Give the day the money was paid."
        )
        self.fields["bank_reference"].help_text = _("Not needed for cash.")


class ReasonForm(IdempotentForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=area(2))


class ExpenseForm(IdempotentForm):
    budget_line = forms.ModelChoiceField(queryset=None, label=_("Budget line"))
    amount = AmountField(label=_("Amount (yuan)"))
    spent_on = _date(_("Spent on"))
    description = forms.CharField(label=_("What was bought"), max_length=200)
    receipt = forms.FileField(
        label=_("Receipt"),
        help_text=_("A photo (JPEG or PNG) or a PDF, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}),
        error_messages={"required": _("Attach the receipt.")},
    )
    over_budget_reason = forms.CharField(
        label=_("Why over the budget line"),
        max_length=300,
        required=False,
        widget=area(2),
        help_text=_("Only when this expense takes its budget line over its budget."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = project.proposal.budget_lines.all()

    def clean_receipt(self):
        return _require_size(self.cleaned_data.get("receipt"))


class ReviewForm(IdempotentForm):
    """Accept, or query with a question (the button pressed says which)."""

    query = forms.CharField(
        label=_("Question"), max_length=300, required=False, widget=area(2)
    )


class ExpenseAnswerForm(IdempotentForm):
    answer = forms.CharField(label=_("Your answer"), max_length=250, widget=area(2))
    receipt = forms.FileField(
        label=_("Another receipt"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}),
    )

    def clean_receipt(self):
        return _require_size(self.cleaned_data.get("receipt"))


class ReportAnswerForm(IdempotentForm):
    summary = forms.CharField(label=_("What was done"), max_length=2000, widget=area(4))


class ReturnForm(IdempotentForm):
    amount = AmountField(label=_("Amount returned (yuan)"))
    returned_on = _date(_("Returned on"))
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=60)


class MilestoneForm(IdempotentForm):
    title = forms.CharField(label=_("Milestone"), max_length=120)
    due_on = _date(_("Due on"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProgressReportForm(IdempotentForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ProgressReport.Kind.choices, widget=forms.RadioSelect
    )
    milestone = forms.ModelChoiceField(
        queryset=None,
        label=_("Milestone reached"),
        required=False,
        empty_label=_("None"),
    )
    summary = forms.CharField(label=_("What was done"), max_length=2000, widget=area(4))
    happened_on = _date(_("When"))
    place = forms.CharField(label=_("Where"), max_length=200)
    participants = forms.IntegerField(
        label=_("Residents who took part"),
        min_value=0,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to %(limit)s photos, JPEG or PNG, at most 10 MB each.")
        % {"limit": MAX_PHOTOS},
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = project.milestones.filter(
            reached_on__isnull=True
        )

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        for photo in photos:
            _require_size(photo)
        return photos


class VolunteerShiftForm(IdempotentForm):
    volunteer = forms.ModelChoiceField(
        queryset=None,
        label=_("A registered resident"),
        required=False,
        empty_label=_("Someone not registered (write the name)"),
    )
    volunteer_name = forms.CharField(
        label=_("Volunteer's name"), max_length=60, required=False
    )
    activity = forms.CharField(label=_("Activity"), max_length=120)
    served_on = _date(_("Day"))
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=0,
        max_value=24,
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = residents


class CompleteForm(IdempotentForm):
    completed_on = _date(_("Delivery ended on"))


SCORES = [
    (1, _("1 — not satisfied at all")),
    (2, _("2 — not satisfied")),
    (3, _("3 — so-so")),
    (4, _("4 — satisfied")),
    (5, _("5 — very satisfied")),
]


class RatingForm(IdempotentForm):
    score = forms.TypedChoiceField(
        label=_("Your satisfaction"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Choose a whole number of stars from 1 to 5."),
            "required": _("Choose a whole number of stars from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=500, required=False, widget=area(2)
    )


class ObservationForm(IdempotentForm):
    observed_on = _date(_("Visited on"))
    notes = forms.CharField(label=_("What you saw"), max_length=2000, widget=area(4))
    score = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[("", "—"), *[(n, str(n)) for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )


class FlagForm(IdempotentForm):
    kind = forms.ChoiceField(
        label=_("How it deviates"), choices=DeviationFlag.Kind.choices
    )
    reasons = forms.CharField(label=_("Reasons"), max_length=2000, widget=area(3))


class FlagResolveForm(IdempotentForm):
    decision_reference = forms.CharField(
        label=_("Council decision"),
        max_length=60,
        help_text=_("As the minutes cite it, such as JMJY-5#3."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
