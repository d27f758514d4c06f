"""Forms check the shape of what people type; the services decide the rest."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fundapp.idempotency import KEY_MAX_LENGTH, form_key_check, form_key_issue
from fundapp.models import Category, Community, Tranche
from fundapp.money import AmountField


class IdempotentForm(forms.Form):
    """A form whose hidden key makes a repeated POST act once.

    The key is issued by the server for this person and this form (`form`
    names what the form does and where, e.g. "commit:JMJY"); a key issued to
    someone else, for another form, or made up is refused as an expired form
    (fundapp.idempotency).
    """

    idempotency_key = forms.CharField(
        widget=forms.HiddenInput, max_length=KEY_MAX_LENGTH
    )

    def __init__(self, *args, user, form: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.form_name = form
        if not self.is_bound:
            self.initial["idempotency_key"] = form_key_issue(user=user, form=form)

    def clean(self):
        # Said above the form: the key is a hidden field nobody can correct.
        cleaned = super().clean()
        try:
            form_key_check(
                cleaned.get("idempotency_key", ""), user=self.user, form=self.form_name
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Mobile phone or username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )


class RegisterForm(forms.Form):
    community = forms.ModelChoiceField(
        Community.objects.order_by("code"), label=_("Your community"), empty_label=None
    )
    display_name = forms.CharField(label=_("Your name"), max_length=60)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=11,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "numeric"}
        ),
        help_text=_("You will log in with this number."),
    )
    address = forms.CharField(
        label=_("Building, unit and room"),
        max_length=120,
        help_text=_("A social worker checks it against the residents' roster."),
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits."),
    )


class VerifyForm(forms.Form):
    roster_reference = forms.CharField(
        label=_("Roster reference"), max_length=60, required=False
    )


class TrancheForm(IdempotentForm):
    source = forms.ModelChoiceField(queryset=None, label=_("Source"))
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year"), min_value=2000, max_value=2100
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=60,
        help_text=_("The agreement or bank slip number that identifies this money."),
    )
    amount = AmountField(label=_("Amount (yuan)"))
    received_on = forms.DateField(
        label=_("Received on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    allowed_categories = forms.MultipleChoiceField(
        label=_("May pay for"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked when the money may pay for any category."),
    )
    spend_by = forms.DateField(
        label=_("Spend by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # Not named "matches": a form control of that name would shadow the DOM's
    # form.matches(), which htmx and browser tests call.
    matched_tranche = forms.ModelChoiceField(
        queryset=None,
        label=_("Matches tranche"),
        required=False,
        empty_label=_("No match"),
    )
    match_ratio = forms.DecimalField(
        label=_("Match ratio"),
        required=False,
        min_value=0.01,
        max_digits=6,
        decimal_places=2,
        help_text=_("1 means one yuan for each yuan of the matched tranche."),
    )
    match_cap = AmountField(label=_("Match cap (yuan)"), required=False)

    def clean_received_on(self):
        """Money is recorded once it has arrived: not on a day still to come."""
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise ValidationError(
                _("Record the money once it has arrived: %(day)s is still to come."),
                code="received_in_future",
                params={"day": received_on.isoformat()},
            )
        return received_on

    def __init__(self, *args, fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = fund.sources.all()
        self.fields["received_on"].widget.attrs["max"] = (
            timezone.localdate().isoformat()
        )
        self.fields["matched_tranche"].queryset = Tranche.objects.filter(
            fund=fund
        ).select_related("source")


class CommitmentForm(IdempotentForm):
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    amount = AmountField(label=_("Amount (yuan)"))


class ReleaseForm(IdempotentForm):
    amount = AmountField(
        label=_("Amount to release (yuan)"),
        required=False,
        help_text=_("Leave empty to release everything outstanding."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ReversalForm(IdempotentForm):
    reason = forms.CharField(
        label=_("Why is this movement reversed?"), max_length=300, widget=forms.Textarea
    )


class ErasureForm(forms.Form):
    """Erasing oneself is for good: the password says it is really them."""

    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    understood = forms.BooleanField(
        label=_(
            "I understand that my account is closed for good and my name, number "
            "and addresses are erased."
        )
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password
