from django import template
from django.core.cache import cache
from django.utils.html import format_html_join
from django.utils.translation import get_language

from fundapp.sections import page_sections as sections_of

register = template.Library()

# As long as the pages' own bodies (the fund page's `{% cache 600 … %}`).
SECTION_CACHE_SECONDS = 600


def _render(section, context, request, subject) -> str:
    """The section's template in the page's own context, as `{% include %}`
    renders (the context processors ran once, for the page)."""
    extra = section.context(request, subject)
    if extra is None:
        return ""
    template = context.template.engine.get_template(section.template)
    with context.push(**extra):
        return template.render(context)


def _render_versioned(section, context, request, subject) -> str:
    """The section's HTML, rendered once per version and language."""
    key = ":".join(
        str(part)
        for part in (
            "page_section",
            section.place,
            section.template,
            subject.pk,
            section.version(subject),
            get_language(),
        )
    )
    html = cache.get(key)
    if html is None:
        html = _render(section, context, request, subject)
        cache.set(key, html, SECTION_CACHE_SECONDS)
    return html


@register.simple_tag(takes_context=True)
def page_sections(context, place, subject):
    """Render the sections upper apps registered for `place` (fundapp.sections)."""
    request = context.get("request")
    parts = [
        (
            (_render_versioned if section.version else _render)(
                section, context, request, subject
            ),
        )
        for section in sections_of(place)
    ]
    # Each part is a template's output (safe, and still safe from the cache).
    return format_html_join("", "{}", parts)
