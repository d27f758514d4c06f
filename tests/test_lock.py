"""The locks agree with pyproject.toml: `make lock` was run after its last change.

Cheap and offline: it reads the files (and the locked packages' metadata for
extras such as celery[redis]); it does not resolve anything again.
"""

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
FROM_PYPROJECT = "linli (pyproject.toml)"


def requirements(*groups: list[str]) -> list[Requirement]:
    return [Requirement(text) for group in groups for text in group]


RUNTIME = PYPROJECT["project"]["dependencies"]
TEST = PYPROJECT["project"]["optional-dependencies"]["test"]
BUILD = PYPROJECT["build-system"]["requires"]
LOCKS = {
    "requirements.txt": requirements(RUNTIME, BUILD),
    "requirements-test.txt": requirements(RUNTIME, TEST, BUILD),
}


def read_lock(name: str) -> dict[str, tuple[str, set[str]]]:
    """{package: (version, what it is there for)} from a lock made by `make lock`."""
    pins: dict[str, tuple[str, set[str]]] = {}
    current = None
    for line in (ROOT / name).read_text().splitlines():
        pinned = PIN.match(line)
        if pinned:
            current = canonicalize_name(pinned.group(1))
            pins[current] = (pinned.group(2), set())
        elif current and line.startswith("    # via"):
            reason = line.removeprefix("    # via").strip()
            if reason:
                pins[current][1].add(reason)
        elif current and line.startswith("    #   "):
            pins[current][1].add(line.removeprefix("    #   ").strip())
    return pins


def extra_requirements(requirement: Requirement) -> list[Requirement]:
    """What the extras of a requirement (celery[redis]) add, from its metadata.

    Read from the installed package, which is the locked version after
    `make install`; one not installed is reported by the test above instead.
    """
    try:
        requires = metadata.requires(requirement.name) or []
    except metadata.PackageNotFoundError:
        return []
    added = []
    for extra in requirement.extras:
        for text in requires:
            needed = Requirement(text)
            if needed.marker and needed.marker.evaluate({"extra": extra}):
                added.append(needed)
    return added


@pytest.mark.parametrize("lock", LOCKS)
def test_the_lock_pins_every_requirement_of_pyproject_at_a_version_it_allows(lock):
    pins = read_lock(lock)

    for requirement in LOCKS[lock]:
        name = canonicalize_name(requirement.name)
        assert name in pins, (
            f"pyproject.toml asks for {requirement}, which {lock} does not lock: "
            "run `make lock`."
        )
        version = pins[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"pyproject.toml asks for {requirement}, but {lock} locks {version}: "
            "run `make lock`."
        )


@pytest.mark.parametrize("lock", LOCKS)
def test_the_lock_pins_what_the_extras_of_pyproject_add(lock):
    pins = read_lock(lock)

    for requirement in LOCKS[lock]:
        for needed in extra_requirements(requirement):
            assert canonicalize_name(needed.name) in pins, (
                f"{requirement} needs {needed.name}, which {lock} does not lock: "
                "run `make lock`."
            )


@pytest.mark.parametrize("lock", LOCKS)
def test_the_lock_holds_nothing_that_pyproject_no_longer_asks_for(lock):
    asked = {canonicalize_name(requirement.name) for requirement in LOCKS[lock]}

    for name, (_version, reasons) in read_lock(lock).items():
        if FROM_PYPROJECT in reasons or not reasons:
            assert name in asked, (
                f"{lock} locks {name} for pyproject.toml, which no longer asks for "
                "it: run `make lock`."
            )


def test_the_test_lock_has_the_runtime_locks_versions():
    runtime, test = read_lock("requirements.txt"), read_lock("requirements-test.txt")

    for name, (version, _reasons) in runtime.items():
        assert test.get(name, ("missing",))[0] == version, (
            f"requirements.txt locks {name} {version}, requirements-test.txt "
            f"{test.get(name, ('nothing',))[0]}: run `make lock`."
        )
