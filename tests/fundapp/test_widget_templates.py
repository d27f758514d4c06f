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
