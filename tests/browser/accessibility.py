"""Accessibility checks for browser tests, with axe-core vendored in tests/vendor."""

import os

AXE = os.path.join(os.path.dirname(__file__), "..", "vendor", "axe.min.js")


def accessibility_violations(page, impacts=None) -> list[str]:
    """Run axe-core (vendored, WCAG 2.2 A and AA rules) on the page; list what
    fails (only violations of these `impacts`, e.g. "serious", if given)."""
    # Evaluated by the browser's devtools protocol, not added as a <script>:
    # the site's Content-Security-Policy refuses inline scripts, as it should.
    with open(AXE, encoding="utf-8") as source:
        page.evaluate(f"() => {{ {source.read()}\n }}")
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']}})"
    )
    return [
        f"{violation['id']}: {node['target']}"
        for violation in result["violations"]
        if impacts is None or violation["impact"] in impacts
        for node in violation["nodes"]
    ]
