"""The fund page's projects section writes its lines in Python.

Its newest projects (five per state, twenty at most) as a template loop were
some 350 calls a line, the largest part of a cold fund page's rendering
after its ledger; here each line is one f-string, every text escaped.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def project_lines(lines):
    """The `<li>` of each `ProjectLine`: its linked title, grantee and start."""
    return mark_safe(  # noqa: S308 (every text is escaped; the date is Python's)
        "".join(
            f'<li><a href="{escape(line.url)}">{escape(line.title)}</a> '
            f'<span class="muted">· {escape(line.grantee_name)} · '
            f"{line.starts_on.isoformat()}</span></li>"
            for line in lines
        )
    )
