"""Forms of the council pages: they check shape; the services decide."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fundapp import clock
from fundapp.models import User
from fundapp.money import AmountField, parse_amount
from proposals.models import Proposal

from .actions import ACTIONS, MOTION_FIELDS
from .models import Meeting, SeatRole, SmallBoardRules
from .wording import ALLOWS_LABELS, CHOICE_LABELS, METHOD_LABELS, MOTION_LABELS


class PartsField(forms.CharField):
    """Lines of text, one part each; blank lines are dropped."""

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class AmountsField(forms.CharField):
    """An amount or nothing per line, one line for each part of a divided
    question (the engine checks that they match the parts)."""

    def to_python(self, value) -> list[str | None]:
        text = super().to_python(value)
        lines = [line.strip() for line in text.splitlines()]
        while lines and not lines[-1]:
            lines.pop()
        return [str(parse_amount(line)) if line else None for line in lines]


class UntilField(forms.CharField):
    """When a postponed question comes back: "next_meeting" or a number."""

    def clean(self, value) -> str | int:
        # The length is checked on the text: an int has no length (a 500).
        # isdecimal, not isdigit: int("²") fails.
        text = super().clean(value)
        return int(text) if text.isdecimal() else text


CHOICES = ("yes", "no", "abstain", "blank", "illegal")
# A motion's, decision's or agenda item's number in a meeting's log.
ENGINE_NUMBER_MAX = 1_000_000
# The form field of each field an action may take (councils.actions), for
# one meeting; each gives the type the action's field declares.
FORM_FIELDS = {
    "motion": lambda meeting: forms.ChoiceField(
        choices=[(name, MOTION_LABELS.get(name, name)) for name in MOTION_FIELDS]
    ),
    "text": lambda meeting: forms.CharField(label=_("Wording"), max_length=1000),
    "new_text": lambda meeting: forms.CharField(
        label=_("The motion as amended would read"), max_length=1000
    ),
    "amount": lambda meeting: AmountField(label=_("Amount (¥)")),
    "proposal": lambda meeting: forms.ModelChoiceField(
        queryset=Proposal.objects.filter(agenda_items__meeting=meeting)
    ),
    "applies_to": lambda meeting: forms.IntegerField(
        min_value=0, max_value=ENGINE_NUMBER_MAX
    ),
    # "next_meeting", or a later meeting's number (ROBERTS_RULES §1, move).
    "until": lambda meeting: UntilField(max_length=20),
    "method": lambda meeting: forms.ChoiceField(choices=list(METHOD_LABELS.items())),
    "choice": lambda meeting: forms.ChoiceField(
        choices=[(choice, CHOICE_LABELS[choice]) for choice in CHOICES]
    ),
    "member": lambda meeting: forms.ModelChoiceField(queryset=User.objects.all()),
    "well_taken": lambda meeting: forms.BooleanField(),
    "reasons": lambda meeting: forms.CharField(label=_("Reasons"), max_length=1000),
    "code": lambda meeting: forms.CharField(max_length=40),
    # A division of a question: one part per line.
    "parts": lambda meeting: PartsField(
        label=_("Parts, one per line"), max_length=4000
    ),
    "amounts": lambda meeting: AmountsField(
        label=_("Amounts, one per line (empty: none)"), max_length=4000
    ),
    "allows": lambda meeting: forms.ChoiceField(choices=list(ALLOWS_LABELS.items())),
    "continuing": lambda meeting: forms.BooleanField(),
    "item": lambda meeting: forms.IntegerField(
        min_value=0, max_value=ENGINE_NUMBER_MAX
    ),
    "previous_notice": lambda meeting: forms.BooleanField(),
}


class ActionForm(forms.Form):
    """One action on the live page: which (and which motion), and its key."""

    action = forms.ChoiceField(
        choices=lambda: [(name, action.label) for name, action in ACTIONS.items()]
    )
    idempotency_key = forms.CharField(max_length=80)

    def action_values(self) -> dict:
        """The cleaned values of the action's own fields."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("action", "idempotency_key")
        }


def action_form(meeting: Meeting, data=None) -> ActionForm:
    """The form of the action posted, with only the fields that action takes
    (for a motion, the motion's), each required as the action says."""
    declared = ACTIONS.get((data or {}).get("action"))
    motion = (data or {}).get("motion")
    fields = {}
    for field in declared.fields_for(motion) if declared else ():
        fields[field.name] = FORM_FIELDS[field.name](meeting)
        fields[field.name].required = field.required
    return type("MeetingActionForm", (ActionForm,), fields)(data)


# How far ahead a meeting may be scheduled from the form: a date beyond it is
# a typing error (2062 for 2026), not a plan.
SCHEDULE_AHEAD = datetime.timedelta(days=2 * 366)


def require_ahead(day: datetime.date) -> None:
    """Refuse a day before today or more than two years ahead (typed meetings;
    the record of meetings already held is made by the services)."""
    today = timezone.localdate(clock.now())
    if day < today:
        raise ValidationError(
            _("A meeting cannot be scheduled in the past."), code="past"
        )
    if day > today + SCHEDULE_AHEAD:
        raise ValidationError(
            _("A meeting can be scheduled at most two years ahead."), code="too_far"
        )


class MeetingScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    place = forms.CharField(label=_("Place"), max_length=120)
    place_en = forms.CharField(
        label=_("Place in English"), max_length=120, required=False
    )
    notice_lead_hours = forms.IntegerField(
        label=_("Notice lead time (hours)"), min_value=0, max_value=720, initial=48
    )

    def clean_scheduled_at(self):
        # Compared as instants: the local date of year 1 or 9999 may not exist.
        scheduled_at = self.cleaned_data["scheduled_at"]
        now = clock.now()
        if scheduled_at < now:
            raise ValidationError(
                _("A meeting cannot be scheduled in the past."), code="past"
            )
        if scheduled_at > now + SCHEDULE_AHEAD:
            raise ValidationError(
                _("A meeting can be scheduled at most two years ahead."),
                code="too_far",
            )
        return scheduled_at


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
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, terms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [(term.pk, str(term)) for term in terms]


class SeatEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class CouncilSettingsForm(forms.Form):
    """The council's rule settings (ROBERTS_RULES §0) and why they change."""

    quorum = forms.IntegerField(
        label=_("Fixed quorum (empty: a majority of the voting members)"),
        required=False,
        min_value=1,
        max_value=1000,
    )
    small_board_rules = forms.ChoiceField(
        label=_("Small-board rules"), choices=SmallBoardRules.choices
    )
    main_motion_two_thirds_above = AmountField(
        label=_("Two-thirds for grants above (¥, empty: none)"), required=False
    )
    consent_calendar = forms.BooleanField(label=_("Consent calendar"), required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=200)


class InterestForm(forms.Form):
    """A member declares an interest in a proposal on a meeting's agenda."""

    proposal = forms.TypedChoiceField(label=_("Proposal"), coerce=int, choices=())
    reason = forms.CharField(
        label=_("Your interest (optional)"),
        help_text=_("A relative on its team, a business that would supply it, …"),
        max_length=200,
        required=False,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, proposals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].choices = [
            (proposal.pk, str(proposal)) for proposal in proposals
        ]


WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]


class MeetingSeriesForm(forms.Form):
    """Regular meetings on some weekdays (twice a week, as JMJY's council met)."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these days"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    at = forms.TimeField(label=_("At"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=120)
    first_on = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    last_on = forms.DateField(
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    notice_lead_hours = forms.IntegerField(
        label=_("Notice lead time (hours)"), min_value=0, max_value=720, initial=48
    )

    def clean_first_on(self):
        require_ahead(self.cleaned_data["first_on"])
        return self.cleaned_data["first_on"]

    def clean_last_on(self):
        require_ahead(self.cleaned_data["last_on"])
        return self.cleaned_data["last_on"]
