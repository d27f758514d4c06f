"""The apps stand on floors and no modules import each other (STYLE §2).

Every module of every project app is found on disk and read with `ast`, so a
new module or app is checked without being listed here. An import counts
wherever it stands, inside a function too: hiding an import in a function
hides the dependency, it does not remove it.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

# Ground floor first: an app imports only the apps before it in this list.
FLOORS = ("fundapp", "proposals", "councils", "projects", "reports")
# The only modules that name every app.
EVERY_FLOOR = frozenset({settings.ROOT_URLCONF, settings.SETTINGS_MODULE})
# Imports that stand inside a function on purpose, each with its reason.
IMPORTS_IN_FUNCTIONS = {
    # Django imports an app's signal handlers and rules once the registry is
    # ready, from AppConfig.ready(); its modules cannot be imported earlier.
    ("*.apps", "ready"): "the app registry is ready only then",
    # WeasyPrint loads Pango, a native library only the PDF worker needs.
    ("councils.minutes", "minutes_pdf_render"): "loads a native library",
}


def _project_modules() -> dict[str, Path]:
    """Every module of the project's apps, by dotted name (packages by theirs)."""
    base = Path(settings.BASE_DIR).resolve()
    modules = {}
    for config in apps.get_app_configs():
        root = Path(config.path).resolve()
        if root.parent != base:  # Django's apps and third-party ones
            continue
        for path in sorted(root.rglob("*.py")):
            parts = path.relative_to(base).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


MODULES = _project_modules()
APPS = sorted({name.split(".")[0] for name in MODULES})


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module
    package = module if _is_package(module) else module.rpartition(".")[0]
    for _step in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _function_of(tree: ast.Module) -> dict[ast.AST, str]:
    """The name of the function each import inside one stands in."""
    found = {}
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    found.setdefault(node, function.name)
    return found


def _imports(module: str) -> list[tuple[str, int, str | None]]:
    """(imported module, line, enclosing function or None) for each import."""
    tree = ast.parse(MODULES[module].read_text(), filename=str(MODULES[module]))
    functions = _function_of(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node)
            targets = [
                f"{source}.{alias.name}"
                if f"{source}.{alias.name}" in MODULES
                else source
                for alias in node.names
            ]
        else:
            continue
        found += [(target, node.lineno, functions.get(node)) for target in targets]
    return found


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _dependencies(module: str) -> set[str]:
    """The project modules that importing `module` runs: what it imports, and
    the packages of those that it does not itself belong to."""
    found = set()
    for target, _line, _function in _imports(module):
        while target and target.split(".")[0] in APPS:
            if target in MODULES and not (
                _is_package(target) and _within(module, target)
            ):
                found.add(target)
            target = target.rpartition(".")[0]
    found.discard(module)
    return found


def _floor(module: str) -> int:
    return FLOORS.index(module.split(".")[0])


def test_every_app_stands_on_a_floor():
    assert set(APPS) <= set(FLOORS), f"Give each app a floor: {sorted(APPS)}"


@pytest.mark.parametrize("module", sorted(set(MODULES) - EVERY_FLOOR))
def test_a_module_imports_nothing_from_a_higher_floor(module):
    upward = sorted(
        f"line {line}: {target}"
        for target, line, _function in _imports(module)
        if target.split(".")[0] in FLOORS and _floor(target) > _floor(module)
    )

    assert upward == []


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: the circles of the graph."""
    index, low, stack, on_stack, circles = {}, {}, [], set(), []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        circles.append(sorted(component))
    return circles


def test_no_modules_import_each_other():
    graph = {module: _dependencies(module) for module in MODULES}

    assert _strongly_connected(graph) == []


def test_the_circle_finder_finds_a_circle_through_three_modules():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

    assert _strongly_connected(graph) == [["a", "b", "c"]]


def _allowed_in_function(module: str, function: str) -> bool:
    return any(
        (module == allowed or (allowed == "*.apps" and module.endswith(".apps")))
        and function == name
        for allowed, name in IMPORTS_IN_FUNCTIONS
    )


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_states_its_dependencies_at_its_top(module):
    hidden = sorted(
        f"line {line}: {target} in {function}()"
        for target, line, function in _imports(module)
        if function is not None and not _allowed_in_function(module, function)
    )

    assert hidden == []
