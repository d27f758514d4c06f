"""Forms of the council pages: they check shape; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fundapp.money import AmountField

from .models import SeatRole, SmallBoardRules
from .procedure.motions import MOTIONS
from .wording import ALLOWS_LABELS, METHOD_LABELS, MOTION_LABELS

ACTIONS = (
    "arrive",
    "leave",
    "seek_floor",
    "yield",
    "move",
    "second",
    "speak",
    "withdraw",
    "vote",
    "object",
    "call_to_order",
    "recognise",
    "no_second",
    "state",
    "put_question",
    "announce",
    "unanimous_consent",
    "rule",
    "rule_out_of_order",
    "reconvene",
    "hand_over",
    "call_up",
    "calendar_add",
    "calendar_remove",
)


class ActionForm(forms.Form):
    """One action on the live page: what, and the fields it needs."""

    action = forms.ChoiceField(choices=[(name, name) for name in ACTIONS])
    idempotency_key = forms.CharField(max_length=80)
    motion = forms.ChoiceField(
        required=False,
        choices=[("", "")]
        + [(name, MOTION_LABELS.get(name, name)) for name in MOTIONS],
    )
    text = forms.CharField(label=_("Wording"), required=False, max_length=1000)
    amount = AmountField(label=_("Amount (¥)"), required=False)
    proposal = forms.IntegerField(required=False)
    applies_to = forms.IntegerField(required=False, min_value=0)
    until = forms.CharField(required=False, max_length=20)
    method = forms.ChoiceField(
        required=False, choices=[("", "")] + list(METHOD_LABELS.items())
    )
    choice = forms.ChoiceField(
        required=False,
        choices=[
            ("", ""),
            ("yes", "yes"),
            ("no", "no"),
            ("abstain", "abstain"),
            ("blank", "blank"),
            ("illegal", "illegal"),
        ],
    )
    member = forms.IntegerField(required=False)
    well_taken = forms.BooleanField(required=False)
    reasons = forms.CharField(label=_("Reasons"), required=False, max_length=1000)
    code = forms.CharField(required=False, max_length=40)
    # A division of a question: one part per line.
    parts = forms.CharField(
        label=_("Parts, one per line"), required=False, max_length=4000
    )
    allows = forms.ChoiceField(
        required=False, choices=[("", "")] + list(ALLOWS_LABELS.items())
    )
    continuing = forms.BooleanField(required=False)
    item = forms.IntegerField(required=False, min_value=0)

    def clean_parts(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data["parts"].splitlines()
            if line.strip()
        ]


class MeetingScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    place = forms.CharField(label=_("Place"), max_length=120)
    notice_lead_hours = forms.IntegerField(
        label=_("Notice lead time (hours)"), min_value=0, max_value=720, initial=48
    )


class MinutesApproveForm(forms.Form):
    at_meeting = forms.IntegerField(widget=forms.HiddenInput)
    corrections = forms.CharField(
        label=_("Corrections"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SeatAssignForm(forms.Form):
    """Seat a verified resident, named by the phone number they registered with."""

    term = forms.TypedChoiceField(label=_("Term"), coerce=int, choices=())
    phone = forms.CharField(label=_("Resident's phone number"), max_length=20)
    role = forms.ChoiceField(label=_("Seat"), choices=SeatRole.choices)
    starts_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, terms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [(term.pk, str(term)) for term in terms]


class SeatEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class CouncilSettingsForm(forms.Form):
    """The council's rule settings (ROBERTS_RULES §0) and why they change."""

    quorum = forms.IntegerField(
        label=_("Fixed quorum (empty: a majority of the voting members)"),
        required=False,
        min_value=1,
    )
    small_board_rules = forms.ChoiceField(
        label=_("Small-board rules"), choices=SmallBoardRules.choices
    )
    main_motion_two_thirds_above = AmountField(
        label=_("Two-thirds for grants above (¥, empty: none)"), required=False
    )
    consent_calendar = forms.BooleanField(label=_("Consent calendar"), required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=200)
