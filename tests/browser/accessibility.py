"""Accessibility checks for browser tests, with axe-core vendored in tests/vendor."""

import os

AXE = os.path.join(os.path.dirname(__file__), "..", "vendor", "axe.min.js")
# WCAG 2.2 A and AA rules. Only the violations are read: listing what passes
# takes as long again.
AXE_RUN = (
    "axe.run(document, {runOnly: {type: 'tag', values: "
    "['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']}, resultTypes: ['violations']})"
)


def load_axe_on_every_page(context) -> None:
    """Have axe-core ready in every page of the context (cheaper than
    loading it for each check, when a test checks many pages)."""
    context.add_init_script(path=AXE)


def start_accessibility_check(page) -> None:
    """Start axe-core on the page (loaded by load_axe_on_every_page) without
    waiting: other pages can be loaded while it works; accessibility_violations
    then reads its result."""
    page.evaluate(f"() => {{ window.linliAxe = {AXE_RUN}; }}")


def accessibility_violations(page, impacts=None) -> list[str]:
    """Run axe-core (vendored) on the page, or read the check started by
    start_accessibility_check; list what fails (only violations of these
    `impacts`, e.g. "serious", if given)."""
    if page.evaluate("window.linliAxe === undefined"):
        # Evaluated by the browser's devtools protocol, not added as a <script>:
        # the site's Content-Security-Policy refuses inline scripts, as it should.
        if not page.evaluate("typeof axe !== 'undefined'"):
            with open(AXE, encoding="utf-8") as source:
                page.evaluate(f"() => {{ {source.read()}\n }}")
        result = page.evaluate(AXE_RUN)
    else:
        result = page.evaluate(
            "() => { const result = window.linliAxe; delete window.linliAxe; "
            "return result; }"
        )
    return [
        f"{violation['id']}: {node['target']}"
        for violation in result["violations"]
        if impacts is None or violation["impact"] in impacts
        for node in violation["nodes"]
    ]
