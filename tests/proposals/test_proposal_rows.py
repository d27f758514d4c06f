"""The proposal pages' lists written in Python write what their templates
wrote (the pages themselves are compared in test_proposals_views.py)."""

import pytest
from django import forms
from django.template import engines
from django.utils import translation

from proposals.filters import ProposalFilter
from proposals.forms import CommentForm, CompareForm
from proposals.templatetags.proposal_rows import filter_fields, form_fields
from tests.factories import make_round

pytestmark = pytest.mark.django_db


class Mixed(forms.Form):
    plain = forms.CharField(help_text="<Help> & more")
    optional = forms.IntegerField(required=False, label="<Optional>")
    needed = forms.CharField(required=False)
    agree = forms.BooleanField(required=False)
    pick = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    several = forms.MultipleChoiceField(
        choices=[("1", "One")], widget=forms.CheckboxSelectMultiple, required=False
    )

    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needed"].needed_to_submit = True

    def clean(self):
        raise forms.ValidationError("<Not> together")


def _through_the_template(form) -> str:
    template = engines["django"].from_string(
        '{% for field in form %}{% include "includes/field.html" %}{% endfor %}'
    )
    return template.render({"form": form})


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"q": "<b>", "status": "eligible", "amount_min": "10", "sort": "-supports"},
        {"round": "abc", "status": "bogus", "amount_min": "x", "amount_max": "-1"},
    ],
)
def test_the_filter_is_written_as_includes_field_html_writes_it(data, language):
    call = make_round()
    with translation.override(language):
        written = filter_fields(
            ProposalFilter(data, community=call.community, calls=[call]).form
        )
        templated = _through_the_template(
            ProposalFilter(data, community=call.community, calls=[call]).form
        )

    assert written == templated


@pytest.mark.parametrize("data", [None, {"plain": "", "optional": "x", "pick": "z"}])
def test_help_errors_checkboxes_and_radios_are_written_as_the_template_does(data):
    assert filter_fields(Mixed(data)) == _through_the_template(Mixed(data))


def _form_through_the_template(form) -> str:
    template = engines["django"].from_string('{% include "includes/form.html" %}')
    return template.render({"form": form})


@pytest.mark.parametrize(
    "form",
    [
        lambda: CommentForm(),
        lambda: CommentForm({"body": ""}),
        lambda: CompareForm(initial={"old": 1, "new": 2}),
        lambda: CompareForm({"old": "x", "new": "2"}),
        lambda: Mixed(),
        lambda: Mixed({"plain": "a", "secret": "<s>", "pick": "a"}),
    ],
)
def test_a_form_is_written_as_includes_form_html_writes_it(form):
    assert form_fields(form()) == _form_through_the_template(form())
