"""A date field's browser date picker gets its value in ISO form in both
languages: Chinese formats dates as 2026/12/03, which <input type="date">
would show as empty."""

import datetime

import pytest
from django.utils import translation

from councils.forms import MeetingSeriesForm, SeatAssignForm, SeatEndForm
from fundapp.forms import TrancheForm

DAY = datetime.date(2026, 12, 3)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("form_class", "field"),
    [
        (SeatEndForm, "ends_on"),
        (SeatAssignForm, "starts_on"),
        (MeetingSeriesForm, "first_on"),
        (MeetingSeriesForm, "last_on"),
        (TrancheForm, "received_on"),
        (TrancheForm, "spend_by"),
    ],
)
def test_a_date_field_shows_its_initial_day_in_the_date_picker(
    form_class, field, language
):
    with translation.override(language):
        rendered = form_class.base_fields[field].widget.render(field, DAY)
    assert 'type="date"' in rendered
    assert 'value="2026-12-03"' in rendered
