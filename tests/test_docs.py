"""The contributor docs (docs/) name what exists and cover what the code accepts.

Every file a page cites exists, every link between pages reaches a heading,
and the council's and the ledger's pages name every event, setup key, motion,
account and movement the code knows, so that a new one cannot go unwritten.
"""

import inspect
import re
from pathlib import Path

import pytest

from councils.procedure import MOTIONS, engine
from councils.procedure.engine import Engine
from fundapp import settings
from fundapp.models import Account, LedgerTransaction

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted([*DOCS.glob("*.md"), ROOT / "README.md"])
CODE_SPAN = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
# A cited path: words, dots, stars and slashes, with a slash in it.
PATH = re.compile(r"^[\w.*-]+(/[\w.*-]*)+$")
# What the tools make and git ignores (test-results/, media/...) may be cited
# without being there.
MADE_BY_TOOLS = {
    line.strip().strip("/")
    for line in (ROOT / ".gitignore").read_text().splitlines()
    if line.strip() and not line.startswith("#")
}


def _text(doc: Path) -> str:
    return doc.read_text(encoding="utf-8")


def _cited_paths(doc: Path) -> list[str]:
    return [
        span
        for span in CODE_SPAN.findall(_text(doc))
        if PATH.match(span)
        and not span.startswith("..")
        and span.strip("/") not in MADE_BY_TOOLS
    ]


def _section(doc: Path, heading: str) -> str:
    """The text of a page under `heading`, up to the next heading of any level."""
    text = _text(doc)
    start = text.index(heading)
    end = text.find("\n#", start + len(heading))
    return text[start : end if end >= 0 else None]


def _anchor(heading: str) -> str:
    """The anchor a Markdown renderer (GitHub's rule) gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(doc: Path) -> set[str]:
    return {
        _anchor(line.lstrip("#"))
        for line in _text(doc).splitlines()
        if line.startswith("#")
    }


@pytest.mark.parametrize("doc", PAGES, ids=lambda doc: str(doc.relative_to(ROOT)))
def test_every_file_a_page_cites_exists(doc):
    missing = [path for path in _cited_paths(doc) if not any(ROOT.glob(path))]

    assert not missing, f"{doc.name} cites files that do not exist: {missing}"


@pytest.mark.parametrize("doc", PAGES, ids=lambda doc: str(doc.relative_to(ROOT)))
def test_every_link_of_a_page_reaches_a_page_and_its_heading(doc):
    broken = []
    for target in LINK.findall(_text(doc)):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path, _hash, anchor = target.partition("#")
        linked = (doc.parent / path).resolve() if path else doc
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(target)

    assert not broken, f"{doc.name} has broken links: {broken}"


def test_the_council_page_names_every_event_the_engine_accepts():
    table = _section(DOCS / "council.md", "### 4.3 Events")
    events = Engine({})._handlers

    assert [name for name in events if f"`{name}`" not in table] == []


def test_the_council_page_names_every_setup_key_the_engine_reads():
    table = _section(DOCS / "council.md", "### 4.2 The setup")
    read = set(re.findall(r'setup\.get\("(\w+)"', inspect.getsource(engine)))

    assert read, "the engine reads its setup with setup.get(...)"
    assert sorted(key for key in read if f"| `{key}` |" not in table) == []


def test_the_council_page_names_every_motion_of_the_motion_table():
    council = _text(DOCS / "council.md")

    assert [name for name in MOTIONS if f"`{name}`" not in council] == []


def test_the_money_page_names_every_account_and_every_movement():
    money = _text(DOCS / "money.md")
    accounts = [label.lower() for label in Account.Kind.labels]
    movements = LedgerTransaction.Kind.names

    assert [label for label in accounts if f"| {label} |" not in money] == []
    assert [name for name in movements if f"| {name} |" not in money] == []


def test_the_architecture_page_names_every_variable_the_settings_read():
    architecture = _text(DOCS / "architecture.md")
    source = inspect.getsource(settings)
    read = set(re.findall(r'env(?:_bool|_list)?\(\s*"(\w+)"', source))

    assert read, "the settings read the environment with env(...)"
    assert sorted(name for name in read if f"`{name}`" not in architecture) == []


def test_the_engine_module_points_to_the_council_page_in_a_short_docstring():
    docstring = engine.__doc__

    assert "docs/council.md" in docstring
    assert len(docstring.strip().splitlines()) <= 15


def test_the_readme_points_to_the_docs():
    assert "docs/README.md" in _text(ROOT / "README.md")
