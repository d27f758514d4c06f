"""fundapp/widgets.py writes a select in Python: it must write the same HTML
as Django's templates, whatever the select holds."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from fundapp.widgets import WidgetRenderer


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
    numbers = forms.TypedChoiceField(
        choices=[(2025, 2025), (12345, 12345.5)], coerce=int, required=False
    )
    lazy = forms.ChoiceField(
        choices=[
            ("submitted", gettext_lazy("submitted")),
            ("x", mark_safe("<b>x</b>")),
        ],
        widget=forms.Select(
            attrs={
                "aria-label": gettext_lazy("Status"),
                "data-safe": mark_safe("a&amp;b"),
                "data-raw": 'say "hi" & <go>',
                "hidden": False,
            }
        ),
    )
    yes_no = forms.NullBooleanField()
    radio = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)


NAMES = ("plain", "grouped", "several", "numbers", "lazy", "yes_no", "radio")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "a", "grouped": "walnut", "several": ["1", "2"], "numbers": "2025"},
        {"plain": "<script>", "lazy": "submitted", "yes_no": "true", "radio": "a"},
    ],
)
def test_a_select_is_written_as_djangos_templates_write_it(data, language):
    with translation.override(language):
        ours = Choosing(data or None, renderer=WidgetRenderer())
        django_own = Choosing(data or None, renderer=DjangoTemplates())

        for name in NAMES:
            assert str(ours[name]) == str(django_own[name]), name


def test_the_project_writes_its_selects_in_python():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), WidgetRenderer)
    assert str(Choosing()["plain"]).startswith('<select name="plain" required')


class Typing(forms.Form):
    text = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"class": "x"}))
    number = forms.DecimalField(min_value=0, max_value=10, required=False)
    whole = forms.IntegerField(initial=3)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    email = forms.EmailField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    day = forms.DateField(required=False, localize=True)
    agree = forms.BooleanField(required=False)
    photo = forms.FileField(required=False)
    words = forms.CharField(
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "aria-label": gettext_lazy("Status"),
                "data-safe": mark_safe("a&amp;b"),
                "hidden": False,
                "autofocus": True,
            }
        ),
        required=False,
    )


TYPED = (
    "text",
    "number",
    "whole",
    "hidden",
    "email",
    "secret",
    "day",
    "words",
    "agree",
    "photo",
)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"text": 'say "hi" & <go>', "number": "1.5", "hidden": "h", "day": "2026-1-3"},
        {"number": "x", "whole": "0", "words": "line one\n<b>two</b> & three"},
        {"agree": "on", "photo": "ignored.png"},
        {"secret": "<pw>", "email": "a@b.c", "words": " "},
    ],
)
def test_an_input_or_textarea_is_written_as_djangos_templates_write_it(data, language):
    with translation.override(language):
        ours = Typing(data or None, renderer=WidgetRenderer())
        django_own = Typing(data or None, renderer=DjangoTemplates())

        for name in TYPED:
            assert str(ours[name]) == str(django_own[name]), name


def test_the_inputs_written_in_python_are_those_whose_template_is_input_html():
    """Django's templates of those widgets only include input.html: were one
    to write more, the widget would no longer be written by `input_html`."""
    from django.template.loader import get_template

    from fundapp.widgets import INPUTS

    for name in INPUTS - {"django/forms/widgets/input.html"}:
        source = get_template(name).template.source
        assert source.strip() == '{% include "django/forms/widgets/input.html" %}'
