"""Every page answers with the security headers, and nothing in the pages needs
what the Content-Security-Policy forbids: no inline script, no event-handler or
style attribute, no htmx evaluation."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from fundapp.models import Role
from tests.factories import (
    make_council,
    make_funded_community,
    make_meeting,
    make_member,
    make_project,
    make_proposal,
)

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
# Rendered by WeasyPrint on the server, never shown to a browser.
SERVER_ONLY = re.compile(r"_pdf\.html$")
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>"), "an inline script"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an event-handler attribute"),
    (re.compile(r"\bhx-on"), "an hx-on attribute (htmx's eval is off)"),
    (re.compile(r"\bstyle\s*="), "a style attribute"),
    (re.compile(r"<style\b"), "a style element"),
    (re.compile(r"\bjs:"), "a js: expression"),
]


@pytest.mark.parametrize(
    "template",
    [t for t in TEMPLATES if not SERVER_ONLY.search(t.name)],
    ids=lambda t: str(t.relative_to(ROOT / "templates")),
)
def test_no_template_needs_what_the_policy_forbids(template):
    text = template.read_text()

    found = [what for pattern, what in INLINE if pattern.search(text)]

    assert found == []


@pytest.fixture
def pages(db):
    community, _keeper, _tranche = make_funded_community("100000.00")
    proposal = make_proposal()
    council, chair, _members = make_council(community)
    meeting = make_meeting(council, chair=chair)
    project = make_project()
    return [
        reverse("fund:home"),
        reverse("fund:fund", args=[community.code]),
        reverse("fund:register"),
        reverse("login"),
        reverse("proposals:list", args=[proposal.community.code]),
        proposal.get_absolute_url(),
        reverse("councils:council", args=[community.code]),
        reverse("councils:meeting", args=[meeting.pk]),
        reverse("projects:project", args=[project.pk]),
        reverse("projects:money", args=[project.pk]),
        f"/api/ledger/?community={community.code}",
        "/api/schema/",
    ]


def test_every_main_page_sends_the_security_headers(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy, url
        assert "style-src 'self'" in policy, url
        assert "frame-ancestors 'none'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert "camera=()" in response["Permissions-Policy"], url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def test_a_signed_in_page_sends_them_too(client, pages):
    community, _keeper, _tranche = make_funded_community("10.00")
    client.force_login(make_member(community, Role.SOCIAL_WORKER))

    response = client.get(reverse("fund:residents", args=[community.code]))

    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_htmx_is_told_not_to_evaluate(client, db):
    page = client.get(reverse("fund:home")).text

    assert (
        '<meta name="htmx-config" content=\'{"allowEval": false, '
        '"allowScriptTags": false, "includeIndicatorStyles": false}\'>'
    ) in page
