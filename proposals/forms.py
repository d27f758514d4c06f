"""Forms check the shape of what people type; the services decide the rest."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fundapp.models import Category
from fundapp.money import AmountField

from .models import MAX_ATTACHMENT_BYTES, TEXT_LIMIT
from .submission import NEEDED_FIELDS
from .submission import label as submission_label

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def area(rows=4):
    return forms.Textarea(attrs={"rows": rows})


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), max_length=TEXT_LIMIT, required=False, widget=area()
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes on"), widget=DATE)
    # max_length=None: AmountField's length validator would measure a Decimal.
    budget_amount = AmountField(label=_("Budget envelope (yuan)"), max_length=None)
    ceiling_amount = AmountField(
        label=_("Ceiling per proposal (yuan)"), max_length=None
    )
    eligible_categories = forms.MultipleChoiceField(
        label=_("Eligible categories"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to accept every category."),
    )
    minimum_supports = forms.IntegerField(
        label=_("Minimum number of resident co-sponsors"),
        min_value=0,
        max_value=10_000,
        initial=0,
    )


class ProposalStartForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("A short name neighbours will recognise, such as “Night patrol”."),
    )


class NeededToSubmitForm(forms.Form):
    """A wizard step: its fields may be left empty while the draft is saved,
    but those submission needs (proposals/submission.py) are labelled in its
    words and never as optional."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in NEEDED_FIELDS:
                field.label = submission_label(name)
                field.needed_to_submit = True


class ProblemForm(NeededToSubmitForm):
    title = forms.CharField(max_length=120)
    category = forms.ChoiceField(
        choices=[("", _("Choose…")), *Category.choices], required=False
    )
    problem = forms.CharField(max_length=TEXT_LIMIT, required=False, widget=area())
    affected = forms.CharField(max_length=TEXT_LIMIT, required=False, widget=area(3))
    evidence = forms.CharField(
        max_length=TEXT_LIMIT,
        required=False,
        widget=area(3),
        help_text=_("What you saw, counted or heard; you can attach photos later."),
    )


class PlanForm(NeededToSubmitForm):
    activities = forms.CharField(max_length=TEXT_LIMIT, required=False, widget=area())
    schedule = forms.CharField(max_length=TEXT_LIMIT, required=False, widget=area(3))
    place = forms.CharField(max_length=200, required=False)
    volunteers = forms.CharField(max_length=TEXT_LIMIT, required=False, widget=area(3))


PHONE = re.compile(r"^1\d{10}$")


class TeamForm(forms.Form):
    co_proposers = forms.CharField(
        label=_("Co-proposers' mobile numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "inputmode": "tel"}),
        help_text=_(
            "One number per line. Each gets an invitation; they join when they accept."
        ),
    )

    beneficiaries = forms.CharField(
        label=_("Named beneficiaries' mobile numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "inputmode": "tel"}),
        help_text=_(
            "Residents the proposal would benefit by name, one number per line. "
            "A councillor among them does not vote on it."
        ),
    )

    def clean_co_proposers(self) -> list[str]:
        return _phones(self.cleaned_data["co_proposers"])

    def clean_beneficiaries(self) -> list[str]:
        return _phones(self.cleaned_data["beneficiaries"])


def _phones(text: str) -> list[str]:
    phones = [p for p in re.split(r"[\s,，;；]+", text) if p]
    bad = [phone for phone in phones if not PHONE.match(phone)]
    if bad:
        raise ValidationError(
            _("Not a mobile number: %(numbers)s."),
            params={"numbers": ", ".join(bad)},
        )
    return phones


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Photo or PDF"),
        help_text=_("JPEG, PNG or PDF, at most 10 MB each and 30 MB in all."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,application/pdf"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=area(3))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=area(2)
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=2000, widget=area(3))


class HideCommentForm(forms.Form):
    reason = forms.CharField(label=_("Why hide it?"), max_length=300)


class CompareForm(forms.Form):
    old = forms.IntegerField(label=_("From version"), min_value=1, max_value=100_000)
    new = forms.IntegerField(label=_("To version"), min_value=1, max_value=100_000)


def budget_rows(data) -> list[dict]:
    """The budget rows typed into the repeated inputs of the budget step."""
    columns = {
        name: data.getlist(name) for name in ("item", "quantity", "unit", "unit_cost")
    }
    count = max((len(values) for values in columns.values()), default=0)
    return [
        {
            name: (values[i] if i < len(values) else "")
            for name, values in columns.items()
        }
        for i in range(min(count, 60))
    ]
