"""The suite's own conventions (STYLE §11)."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_every_pytest_raises_names_what_it_expects():
    unnamed = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "raises"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "pytest"
                and not any(keyword.arg == "match" for keyword in node.keywords)
            ):
                unnamed.append(f"{path.relative_to(TESTS)}:{node.lineno}")

    assert unnamed == []
