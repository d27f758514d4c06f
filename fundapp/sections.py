"""Sections an upper app adds to a lower app's page (STYLE §2: floors).

A lower app's template names a place (`{% page_sections "fund_detail" community %}`,
fundapp/templatetags/sections.py); an upper app registers what stands there
from its `AppConfig.ready()` with `register_page_section`. The lower app
never imports the upper one: the funded projects' list on the fund page and
the link from a proposal to its project are sections of `projects`.

A section that is the same for every reader may name a `version`: the page
then renders it once per version and language (the fund page's projects),
as the page's own body is cached under the ledger's version.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class PageSection:
    # The place in a page, e.g. "fund_detail" or "proposal_detail".
    place: str
    template: str
    # The section's context from the request and the page's subject; None
    # shows nothing.
    context: Callable[[HttpRequest, object], dict | None]
    order: int = 0
    # For a section that shows every reader the same thing: a cheap value
    # (one query at most) that changes whenever what it shows does. Its HTML
    # is then cached under it, and `context` runs only when it changed.
    version: Callable[[object], str] | None = None


_SECTIONS: dict[str, list[PageSection]] = {}


def register_page_section(section: PageSection) -> PageSection:
    """Add a section to a place; registering the same one again changes nothing."""
    sections = _SECTIONS.setdefault(section.place, [])
    if section not in sections:
        sections.append(section)
        sections.sort(key=lambda each: each.order)
    return section


def page_sections(place: str) -> list[PageSection]:
    return list(_SECTIONS.get(place, ()))
