"""Order the apps' steps (the demo's, the bench's scale data) by declared dependency.

Each app registers its step with the apps whose steps must run before it, so
that the order never depends on INSTALLED_APPS. fundapp, the ground floor,
comes first among steps that do not depend on each other; the others follow
in the order of their names, so that a run is the same every time.
"""

from collections.abc import Iterable, Mapping
from graphlib import TopologicalSorter

GROUND = "fundapp"


def in_dependency_order(after: Mapping[str, Iterable[str]], *, what: str) -> list[str]:
    """The apps of `after` ({app: apps its step runs after}), each after those.

    Raises ValueError when a step runs after an app that registered no `what`,
    or when two steps wait for each other (graphlib.CycleError).
    """
    for app, before in after.items():
        missing = sorted(set(before) - set(after))
        if missing:
            raise ValueError(
                f"The {what} of {app} runs after that of {', '.join(missing)}, "
                "which registered none."
            )
    sorter = TopologicalSorter({app: tuple(before) for app, before in after.items()})
    sorter.prepare()
    ordered = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=lambda app: (app != GROUND, app))
        ordered.extend(ready)
        sorter.done(*ready)
    return ordered
