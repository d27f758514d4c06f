"""templates/django/forms/: widgets written more cheaply than Django writes
them must still write the same HTML."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates


class Choosing(forms.Form):
    plain = forms.ChoiceField(choices=[("", "—"), ("a", "<A & B>"), ("b", "乙")])
    grouped = forms.ChoiceField(
        choices=[
            ("Fruit", [("apple", "Apple"), ("pear", "Pear")]),
            ("Nuts", [("walnut", "Walnut")]),
            ("none", "None of these"),
        ],
        widget=forms.Select(attrs={"class": "wide", "required": True, "data-x": 0}),
    )
    several = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")])


@pytest.mark.parametrize(
    "data", [{}, {"plain": "a", "grouped": "walnut", "several": ["1", "2"]}]
)
def test_a_select_is_written_as_django_writes_it(data):
    ours = Choosing(data or None)
    django_own = Choosing(data or None, renderer=DjangoTemplates())

    for name in ("plain", "grouped", "several"):
        assert str(ours[name]) == str(django_own[name])
