"""Every money, date and number field of every form, given any text: a value
within its bounds or a form error in words, never an exception.

The forms are checked by themselves (no database: each gets only the field
under test, so the others are simply missing); the views that take the same
fields are checked for 500s in tests/test_form_bounds.py.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from councils import forms as council_forms
from fundapp import forms as fund_forms
from fundapp.models import Fund
from fundapp.money import FEN, MAXIMUM_AMOUNT, AmountField, parse_amount
from projects import forms as project_forms
from proposals import forms as proposal_forms
from proposals.budget import parse_line, parse_lines
from proposals.models import BudgetLine
from reports import forms as report_forms

FUZZ = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# What people (and scripts) type where a number goes.
NUMBER_TEXT = st.one_of(
    st.sampled_from(
        [
            "1e26",
            "9" * 30,
            "123456789012345678901234567890.12",
            "-1",
            "-0",
            "0",
            "0.00",
            "0.001",
            "1.123456789",
            "NaN",
            "-NaN",
            "sNaN",
            "Infinity",
            "-Infinity",
            "inf",
            "１２３",
            "１２３.４５",
            "١٢٣",
            "²",
            "1,234.50",
            "1，234.50",
            "¥1,234.50",
            "￥100",
            "100000000.00",
            "100000000.01",
            "1e999999999",
            "1E-999999999",
            "1_000",
            " 12 ",
            "12.",
            ".5",
            "0x10",
            "1e2",
            "",
            "\x00",
        ]
    ),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers().map(str),
    st.floats().map(repr),
    st.text(alphabet="0123456789.,-+eE ¥１２３٠", max_size=40),
    st.text(max_size=40),
)

DATE_TEXT = st.one_of(
    st.sampled_from(
        [
            "1900-01-01",
            "0001-01-01",
            "9999-12-31",
            "10000-01-01",
            "2026-02-30",
            "2026-13-01",
            "2026-00-10",
            "-2026-01-01",
            "２０２６-０１-０１",
            "2026/01/01",
            "01/02/2026",
            "2026-1-1",
            "99999999999999999999-01-01",
            "",
            "\x00",
        ]
    ),
    st.dates().map(str),
    st.text(alphabet="0123456789-/ .:T", max_size=25),
    st.text(max_size=30),
)

DATETIME_TEXT = st.one_of(
    st.sampled_from(
        [
            "1900-01-01T19:00",
            "0001-01-01T00:00",
            "9999-12-31T23:59",
            "2026-02-30T19:00",
            "2026-01-01T25:00",
            "2026-01-01 19:00:00",
            "",
        ]
    ),
    st.datetimes().map(lambda moment: moment.isoformat(timespec="minutes")),
    DATE_TEXT,
)


def some_fund():
    return Fund(pk=1)


def no_rows():
    return BudgetLine.objects.none()


PROJECT = SimpleNamespace(
    proposal=SimpleNamespace(budget_lines=SimpleNamespace(all=no_rows)),
    milestones=SimpleNamespace(filter=lambda **kwargs: no_rows()),
)
KEYED = {"user": None, "form": "fuzz"}

# (form, keyword arguments, field, kind) for every money, date and number
# field of every form.
FIELDS = [
    (fund_forms.TrancheForm, {"fund": Fund(pk=1), **KEYED}, "amount", "money"),
    (fund_forms.TrancheForm, {"fund": Fund(pk=1), **KEYED}, "match_cap", "money"),
    (fund_forms.TrancheForm, {"fund": Fund(pk=1), **KEYED}, "match_ratio", "ratio"),
    (fund_forms.TrancheForm, {"fund": Fund(pk=1), **KEYED}, "received_on", "date"),
    (fund_forms.TrancheForm, {"fund": Fund(pk=1), **KEYED}, "spend_by", "date"),
    (fund_forms.TrancheForm, {"fund": Fund(pk=1), **KEYED}, "fiscal_year", "year"),
    (fund_forms.CommitmentForm, KEYED, "amount", "money"),
    (fund_forms.ReleaseForm, KEYED, "amount", "money"),
    (proposal_forms.RoundForm, {}, "budget_amount", "money"),
    (proposal_forms.RoundForm, {}, "ceiling_amount", "money"),
    (proposal_forms.RoundForm, {}, "opens_on", "date"),
    (proposal_forms.RoundForm, {}, "closes_on", "date"),
    (proposal_forms.RoundForm, {}, "minimum_supports", "count"),
    (proposal_forms.CompareForm, {}, "old", "version"),
    (proposal_forms.CompareForm, {}, "new", "version"),
    (council_forms.MeetingScheduleForm, {}, "scheduled_at", "meeting_at"),
    (council_forms.MeetingScheduleForm, {}, "notice_lead_hours", "hours"),
    (council_forms.MeetingSeriesForm, {}, "first_on", "meeting_on"),
    (council_forms.MeetingSeriesForm, {}, "last_on", "meeting_on"),
    (council_forms.MeetingSeriesForm, {}, "notice_lead_hours", "hours"),
    (council_forms.SeatAssignForm, {}, "starts_on", "date"),
    (council_forms.SeatEndForm, {}, "ends_on", "date"),
    (council_forms.CouncilSettingsForm, {}, "main_motion_two_thirds_above", "money"),
    (council_forms.CouncilSettingsForm, {}, "quorum", "count"),
    (project_forms.ProjectOpenForm, KEYED, "starts_on", "date"),
    (project_forms.ProjectOpenForm, KEYED, "ends_on", "date"),
    (project_forms.SchedulePartForm, {}, "percent", "percent"),
    (project_forms.SchedulePartForm, {}, "due_on", "date"),
    (project_forms.MilestoneRowForm, {}, "due_on", "date"),
    (project_forms.ApproveForm, KEYED, "paid_on", "date"),
    (project_forms.ExpenseForm, {"project": PROJECT, **KEYED}, "amount", "money"),
    (project_forms.ExpenseForm, {"project": PROJECT, **KEYED}, "spent_on", "date"),
    (project_forms.ReturnForm, KEYED, "amount", "money"),
    (project_forms.ReturnForm, KEYED, "returned_on", "date"),
    (project_forms.MilestoneForm, KEYED, "due_on", "date"),
    (
        project_forms.ProgressReportForm,
        {"project": PROJECT, **KEYED},
        "happened_on",
        "date",
    ),
    (
        project_forms.ProgressReportForm,
        {"project": PROJECT, **KEYED},
        "participants",
        "count",
    ),
    (
        project_forms.VolunteerShiftForm,
        {"residents": no_rows(), **KEYED},
        "served_on",
        "date",
    ),
    (
        project_forms.VolunteerShiftForm,
        {"residents": no_rows(), **KEYED},
        "hours",
        "shift_hours",
    ),
    (project_forms.CompleteForm, KEYED, "completed_on", "date"),
    (project_forms.ObservationForm, KEYED, "observed_on", "date"),
    (report_forms.ReportRequestForm, {"fund": Fund(pk=1), **KEYED}, "year", "year"),
    (report_forms.ProgramReportForm, KEYED, "year", "year"),
]


def within_bounds(kind: str, value) -> bool:
    now = datetime.datetime.now(datetime.UTC)
    today = datetime.date.today()
    two_years = datetime.timedelta(days=2 * 366)
    return {
        "money": lambda: (
            isinstance(value, Decimal)
            and 0 < value <= MAXIMUM_AMOUNT
            and value == value.quantize(FEN)
        ),
        "ratio": lambda: value.is_finite() and 0 < value < 10_000,
        "percent": lambda: value.is_finite() and 0 <= value <= 100,
        "shift_hours": lambda: value.is_finite() and 0 <= value <= 24,
        "date": lambda: isinstance(value, datetime.date),
        "year": lambda: 2000 <= value <= 2100,
        "count": lambda: 0 <= value <= 1_000_000,
        "version": lambda: 1 <= value <= 100_000,
        "hours": lambda: 0 <= value <= 720,
        # Compared with a day's margin either side: the form reads the
        # Shanghai day, this test the machine's.
        "meeting_on": lambda: (
            today - datetime.timedelta(days=1)
            <= value
            <= today + two_years + datetime.timedelta(days=1)
        ),
        "meeting_at": lambda: (
            now - datetime.timedelta(minutes=1) <= value <= now + two_years
        ),
    }[kind]()


STRATEGIES = {
    "date": DATE_TEXT,
    "meeting_on": DATE_TEXT,
    "meeting_at": DATETIME_TEXT,
}


@pytest.mark.parametrize(
    ("form_class", "arguments", "field", "kind"),
    FIELDS,
    ids=[f"{form.__name__}.{field}" for form, _arguments, field, _kind in FIELDS],
)
def test_any_text_in_a_field_is_a_value_within_bounds_or_a_form_error(
    form_class, arguments, field, kind
):
    @FUZZ
    @given(text=STRATEGIES.get(kind, NUMBER_TEXT))
    def check(text):
        form = form_class({field: text}, **arguments)

        form.is_valid()

        if field in form.errors:
            assert all(str(message) for message in form.errors[field])
        elif form.cleaned_data.get(field) is not None:
            assert within_bounds(kind, form.cleaned_data[field]), (text, form)

    check()


def test_the_fuzzed_fields_cover_every_money_and_date_field_of_every_form():
    """A new form's money or date field is added to FIELDS above."""
    fuzzed = {(form.__name__, field) for form, _arguments, field, _kind in FIELDS}
    kinds = (AmountField, forms.DateField, forms.DecimalField, forms.DateTimeField)
    for module in (fund_forms, proposal_forms, council_forms, project_forms):
        for form in vars(module).values():
            if isinstance(form, type) and issubclass(form, forms.BaseForm):
                for name, field in form.base_fields.items():
                    if isinstance(field, kinds):
                        assert (form.__name__, name) in fuzzed, (form, name)


@FUZZ
@given(text=NUMBER_TEXT)
def test_any_amount_typed_is_parsed_within_bounds_or_refused_in_words(text):
    try:
        value = parse_amount(text)
    except Exception as error:  # noqa: BLE001 - the kind is what is checked
        assert type(error).__name__ == "ValidationError", (text, error)
    else:
        assert 0 < value <= MAXIMUM_AMOUNT


@FUZZ
@given(quantity=NUMBER_TEXT, unit_cost=NUMBER_TEXT)
def test_any_budget_line_is_totalled_within_bounds_or_refused_in_words(
    quantity, unit_cost
):
    line = parse_line(
        {"item": "Chairs", "unit": "pcs", "quantity": quantity, "unit_cost": unit_cost}
    )

    if line is not None and not line.errors:
        assert 0 < line.total


@FUZZ
@given(costs=st.lists(NUMBER_TEXT, max_size=8))
def test_any_budget_is_totalled_or_refused_in_words(costs):
    rows = [
        {"item": "Item", "unit": "pcs", "quantity": "100000", "unit_cost": cost}
        for cost in costs
    ]

    lines, total = parse_lines(rows)

    assert len(lines) <= len(rows)
    assert total is None or total >= 0


LIVE_FIELDS = ["amount", "amounts", "until", "applies_to", "item"]


@pytest.mark.parametrize("name", LIVE_FIELDS)
def test_any_text_in_a_live_meeting_action_field_is_a_value_or_a_form_error(name):
    field = council_forms.FORM_FIELDS[name](None)

    @FUZZ
    @given(
        text=st.one_of(NUMBER_TEXT, st.lists(NUMBER_TEXT, max_size=4).map("\n".join))
    )
    def check(text):
        try:
            value = field.clean(text)
        except ValidationError as error:
            assert error.messages
            return
        amounts = value if name == "amounts" else [value]
        if name in ("amount", "amounts"):
            assert all(
                amount is None or 0 < Decimal(amount) <= MAXIMUM_AMOUNT
                for amount in amounts
            )
        if name in ("applies_to", "item"):
            assert 0 <= value <= 1_000_000

    check()
