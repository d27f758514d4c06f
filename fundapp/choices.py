"""A field's choice labels, looked up in a table made once per field.

Django's `get_FOO_display()` builds a dict of all the field's choices on
every call. Pages show a movement's kind, a proposal's status or an event's
step tens of times, and rebuilding those dicts was a tenth of the work of a
cold proposal page or proposal list. Models whose labels pages show inherit
`ChoiceLabels` first, so that their `get_FOO_display()` reads the table.

The table holds the lazy labels, so each call still gives the label in the
reader's language.
"""

from functools import cache

from django.utils.encoding import force_str


@cache
def choice_labels(field) -> dict:
    """The field's label per stored value (its choices never change)."""
    return dict(field.flatchoices)


class ChoiceLabels:
    """Mixin for a model: `get_FOO_display()` from `choice_labels`, with
    Django's result (the value itself when it is not one of the choices)."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value: Django's own lookup
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)
