from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html_join

from fundapp.sections import page_sections as sections_of

register = template.Library()


@register.simple_tag(takes_context=True)
def page_sections(context, place, subject):
    """Render the sections upper apps registered for `place` (fundapp.sections)."""
    request = context.get("request")
    parts = []
    for section in sections_of(place):
        extra = section.context(request, subject)
        if extra is None:
            continue
        parts.append(
            (
                render_to_string(
                    section.template, {**context.flatten(), **extra}, request
                ),
            )
        )
    return format_html_join("", "{}", parts)
